package io.calltrack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.calltrack.support.ChildServer;
import io.calltrack.support.Http;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** calltrack killed with SIGKILL leaves its embedded PostgreSQL running; the next start must cope. */
class CrashRestartTest {
    private static final Duration START = Duration.ofSeconds(90);

    @TempDir
    Path work;

    @Test
    void theNextStartStopsThePostgresAKilledCalltrackLeftRunningAndGoesOnSayingSo() throws Exception {
        Path dataDir = work.resolve("data");
        // a fixed port: the case where the next start silently attached to a server it had not started
        Map<String, String> settings = Map.of("db.embedded.port", String.valueOf(ChildServer.freePort()));
        ChildServer first = ChildServer.start(work, dataDir, settings);
        try {
            first.awaitRunning(START);
            ProcessHandle orphan = first.postgres().orElseThrow();
            first.kill();
            assertTrue(first.awaitExit(Duration.ofSeconds(30)).isPresent());
            assertTrue(orphan.isAlive(), "SIGKILL leaves the embedded PostgreSQL running");

            try (ChildServer second = ChildServer.start(work, dataDir, settings)) {
                second.awaitRunning(START);
                String said = second.output();
                assertTrue(said.contains("The embedded PostgreSQL of " + dataDir.resolve("pg").toAbsolutePath()
                        + " was still running (pid " + orphan.pid() + ")"), said);
                assertFalse(orphan.isAlive(), "the orphan was stopped, not attached to");
                var health = new Http("http://127.0.0.1:" + second.httpPort()).get("/health");
                assertEquals(200, health.statusCode(), health.body());

                second.sigterm();
                assertTrue(second.awaitExit(Duration.ofSeconds(60)).isPresent(), second.output());
                assertTrue(second.postgres().isEmpty(), "a normal stop stops the embedded PostgreSQL too");
            }
        } finally {
            first.close(); // kills whatever the test left running
        }
    }
}
