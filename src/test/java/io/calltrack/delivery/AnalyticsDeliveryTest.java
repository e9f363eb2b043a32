package io.calltrack.delivery;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.calltrack.telephony.agi.peer.FakeAsterisk;
import io.calltrack.reports.Csv;
import io.calltrack.support.Http;
import io.calltrack.support.TestServer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What Metrica and GA4 receive for a call, from end to end: the visitor's page reports its analytics cookies as the
 * tags set them ({@code _ga} by gtag.js, {@code _ym_uid} by Metrica's tag), the visitor calls the number it was shown
 * (FastAGI), and calltrack's outbox uploads the call to a receiver standing for both services.
 */
class AnalyticsDeliveryTest {
    static final ObjectMapper json = new ObjectMapper();
    static final String GA_COOKIE = "GA1.1.1234567890.1700000000";
    static final String GA_CLIENT_ID = "1234567890.1700000000";
    static final String YM_UID = "1700000000123456789";
    static final String CALLER = "+16175550123";

    TestReceiver receiver;
    TestServer server;
    Http http;
    long siteId;
    String siteKey;

    @BeforeEach
    void start() throws Exception {
        receiver = new TestReceiver();
        server = TestServer.start(Map.of("agi.fallback-dial", "PJSIP/reception", "tracking.default-region", "US",
                "outbox.poll-interval", "100ms"));
        http = new Http(server.baseUrl());
        JsonNode site = json.readTree(http.adminPost("/v1/sites", """
                {"name":"Shop","timeZone":"UTC","fallbackNumber":"+12125550100","allowedOrigins":["*"]}""").body());
        siteId = site.get("id").asLong();
        siteKey = site.get("publicKey").asText();
        var number = http.adminPost("/v1/sites/" + siteId + "/numbers", "{\"number\":\"+13125550001\",\"kind\":\"pool\"}");
        assertEquals(2, number.statusCode() / 100, number.body());
        var settings = http.adminPut("/v1/sites/" + siteId + "/delivery-settings", """
                {"metricaUrl":"%s","metricaToken":"oauth-token","ga4Url":"%s","ga4MeasurementId":"G-TEST",
                 "ga4ApiSecret":"secret","callTrackerUrl":"https://track.example.com"}"""
                .formatted(receiver.url("/management/v1/counter/42/offline_conversions/upload_calls"),
                        receiver.url("/mp/collect")));
        assertEquals(200, settings.statusCode(), settings.body());
    }

    @AfterEach
    void stop() {
        server.close();
        receiver.close();
    }

    @Test
    void metricaGetsTheYmUidAndGa4TheGaClientIdTheVisitorsPageHad() throws Exception {
        visit("""
                {"clientId":"5c0f3a52-calltrack-cookie","page":"https://shop.example/sofas?utm_source=google&utm_medium=cpc&gclid=EAIaIQobChMIsofa",
                 "gaClientId":"%s","ymClientId":"%s"}""".formatted(GA_COOKIE, YM_UID));

        call();

        List<TestReceiver.Received> got = receiver.await(2, Duration.ofSeconds(10));
        TestReceiver.Received metrica = only(got, "/management/v1/counter/42/offline_conversions/upload_calls");
        assertEquals("client_id_type=CLIENT_ID", metrica.query());
        List<List<String>> file = metricaFile(metrica);
        assertEquals("ClientId", file.get(0).get(0));
        assertEquals(YM_UID, file.get(1).get(0), "Metrica's own ClientID, not calltrack's cookie");
        assertEquals(CALLER, file.get(1).get(2));
        assertEquals("0", file.get(1).get(10), "a dynamic call");

        JsonNode ga4 = json.readTree(only(got, "/mp/collect").body());
        assertEquals(GA_CLIENT_ID, ga4.get("client_id").asText(), "GA4's client id: the _ga cookie's last two parts");
        assertEquals("EAIaIQobChMIsofa", ga4.at("/events/0/params/gclid").asText());
        assertEquals("google", ga4.at("/events/0/params/source").asText());

        JsonNode call = onlyCall();
        assertEquals(GA_CLIENT_ID, call.at("/visit/analyticsIds/gaClientId").asText());
        assertEquals(YM_UID, call.at("/visit/analyticsIds/ymClientId").asText());
        assertEquals("EAIaIQobChMIsofa", call.at("/visit/touches/last/clickIds/gclid").asText());
        assertEquals("5c0f3a52-calltrack-cookie", call.at("/visit/clientId").asText());
    }

    @Test
    void cookiesTheAnalyticsTagsSetAfterTheSessionStartedArriveWithAHeartbeat() throws Exception {
        JsonNode session = visit("""
                {"clientId":"5c0f3a52-calltrack-cookie","page":"https://shop.example/?yclid=6812059218724716543"}""");
        var beat = http.post("/v1/visitor/" + siteKey + "/sessions/" + session.get("sessionId").asText()
                + "/heartbeat", """
                {"page":"https://shop.example/cart","gaClientId":"GA1.2.99.88","ymClientId":"%s"}""".formatted(YM_UID));
        assertEquals(200, beat.statusCode(), beat.body());

        call();

        List<TestReceiver.Received> got = receiver.await(2, Duration.ofSeconds(10));
        TestReceiver.Received metrica = only(got, "/management/v1/counter/42/offline_conversions/upload_calls");
        assertEquals(YM_UID, metricaFile(metrica).get(1).get(0), "a ClientID goes before the yclid");
        assertEquals("99.88", json.readTree(only(got, "/mp/collect").body()).get("client_id").asText());
    }

    @Test
    void aVisitorWithoutAnalyticsCookiesIsUploadedByYclidToMetricaAndNotAtAllToGa4() throws Exception {
        visit("""
                {"clientId":"5c0f3a52-calltrack-cookie","page":"https://shop.example/?yclid=6812059218724716543",
                 "gaClientId":"not a cookie", "ymClientId":"1e9; drop table"}""");

        call();

        TestReceiver.Received metrica = receiver.await(1, Duration.ofSeconds(10)).get(0);
        assertEquals("client_id_type=YCLID", metrica.query());
        assertEquals(List.of("Yclid", "6812059218724716543"),
                metricaFile(metrica).stream().map(row -> row.get(0)).toList());
        JsonNode ga4 = awaitStatus("ga4", 1);
        assertEquals(0, ga4.get("pending").asInt() + ga4.get("delivered").asInt(), ga4.toString());
        assertEquals(1, receiver.received().size(), "nothing was sent to GA4");
        assertTrue(metric("calltrack_calls_not_matchable_total{site=\"" + siteId + "\",target=\"ga4\"} 1.0"),
                "counted in /metrics");
        JsonNode metricaStatus = awaitStatus("metrica", 0);
        assertEquals(1, metricaStatus.get("delivered").asInt(), metricaStatus.toString());
    }

    @Test
    void aCallNeitherCanMatchIsSentToNeitherAndCountedAsNotMatchable() throws Exception {
        visit("{\"clientId\":\"5c0f3a52-calltrack-cookie\",\"page\":\"https://shop.example/\"}");

        call();

        assertEquals(1, awaitStatus("metrica", 1).get("notMatchable").asInt());
        assertEquals(1, awaitStatus("ga4", 1).get("notMatchable").asInt());
        assertTrue(metric("calltrack_calls_not_matchable_total{site=\"" + siteId + "\",target=\"metrica\"} 1.0"));
        assertTrue(metric("calltrack_calls_not_matchable_total{site=\"" + siteId + "\",target=\"ga4\"} 1.0"));
        assertEquals(List.of(), receiver.received());
    }

    private JsonNode visit(String body) throws Exception {
        var r = http.post("/v1/visitor/" + siteKey + "/sessions", body);
        assertEquals(200, r.statusCode(), r.body());
        JsonNode session = json.readTree(r.body());
        assertEquals("+13125550001", session.at("/number/e164").asText());
        return session;
    }

    /** The visitor calls the number they were shown; a manager answers and they talk a moment. */
    private void call() {
        FakeAsterisk.call(server.app().agiPort()).script("incoming").uniqueId("1795382012.101")
                .dnid("13125550001").extension("13125550001").args("13125550001").callerId(CALLER)
                .dialOutcome("PJSIP/reception", "ANSWER").talks(Duration.ofSeconds(3)).run();
    }

    private JsonNode onlyCall() throws Exception {
        JsonNode items = json.readTree(http.adminGet("/v1/calls").body()).get("items");
        assertEquals(1, items.size(), items.toString());
        return items.get(0);
    }

    /**
     * The target's delivery status once {@code notMatchable} calls are recorded as not matchable and nothing is
     * left to send: the call completes and is queued in the server, out of the test's sight.
     */
    private JsonNode awaitStatus(String target, int notMatchable) {
        return await(target + " settled with " + notMatchable + " not matchable").atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(20))
                .until(() -> json.readTree(http.adminGet("/v1/sites/" + siteId + "/delivery-status").body())
                        .get("targets").get(target), t -> t.get("notMatchable").asInt() == notMatchable
                        && t.get("pending").asInt() == 0 && t.get("notMatchable").asInt() + t.get("delivered").asInt() > 0);
    }

    private boolean metric(String line) {
        String metrics = http.adminGet("/metrics").body();
        return metrics.lines().anyMatch(l -> l.equals(line));
    }

    private static TestReceiver.Received only(List<TestReceiver.Received> got, String path) {
        List<TestReceiver.Received> to = got.stream().filter(r -> r.path().equals(path)).toList();
        assertEquals(1, to.size(), "requests to " + path + ": " + got);
        return to.get(0);
    }

    private static List<List<String>> metricaFile(TestReceiver.Received upload) {
        String text = upload.bodyText();
        return Csv.read(text.substring(text.indexOf("\r\n\r\n") + 4, text.lastIndexOf("\r\n--")));
    }
}
