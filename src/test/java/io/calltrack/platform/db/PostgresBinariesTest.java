package io.calltrack.platform.db;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class PostgresBinariesTest {
    /**
     * The default db.embedded.binaries-dir is relative (./data/pg-bin): `./scripts/run` on a fresh clone failed with
     * "unsafe path in the bundle" because the unpacker compared a normalised entry path with an unnormalised one.
     */
    @Test
    void unpacksIntoARelativeDirectoryAsTheDefaultConfigurationGivesIt() throws IOException {
        Path relative = Path.of(".", "target", "relative-pg-bin-" + ProcessHandle.current().pid());
        try {
            PostgresBinaries binaries = PostgresBinaries.in(relative);
            assertTrue(Files.isExecutable(binaries.home().resolve("bin").resolve("postgres")), binaries.home().toString());
            assertTrue(binaries.home().isAbsolute());
        } finally {
            try (Stream<Path> all = Files.walk(relative)) {
                all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
