package io.calltrack.tracking.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.calltrack.support.Http;
import io.calltrack.support.TestServer;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class VisitorRoutesTest {
    static final ObjectMapper json = new ObjectMapper();
    static final String ORIGIN = "https://shop.example";
    static final String BROWSER = "Mozilla/5.0 (X11; Linux x86_64; rv:120.0) Gecko/20100101 Firefox/120.0";
    static TestServer server;
    static Http http;
    static String key;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(Map.of("tracking.session-starts-per-ip-per-minute", "1000",
                "tracking.heartbeat-max", "45s"));
        http = new Http(server.baseUrl());
        JsonNode site = json.readTree(http.adminPost("/v1/sites", """
                {"name":"Shop","timeZone":"UTC","fallbackNumber":"+12125550100","allowedOrigins":["%s"]}"""
                .formatted(ORIGIN)).body());
        key = site.get("publicKey").asText();
        long id = site.get("id").asLong();
        long billboard = json.readTree(http.adminPost("/v1/sites/" + id + "/channels",
                "{\"name\":\"billboard\",\"tracking\":\"static\",\"utmSource\":\"billboard\"}").body()).get("id").asLong();
        http.adminPost("/v1/sites/" + id + "/numbers",
                "{\"number\":\"+13125559999\",\"kind\":\"static\",\"channelId\":" + billboard + "}");
        for (int i = 0; i < 5; i++) {
            http.adminPost("/v1/sites/" + id + "/numbers", "{\"number\":\"+1312555000" + i + "\",\"kind\":\"pool\"}");
        }
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static HttpResponse<String> visitorPost(String path, String body, String origin, String userAgent) {
        HttpRequest.Builder b = http.builder("/v1/visitor/" + key + "/sessions" + path)
                .POST(HttpRequest.BodyPublishers.ofString(body)).header("User-Agent", userAgent);
        if (origin != null) b.header("Origin", origin);
        return http.send(b, false);
    }

    static JsonNode startOk(String clientId, String page) throws Exception {
        var r = visitorPost("", "{\"clientId\":\"%s\",\"page\":\"%s\"}".formatted(clientId, page), ORIGIN, BROWSER);
        assertEquals(200, r.statusCode(), r.body());
        assertEquals(ORIGIN, r.headers().firstValue("access-control-allow-origin").orElse(""));
        return json.readTree(r.body());
    }

    /**
     * A seen session holds its number for the site's hold time (15 minutes by default): a third of it would be
     * 300 s, and tracking.heartbeat-max caps it. Before the first heartbeat the unseen hold (2 min) gives 40 s.
     */
    @Test
    void theSnippetIsToldToHeartbeatWithinTheConfiguredBounds() throws Exception {
        JsonNode started = startOk("visitor-cadence", "https://shop.example/");
        assertEquals(40, started.get("heartbeatSeconds").asInt());
        var beat = visitorPost("/" + started.get("sessionId").asText() + "/heartbeat", "{}", ORIGIN, BROWSER);
        assertEquals(200, beat.statusCode(), beat.body());
        assertEquals(45, json.readTree(beat.body()).get("heartbeatSeconds").asInt());
    }

    @Test
    void aVisitorGetsAPoolNumberKeepsItOnTheNextPageAndCanHeartbeatAndEnd() throws Exception {
        JsonNode first = startOk("visitor-1", "https://shop.example/");
        String e164 = first.get("number").get("e164").asText();
        assertTrue(e164.startsWith("+1312555000"), first.toString());
        assertEquals("pool", first.get("source").asText());
        assertEquals(e164.substring(2, 5), first.get("number").get("display").asText().substring(1, 4));
        assertTrue(first.get("trackId").asText().matches("\\d{4}"), first.toString());
        assertTrue(first.hasNonNull("expiresAt"));
        String session = first.get("sessionId").asText();

        String beatPath = "/" + session + "/heartbeat";
        var beat = visitorPost(beatPath, "{}", ORIGIN, BROWSER);
        assertEquals(200, beat.statusCode(), beat.body());
        assertEquals(e164, json.readTree(beat.body()).get("number").get("e164").asText());
        assertEquals(204, visitorPost("/" + session + "/end", "{}", ORIGIN, BROWSER).statusCode());

        JsonNode next = startOk("visitor-1", "https://shop.example/contact");
        assertTrue(next.get("resumed").asBoolean());
        assertEquals(session, next.get("sessionId").asText());
        assertEquals(e164, next.get("number").get("e164").asText());
        assertNotEquals(e164, startOk("visitor-2", "https://shop.example/").get("number").get("e164").asText());
    }

    @Test
    void aHeartbeatMayBringASinglePageNavigationAndLateAnalyticsCookiesOrNothingAtAll() throws Exception {
        var start = visitorPost("", """
                {"clientId":"visitor-spa","page":"https://shop.example/","gaClientId":"not a cookie","ymClientId":"x"}""",
                ORIGIN, BROWSER);
        assertEquals(200, start.statusCode(), "a cookie calltrack cannot read never fails the visit: " + start.body());
        String beat = "/" + json.readTree(start.body()).get("sessionId").asText() + "/heartbeat";
        String e164 = json.readTree(start.body()).at("/number/e164").asText();

        var spa = visitorPost(beat, """
                {"page":"https://shop.example/catalog/sofas","gaClientId":"GA1.1.1234567890.1700000000",
                 "ymClientId":"1700000000123456789"}""", ORIGIN, BROWSER);
        assertEquals(200, spa.statusCode(), spa.body());
        assertEquals(e164, json.readTree(spa.body()).at("/number/e164").asText());
        var none = http.send(http.builder("/v1/visitor/" + key + "/sessions" + beat).header("Origin", ORIGIN)
                .POST(HttpRequest.BodyPublishers.noBody()), false);
        assertEquals(200, none.statusCode(), "no body: " + none.body());
        assertEquals(e164, json.readTree(none.body()).at("/number/e164").asText());

        var typo = visitorPost(beat, "{\"pgae\":\"https://shop.example/\"}", ORIGIN, BROWSER);
        assertEquals(400, typo.statusCode());
        assertTrue(typo.body().contains("pgae"), typo.body());
        assertEquals(400, visitorPost(beat, "{\"page\":", ORIGIN, BROWSER).statusCode());
    }

    @Test
    void utmParametersOfThePageSelectAStaticChannel() throws Exception {
        JsonNode s = startOk("visitor-billboard", "https://shop.example/?utm_source=billboard&utm_medium=offline");
        assertEquals("+13125559999", s.get("number").get("e164").asText());
        assertEquals("static", s.get("source").asText());
    }

    @Test
    void botsGetTheFallbackNumber() throws Exception {
        var r = visitorPost("", "{\"clientId\":\"bot-1\",\"page\":\"https://shop.example/\"}", null,
                "Mozilla/5.0 (compatible; bingbot/2.0)");
        assertEquals(200, r.statusCode(), r.body());
        assertEquals("+12125550100", json.readTree(r.body()).get("number").get("e164").asText());
        assertEquals("fallback", json.readTree(r.body()).get("source").asText());
    }

    @Test
    void corsPreflightAnswersAllowedOriginsAndRefusesOthers() {
        var preflight = http.send(http.builder("/v1/visitor/" + key + "/sessions")
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody()).header("Origin", ORIGIN)
                .header("Access-Control-Request-Method", "POST"), false);
        assertEquals(204, preflight.statusCode());
        assertEquals(ORIGIN, preflight.headers().firstValue("access-control-allow-origin").orElse(""));
        assertTrue(preflight.headers().firstValue("access-control-allow-methods").orElse("").contains("POST"));
        assertTrue(preflight.headers().firstValue("access-control-allow-headers").orElse("").contains("Content-Type"));

        var foreign = visitorPost("", "{\"clientId\":\"x\"}", "https://evil.example", BROWSER);
        assertEquals(403, foreign.statusCode());
        assertTrue(foreign.body().contains("origin https://evil.example is not allowed"), foreign.body());
        assertFalse(foreign.headers().firstValue("access-control-allow-origin").isPresent());
    }

    @Test
    void badVisitorRequestsGetClearErrors() {
        var noClient = visitorPost("", "{\"page\":\"https://shop.example/\"}", ORIGIN, BROWSER);
        assertEquals(400, noClient.statusCode());
        assertTrue(noClient.body().contains("clientId is required"), noClient.body());
        assertEquals(400, visitorPost("", "{\"clientId\":", ORIGIN, BROWSER).statusCode());
        var unknownKey = http.post("/v1/visitor/nope/sessions", "{\"clientId\":\"x\"}");
        assertEquals(404, unknownKey.statusCode());
        assertTrue(unknownKey.body().contains("no site has the key 'nope'"), unknownKey.body());
        var unknownSession = visitorPost("/00000000-0000-0000-0000-000000000000/heartbeat", "{}", ORIGIN, BROWSER);
        assertEquals(404, unknownSession.statusCode());
        assertTrue(unknownSession.body().contains("unknown or expired"), unknownSession.body());
        assertEquals(404, visitorPost("/not-a-uuid/end", "{}", ORIGIN, BROWSER).statusCode());
    }

    @Test
    void errorsCarryTheAllowedOriginsCorsHeadersSoTheSnippetCanReadThem() {
        for (var r : List.of(visitorPost("", "{\"page\":\"https://shop.example/\"}", ORIGIN, BROWSER),
                visitorPost("", "{\"clientId\":", ORIGIN, BROWSER),
                visitorPost("/00000000-0000-0000-0000-000000000000/heartbeat", "{}", ORIGIN, BROWSER),
                visitorPost("/not-a-uuid/end", "{}", ORIGIN, BROWSER))) {
            assertTrue(r.statusCode() == 400 || r.statusCode() == 404, r.statusCode() + " " + r.body());
            assertEquals(ORIGIN, r.headers().firstValue("access-control-allow-origin").orElse(""),
                    r.statusCode() + " " + r.body());
            assertEquals("Origin", r.headers().firstValue("vary").orElse(""));
        }
        var foreign = visitorPost("/00000000-0000-0000-0000-000000000000/heartbeat", "{}", "https://evil.example",
                BROWSER);
        assertEquals(403, foreign.statusCode());
        assertFalse(foreign.headers().firstValue("access-control-allow-origin").isPresent());
    }

    @Test
    void tooManyStartsFromOneIpAre429() throws Exception {
        try (TestServer limited = TestServer.start(Map.of("tracking.session-starts-per-ip-per-minute", "3"))) {
            Http h = new Http(limited.baseUrl());
            String k = json.readTree(h.adminPost("/v1/sites", "{\"name\":\"S\",\"timeZone\":\"UTC\","
                    + "\"fallbackNumber\":\"+12125550100\",\"allowedOrigins\":[\"" + ORIGIN + "\"]}").body())
                    .get("publicKey").asText();
            // 7 starts with a limit of 3 per minute: at least 4 fall into one minute even across a minute boundary
            List<HttpResponse<String>> responses = new ArrayList<>();
            for (int i = 0; i < 7; i++) {
                responses.add(h.send(h.builder("/v1/visitor/" + k + "/sessions").header("User-Agent", BROWSER)
                        .header("Origin", ORIGIN).POST(HttpRequest.BodyPublishers.ofString("{\"clientId\":\"c" + i + "\"}")), false));
            }
            HttpResponse<String> refused = responses.stream().filter(r -> r.statusCode() == 429).findFirst()
                    .orElseThrow(() -> new AssertionError("no start was refused"));
            assertTrue(json.readTree(refused.body()).get("error").asText()
                    .contains("too many session starts from 127.0.0.1"), refused.body());
            assertEquals(ORIGIN, refused.headers().firstValue("access-control-allow-origin").orElse(""),
                    "the snippet can read the refusal");
        }
    }

    @Test
    void behindAProxyTheLimitCountsTheVisitorsAddressFromTheConfiguredHeader() throws Exception {
        try (TestServer limited = TestServer.start(Map.of("tracking.session-starts-per-ip-per-minute", "1",
                "tracking.client-ip-header", "X-Forwarded-For", "tracking.trusted-proxies", "127.0.0.1, 10.0.0.0/8"))) {
            Http h = new Http(limited.baseUrl());
            String k = json.readTree(h.adminPost("/v1/sites",
                    "{\"name\":\"S\",\"timeZone\":\"UTC\",\"fallbackNumber\":\"+12125550100\"}").body())
                    .get("publicKey").asText();
            // every visitor arrives from the proxy's address; only the header tells them apart
            for (int i = 0; i < 5; i++) {
                var r = h.send(h.builder("/v1/visitor/" + k + "/sessions").header("User-Agent", BROWSER)
                        .header("X-Forwarded-For", "198.51.100." + i + ", 10.0.0.1")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"clientId\":\"c" + i + "\"}")), false);
                assertEquals(200, r.statusCode(), r.body());
            }
        }
    }

    /**
     * The left-most X-Forwarded-For entries are what the client wrote: 150 invented addresses got 150 sessions past
     * the per-IP limit. The visitor is the right-most address a trusted proxy did not add, and from a peer that is no
     * trusted proxy the header is not read at all.
     */
    @Test
    void aClientCannotChooseItsAddressWithXForwardedFor() throws Exception {
        for (String trusted : List.of("127.0.0.1", "192.0.2.10")) {
            try (TestServer limited = TestServer.start(Map.of("tracking.session-starts-per-ip-per-minute", "1",
                    "tracking.client-ip-header", "X-Forwarded-For", "tracking.trusted-proxies", trusted))) {
                Http h = new Http(limited.baseUrl());
                String k = json.readTree(h.adminPost("/v1/sites",
                        "{\"name\":\"S\",\"timeZone\":\"UTC\",\"fallbackNumber\":\"+12125550100\"}").body())
                        .get("publicKey").asText();
                int accepted = 0;
                for (int i = 0; i < 150; i++) {
                    var r = h.send(h.builder("/v1/visitor/" + k + "/sessions").header("User-Agent", BROWSER)
                            .header("X-Forwarded-For", "203.0.113." + i + ", 198.51.100.7")
                            .POST(HttpRequest.BodyPublishers.ofString("{\"clientId\":\"c" + i + "\"}")), false);
                    if (r.statusCode() == 200) accepted++;
                    else assertEquals(429, r.statusCode(), r.body());
                }
                assertEquals(1, accepted, "one visitor (trusted proxy " + trusted + "), one start a minute");
            }
        }
    }

    @Test
    void theClientAddressHeaderNeedsTrustedProxies() {
        var e = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class, () -> TestServer.start(
                Map.of("tracking.client-ip-header", "X-Forwarded-For")));
        assertTrue(String.valueOf(e.getCause()).contains("needs tracking.trusted-proxies"), String.valueOf(e.getCause()));
    }

    @Test
    void theSnippetCarriesTheSiteKeyAndDefaultNumber() {
        var r = http.get("/snippet.js?site=" + key);
        assertEquals(200, r.statusCode());
        assertTrue(r.headers().firstValue("content-type").orElse("").startsWith("application/javascript"));
        assertTrue(r.body().contains("\"siteKey\":\"" + key + "\""), r.body());
        assertTrue(r.body().contains("\"holdSeconds\":900"), r.body());
        assertTrue(r.body().contains("\"defaultNumber\":{\"e164\":\"+12125550100\",\"display\":\"(212) 555-0100\","
                + "\"international\":\"+1 212-555-0100\"}"), r.body());
        assertFalse(r.body().contains("CALLTRACK_CONFIG"), "the settings replace the placeholder");
        assertEquals(400, http.get("/snippet.js").statusCode());
        assertEquals(404, http.get("/snippet.js?site=nope").statusCode());
    }
}
