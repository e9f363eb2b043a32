package io.calltrack.platform.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.calltrack.App;
import io.calltrack.config.CalltrackConfig;
import io.calltrack.config.ConfigSource;
import io.calltrack.support.Http;
import io.calltrack.support.LogCapture;
import io.calltrack.support.TestDatabase;
import io.calltrack.support.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SystemRoutesTest {
    static TestServer server;
    static Http http;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        http = new Http(server.baseUrl());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void healthReportsTheDatabaseUp() {
        var r = http.get("/health");
        assertEquals(200, r.statusCode());
        assertTrue(r.body().contains("\"database\":\"up\""), r.body());
    }

    @Test
    void whenTheEmbeddedDatabaseStopsOnItsOwnTheLogAndHealthSaySo(@TempDir Path dataDir) throws Exception {
        Map<String, String> settings = Map.of("data.dir", dataDir.toString(),
                "db.embedded.binaries-dir", TestDatabase.EMBEDDED_BINARIES.toString(),
                "http.host", "127.0.0.1", "http.port", "0", "agi.host", "127.0.0.1", "agi.port", "0",
                "sip.enabled", "false", "recording.dir", dataDir.resolve("recordings").toString());
        try (LogCapture log = new LogCapture("io.calltrack.platform.db.EmbeddedPostgresServer");
             App app = App.start(CalltrackConfig.from(ConfigSource.of(settings)))) {
            Http own = new Http("http://127.0.0.1:" + app.httpPort());
            assertEquals(200, own.get("/health").statusCode());
            ProcessHandle postgres = ProcessHandle.of(Long.parseLong(
                    Files.readAllLines(dataDir.resolve("pg/postmaster.pid")).get(0).trim())).orElseThrow();

            postgres.destroyForcibly(); // what the kernel's OOM killer does
            postgres.onExit().get(30, TimeUnit.SECONDS);

            var r = own.get("/health");
            assertEquals(503, r.statusCode());
            assertTrue(r.body().contains("\"database\":\"stopped\"") && r.body().contains("stopped on its own"),
                    r.body());
            String line = log.await("stopped on its own", Duration.ofSeconds(20)).orElseThrow(
                    () -> new AssertionError("no log line: " + log.lines()));
            assertTrue(line.startsWith("ERROR The embedded PostgreSQL (pid " + postgres.pid() + ")"), line);
        }
    }

    @Test
    void metricsAreInPrometheusFormat() {
        var r = http.adminGet("/metrics");
        assertEquals(200, r.statusCode());
        assertTrue(r.headers().firstValue("content-type").orElse("").startsWith("text/plain"));
        assertTrue(r.body().contains("jvm_memory_used_bytes"), "JVM metrics are exported");
    }

    @Test
    void theRunningJobsGaugeIsShownOncePerJobKind() {
        List<String> running = http.adminGet("/metrics").body().lines()
                .filter(l -> l.startsWith("calltrack_jobs_running")).map(l -> l.substring(0, l.lastIndexOf(' ')))
                .sorted().toList();
        assertEquals(List.of("calltrack_jobs_running{kind=\"ga4\"}", "calltrack_jobs_running{kind=\"metrica\"}",
                "calltrack_jobs_running{kind=\"speech-rules\"}", "calltrack_jobs_running{kind=\"transcription\"}",
                "calltrack_jobs_running{kind=\"webhook\"}"),
                running, "the deliveries', the transcriptions' and the rule re-applications' runners each report their own kinds");
    }

    @Test
    void unknownPathIsAJson404() {
        var r = http.get("/no/such/thing");
        assertEquals(404, r.statusCode());
        assertTrue(r.body().contains("no such endpoint"), r.body());
    }

    @Test
    void wrongMethodIs405() {
        var r = http.post("/health", "{}");
        assertEquals(405, r.statusCode());
    }
}
