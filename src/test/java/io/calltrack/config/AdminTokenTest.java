package io.calltrack.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.calltrack.support.LogCapture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AdminTokenTest {
    @TempDir
    Path tmp;

    @Test
    void theGeneratedTokenAndItsDirectoryAreTheCalltrackUsersAlone() throws Exception {
        Path dataDir = tmp.resolve("data");
        String token = AdminToken.resolve(config(dataDir));

        Path file = dataDir.resolve("admin-token");
        assertEquals(token, Files.readString(file).trim());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dataDir)));
        assertEquals(token, AdminToken.resolve(config(dataDir)), "the next start reuses the token");
    }

    @Test
    void aDirectoryOrTokenOthersCanReadIsReportedOnceWithTheFix() throws Exception {
        Path dataDir = Files.createDirectory(tmp.resolve("data"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        Path file = dataDir.resolve("admin-token");
        Files.writeString(file, "an-old-token\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));

        try (LogCapture log = new LogCapture(PrivateFiles.class)) {
            PrivateFiles.directory(dataDir); // what every start does first
            assertEquals("an-old-token", AdminToken.resolve(config(dataDir)));
            String dir = dataDir.toAbsolutePath().normalize().toString();
            assertTrue(log.lines().contains("WARN " + dir + " is accessible to other local users (rwxr-xr-x); "
                    + "it should be the calltrack user's alone: chmod 700 " + dir), log.lines().toString());
            String token = file.toAbsolutePath().normalize().toString();
            assertTrue(log.lines().contains("WARN " + token + " is accessible to other local users (rw-r--r--); "
                    + "it should be the calltrack user's alone: chmod 600 " + token), log.lines().toString());
            assertEquals(2, log.lines().size(), log.lines().toString());
        }
    }

    private static CalltrackConfig config(Path dataDir) {
        return CalltrackConfig.from(ConfigSource.of(Map.of("data.dir", dataDir.toString())));
    }
}
