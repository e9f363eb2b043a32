package io.calltrack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.calltrack.support.ChildServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A misspelt key used to be ignored: calltrack ran on the default the admin meant to change. */
class MisspeltKeyTest {
    @TempDir
    Path work;

    @Test
    void aMisspeltKeyStopsTheStartWithOneLineNamingTheKnownKeyAndExitCode2() throws Exception {
        try (ChildServer server = ChildServer.start(work, work.resolve("data"),
                Map.of("agi.decision-timout", "5s"))) {
            Optional<Integer> exit = server.awaitExit(Duration.ofSeconds(60));
            assertTrue(exit.isPresent(), "calltrack starts instead of refusing the key:\n" + server.output());
            assertEquals(2, exit.get(), server.output());
            List<String> lines = server.output().lines().toList();
            assertEquals(1, lines.size(), server.output());
            assertTrue(lines.get(0).matches("calltrack: configuration error: unknown key 'agi.decision-timout' in "
                    + ".*\\.properties \\(did you mean 'agi.decision-timeout'\\?\\)"), lines.get(0));
            assertTrue(server.postgres().isEmpty(), "nothing was started");
        }
    }
}
