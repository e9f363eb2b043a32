package io.calltrack.tracking.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.calltrack.support.Http;
import io.calltrack.support.MutableClock;
import io.calltrack.support.TestServer;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The installation check sees the snippet's sessions of the last 24 h by origin and landing page. */
class InstallationCheckTest {
    private final ObjectMapper json = new ObjectMapper();
    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-01T10:00:00Z"));
    private TestServer server;
    private Http http;
    private long site;
    private String key;
    private int visitors;

    @BeforeEach
    void start() throws Exception {
        server = TestServer.start(Map.of(), clock);
        http = new Http(server.baseUrl());
        HttpResponse<String> r = http.adminPost("/v1/sites", """
                {"name":"Shop","timeZone":"UTC","fallbackNumber":"+4930555000",
                 "allowedOrigins":["https://shop.example","https://www.shop.example"]}""");
        assertEquals(201, r.statusCode(), r.body());
        site = json.readTree(r.body()).get("id").asLong();
        key = json.readTree(r.body()).get("publicKey").asText();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private int visit(String origin, String page) {
        HttpRequest.Builder b = http.builder("/v1/visitor/" + key + "/sessions").header("Origin", origin)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"clientId\":\"visitor-" + (++visitors) + "\",\"page\":\""
                        + page + "\"}"));
        return http.send(b, false).statusCode();
    }

    private JsonNode check() throws Exception {
        HttpResponse<String> r = http.adminGet("/v1/sites/" + site + "/installation");
        assertEquals(200, r.statusCode(), r.body());
        return json.readTree(r.body());
    }

    @Test
    void aNewSiteSaysTheSnippetHasNotCalledIn() throws Exception {
        JsonNode c = check();
        assertFalse(c.get("installed").asBoolean());
        assertEquals(0, c.get("sessions").asLong());
        assertTrue(c.get("lastSeenAt").isNull());
        assertEquals(0, c.get("pages").size());
    }

    @Test
    void sessionsFromAllowedOriginsAreCountedByOriginAndLandingPage() throws Exception {
        assertEquals(200, visit("https://shop.example", "https://shop.example/sofas?utm_source=google&gclid=x"));
        assertEquals(200, visit("https://shop.example", "https://shop.example/sofas?utm_source=yandex"));
        clock.advance(Duration.ofMinutes(5));
        assertEquals(200, visit("https://www.shop.example", "https://www.shop.example/"));
        assertEquals(403, visit("https://evil.example", "https://evil.example/copy"), "refused, not a session");

        JsonNode c = check();
        assertTrue(c.get("installed").asBoolean());
        assertEquals(3, c.get("sessions").asLong());
        assertEquals("2026-12-01T10:05:00Z", c.get("lastSeenAt").asText());
        assertEquals("https://shop.example", c.at("/origins/0/origin").asText());
        assertEquals(2, c.at("/origins/0/sessions").asLong());
        assertTrue(c.at("/origins/0/allowed").asBoolean());
        assertEquals("https://www.shop.example", c.at("/origins/1/origin").asText());
        assertEquals(2, c.get("origins").size(), "the refused origin started nothing");
        assertEquals("https://shop.example/sofas", c.at("/pages/0/value").asText(), "query strings folded");
        assertEquals(2, c.at("/pages/0/sessions").asLong());

        // the origin list changed since: a page still reporting from a removed origin is flagged
        assertEquals(200, http.adminPatch("/v1/sites/" + site, "{\"allowedOrigins\":[\"https://www.shop.example\"]}")
                .statusCode());
        assertFalse(check().at("/origins/0/allowed").asBoolean());

        clock.advance(Duration.ofHours(25));
        assertFalse(check().get("installed").asBoolean(), "nothing in the last 24 h");
        assertEquals(404, http.adminGet("/v1/sites/999999/installation").statusCode());
        assertEquals(401, http.get("/v1/sites/" + site + "/installation").statusCode());
    }
}
