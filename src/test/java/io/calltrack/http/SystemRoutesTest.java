package io.calltrack.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.calltrack.support.Http;
import io.calltrack.support.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

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
    void metricsAreInPrometheusFormat() {
        var r = http.get("/metrics");
        assertEquals(200, r.statusCode());
        assertTrue(r.headers().firstValue("content-type").orElse("").startsWith("text/plain"));
        assertTrue(r.body().contains("jvm_memory_used_bytes"), "JVM metrics are exported");
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
