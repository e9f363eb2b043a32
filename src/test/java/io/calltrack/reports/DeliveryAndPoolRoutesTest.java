package io.calltrack.reports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.calltrack.support.Http;
import io.calltrack.support.TestServer;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Pool health, delivery settings, the Metrica file export and dead letters through the management API. */
class DeliveryAndPoolRoutesTest {
    static TestServer server;
    static Http http;
    static ReportFixture fx;
    static final ObjectMapper json = new ObjectMapper();

    @BeforeAll
    static void start() {
        server = TestServer.start();
        http = new Http(server.baseUrl());
        fx = new ReportFixture(server.db().dataSource());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void poolHealthShowsPeakExhaustionAndWhatItCost() throws Exception {
        long site = fx.site("UTC");
        long ch = fx.channel(site, "Ads", "dynamic");
        long n1 = fx.number(site, "+12125551001", "pool", null);
        long n2 = fx.number(site, "+12125551002", "pool", null);
        fx.number(site, "+12125551003", "static", ch);
        UUID s1 = fx.session(site).channel(ch).number(n1).at("2026-04-01T10:00:00Z").lastSeen("2026-04-01T10:20:00Z").insert();
        UUID s2 = fx.session(site).channel(ch).number(n2).at("2026-04-01T10:05:00Z").lastSeen("2026-04-01T10:30:00Z").insert();
        fx.session(site).channel(ch).noNumber().at("2026-04-01T10:10:00Z").lastSeen("2026-04-01T10:15:00Z").insert();
        fx.session(site).channel(ch).noNumber().bot().at("2026-04-01T10:11:00Z").insert();
        fx.lease(n1, s1, "2026-04-01T10:00:00Z", "2026-04-01T10:35:00Z");
        fx.lease(n2, s2, "2026-04-01T10:05:00Z", "2026-04-01T10:45:00Z");
        fx.call(site).attribution("unattributed").at("2026-04-01T10:12:00Z").unanswered(5).insert();
        fx.call(site).attribution("ambiguous").at("2026-04-01T10:13:00Z").unanswered(5).insert();
        fx.call(site).attribution("dynamic").session(s1).at("2026-04-01T10:14:00Z").unanswered(5).insert();

        var r = http.adminGet("/v1/sites/" + site + "/pool-health?from=2026-04-01&to=2026-04-01");
        assertEquals(200, r.statusCode(), r.body());
        JsonNode h = json.readTree(r.body());
        assertEquals(2, h.get("poolSize").asInt());
        assertEquals(3, h.get("peakConcurrentSessions").asInt());
        assertEquals(2, h.get("peakLeasedNumbers").asInt());
        assertEquals(30.0, h.get("minutesAtExhaustion").asDouble(), "both numbers held 10:05-10:35");
        assertEquals(3, h.get("dynamicSessions").asInt());
        assertEquals(1, h.get("sessionsWithoutNumber").asInt());
        assertEquals(1, h.get("unattributedCalls").asInt());
        assertEquals(1, h.get("ambiguousCalls").asInt());
    }

    @Test
    void settingsAreValidatedStoredAndReadBack() throws Exception {
        long site = fx.site("UTC");
        String path = "/v1/sites/" + site + "/delivery-settings";
        var empty = json.readTree(http.adminGet(path).body());
        assertTrue(empty.get("webhookUrl").isNull());

        var noSecret = http.adminPut(path, "{\"webhookUrl\":\"https://hooks.example.com/x\"}");
        assertEquals(400, noSecret.statusCode());
        assertTrue(noSecret.body().contains("webhookSecret"), noSecret.body());
        assertEquals(400, http.adminPut(path, "{\"webhookUrl\":\"ftp://x\",\"webhookSecret\":\"s\"}").statusCode());
        assertEquals(400, http.adminPut(path, "{\"webhookUrl\":\"https://x\",\"webhookSecret\":\"s\",\"colour\":1}").statusCode());

        var ok = http.adminPut(path, "{\"webhookUrl\":\"https://hooks.example.com/x\",\"webhookSecret\":\"s\"}");
        assertEquals(200, ok.statusCode(), ok.body());
        assertEquals("https://hooks.example.com/x", json.readTree(http.adminGet(path).body()).get("webhookUrl").asText());
        assertEquals(404, http.adminGet("/v1/sites/999999/delivery-settings").statusCode());
    }

    /** Secrets are write-only: read back they show only that they are set; what was read can be PUT back. */
    @Test
    void secretsAreNeverReturnedAndSurviveAPutOfWhatWasRead() throws Exception {
        long site = fx.site("UTC");
        String path = "/v1/sites/" + site + "/delivery-settings";
        var put = http.adminPut(path, """
                {"webhookUrl":"https://hooks.example.com/x","webhookSecret":"whsec-very-secret-7f3a",
                 "metricaUrl":"https://api-metrika.yandex.net/x","metricaToken":"y0_AgAAAA-token-9b21",
                 "ga4Url":"https://www.google-analytics.com/mp/collect","ga4MeasurementId":"G-1","ga4ApiSecret":"short"}""");
        assertEquals(200, put.statusCode(), put.body());
        for (String body : List.of(put.body(), http.adminGet(path).body())) {
            assertFalse(body.contains("very-secret") || body.contains("AgAAAA") || body.contains("short"), body);
        }
        var shown = json.readTree(http.adminGet(path).body());
        assertEquals("\u20267f3a", shown.get("webhookSecret").asText());
        assertEquals("\u20269b21", shown.get("metricaToken").asText());
        assertEquals("\u2026", shown.get("ga4ApiSecret").asText(), "a short secret shows nothing of itself");

        assertEquals(200, http.adminPut(path, shown.toString()).statusCode(), "what was read can be written back");
        try (var c = server.db().dataSource().getConnection(); var st = c.createStatement();
             var rs = st.executeQuery("SELECT webhook_secret FROM site_delivery_settings WHERE site_id = " + site)) {
            rs.next();
            assertEquals("whsec-very-secret-7f3a", rs.getString(1), "the stored secret is kept");
        }
    }

    /** PUT replaces all settings; PATCH changes the fields it names and keeps the rest, stored secrets included. */
    @Test
    void patchChangesOnlyTheFieldsItNamesAndKeepsTheStoredSecrets() throws Exception {
        long site = fx.site("UTC");
        String path = "/v1/sites/" + site + "/delivery-settings";
        assertEquals(200, http.adminPut(path, """
                {"webhookUrl":"https://hooks.example.com/x","webhookSecret":"whsec-very-secret-7f3a",
                 "metricaUrl":"https://api-metrika.yandex.net/x","metricaToken":"y0_AgAAAA-token-9b21"}""")
                .statusCode());
        var patched = http.adminPatch(path, "{\"callTrackerUrl\":\"https://ct.example.com\"}");
        assertEquals(200, patched.statusCode(), patched.body());
        JsonNode shown = json.readTree(patched.body());
        assertEquals("https://ct.example.com", shown.get("callTrackerUrl").asText());
        assertEquals("https://hooks.example.com/x", shown.get("webhookUrl").asText());
        assertEquals("https://api-metrika.yandex.net/x", shown.get("metricaUrl").asText());
        assertEquals("\u20267f3a", shown.get("webhookSecret").asText(), "still write-only");
        assertFalse(patched.body().contains("very-secret") || patched.body().contains("AgAAAA"), patched.body());
        assertEquals("whsec-very-secret-7f3a", storedWebhookSecret(site), "the stored secret is kept");

        var off = http.adminPatch(path, "{\"metricaUrl\":null}");
        assertEquals(200, off.statusCode(), off.body());
        assertTrue(json.readTree(off.body()).get("metricaUrl").isNull(), "null switches the delivery off");
        assertEquals("https://hooks.example.com/x", json.readTree(off.body()).get("webhookUrl").asText());

        var noSecret = http.adminPatch(path, "{\"webhookSecret\":null}");
        assertEquals(400, noSecret.statusCode(), noSecret.body());
        assertTrue(noSecret.body().contains("webhookSecret is required with webhookUrl"), noSecret.body());
        var badUrl = http.adminPatch(path, "{\"ga4Url\":\"ftp://x\"}");
        assertEquals(400, badUrl.statusCode(), badUrl.body());
        assertTrue(badUrl.body().contains("ga4Url"), badUrl.body());
        assertEquals("whsec-very-secret-7f3a", storedWebhookSecret(site), "a refused patch changes nothing");
        var rotated = http.adminPatch(path, "{\"webhookSecret\":\"whsec-rotated-secret-0001\"}");
        assertEquals(200, rotated.statusCode(), rotated.body());
        assertEquals("whsec-rotated-secret-0001", storedWebhookSecret(site));
        assertEquals(404, http.adminPatch("/v1/sites/999999/delivery-settings", "{}").statusCode());
    }

    /**
     * A URL Java cannot parse (a space in it) was stored; its deliveries then failed with "cannot build request:
     * Illegal character in query at index ...: <the whole request URL>", GA4's api_secret included, which went into
     * the log and the dead letters. Now it is refused when set, naming the field and quoting nothing of the secrets.
     */
    @Test
    void aUrlThatCannotBeParsedIsRefusedNamingTheField() throws Exception {
        long site = fx.site("UTC");
        String path = "/v1/sites/" + site + "/delivery-settings";
        var ga4 = http.adminPut(path, """
                {"ga4Url":"https://www.google-analytics.com/mp/collect?debug=1 ","ga4MeasurementId":"G-1",
                 "ga4ApiSecret":"ga4-api-secret-5f1e"}""");
        assertEquals(400, ga4.statusCode(), ga4.body());
        assertTrue(ga4.body().contains("ga4Url is not a valid http(s) URL"), ga4.body());
        assertFalse(ga4.body().contains("ga4-api-secret"), ga4.body());
        for (String bad : List.of("https://hooks.example.com/a b", "https://", "https://exa mple.com/")) {
            var r = http.adminPatch(path, "{\"callTrackerUrl\":\"" + bad + "\"}");
            assertEquals(400, r.statusCode(), bad + ": " + r.body());
            assertTrue(r.body().contains("callTrackerUrl is not a valid http(s) URL"), r.body());
        }
        assertEquals(200, http.adminPatch(path, "{\"callTrackerUrl\":\"https://ct.example.com:8443/base\"}")
                .statusCode());
    }

    private static String storedWebhookSecret(long site) throws Exception {
        try (var c = server.db().dataSource().getConnection(); var st = c.createStatement();
             var rs = st.executeQuery("SELECT webhook_secret FROM site_delivery_settings WHERE site_id = " + site)) {
            rs.next();
            return rs.getString(1);
        }
    }

    @Test
    void metricaFileHasCompletedCallsWithMetricasClientIdsOfTheSiteDays() throws Exception {
        long site = fx.site("America/New_York");
        assertEquals(200, http.adminPut("/v1/sites/" + site + "/delivery-settings",
                "{\"callTrackerUrl\":\"https://track.example.com\"}").statusCode());
        long inRange = fx.call(site).clientId("cid-1").ymClientId("1700000000111222333").caller("+12125550009")
                .at("2026-03-09T03:59:00Z").answered(4, 50, "target").insert();                // Mar 8 23:59 EDT
        fx.call(site).ymClientId("1700000000333444555").at("2026-03-09T04:01:00Z").answered(4, 50, "target").insert();
        fx.call(site).clientId("cid-3").at("2026-03-08T15:00:00Z").answered(4, 50, "target").insert(); // no Metrica id
        fx.call(site).ymClientId("1700000000555666777").state("ringing").at("2026-03-08T16:00:00Z").insert();
        fx.call(site).yclid("6812059218724716543").at("2026-03-08T17:00:00Z").answered(2, 30, "target").insert();

        var r = http.adminGet("/v1/sites/" + site + "/exports/metrica-calls?from=2026-03-08&to=2026-03-08");
        assertEquals(200, r.statusCode(), r.body());
        List<List<String>> rows = Csv.read(r.body());
        assertEquals(2, rows.size(), r.body());
        assertEquals("ClientId", rows.get(0).get(0));
        assertEquals("1700000000111222333", rows.get(1).get(0));
        assertEquals("1773028740", rows.get(1).get(1));
        assertEquals("0", rows.get(1).get(5));
        assertTrue(r.headers().firstValue("content-disposition").orElse("").contains("metrica-calls"));
        assertEquals("https://track.example.com/v1/calls/" + inRange, rows.get(1).get(9));

        // the calls Metrica can match only by their Direct click go into a file of their own
        var byYclid = http.adminGet("/v1/sites/" + site
                + "/exports/metrica-calls?from=2026-03-08&to=2026-03-08&client_id_type=YCLID");
        assertEquals(200, byYclid.statusCode(), byYclid.body());
        List<List<String>> yclidRows = Csv.read(byYclid.body());
        assertEquals(List.of("Yclid", "6812059218724716543"), List.of(yclidRows.get(0).get(0), yclidRows.get(1).get(0)));
        assertEquals(2, yclidRows.size(), byYclid.body());
        var bad = http.adminGet("/v1/sites/" + site + "/exports/metrica-calls?from=2026-03-08&to=2026-03-08"
                + "&client_id_type=USER_ID");
        assertEquals(400, bad.statusCode());
        assertTrue(bad.body().contains("client_id_type must be CLIENT_ID or YCLID"), bad.body());
    }

    @Test
    void deadLettersAreListedAndResentThroughTheApi() throws Exception {
        long site = fx.site("UTC");
        long call = fx.call(site).at("2026-03-08T15:00:00Z").answered(4, 50, "target").insert();
        fx.execute("""
                INSERT INTO job (site_id, call_id, kind, target, event, state, attempts, created_at, next_attempt_at,
                                 last_error)
                VALUES (?, ?, 'webhook', 'webhook https://hooks.example.com', 'call.completed', 'dead', 30, now(), now(),
                        'HTTP 500: boom')""", site, call);
        var list = json.readTree(http.adminGet("/v1/sites/" + site + "/dead-letters").body()).get("deadLetters");
        assertEquals(1, list.size());
        assertEquals("HTTP 500: boom", list.get(0).get("lastError").asText());
        long id = list.get(0).get("id").asLong();

        var resent = http.adminPost("/v1/outbox/" + id + "/resend", "");
        assertEquals(200, resent.statusCode(), resent.body());
        assertEquals("pending", json.readTree(resent.body()).get("state").asText());
        assertEquals(0, json.readTree(http.adminGet("/v1/sites/" + site + "/dead-letters").body()).get("deadLetters").size());
        assertEquals(409, http.adminPost("/v1/outbox/" + id + "/resend", "").statusCode());
        assertEquals(404, http.adminPost("/v1/outbox/999999/resend", "").statusCode());
        assertEquals(400, http.adminGet("/v1/sites/" + site + "/dead-letters?limit=0").statusCode());
    }

    @Test
    void recentDeliveriesArePagedNewestFirstInTheDeliveryApisWords() throws Exception {
        long site = fx.site("UTC");
        long other = fx.site("UTC");
        long call = fx.call(site).at("2026-03-08T15:00:00Z").answered(4, 50, "target").insert();
        long elsewhere = fx.call(other).at("2026-03-08T15:00:00Z").answered(4, 50, "target").insert();
        job(site, call, "webhook", "done", null);
        job(site, call, "metrica", "skipped", "no Metrica ClientId");
        job(site, call, "transcription", "done", null);
        job(site, call, "webhook", "dead", "HTTP 500: boom");
        job(site, call, "ga4", "pending", null);
        job(other, elsewhere, "webhook", "done", null);

        JsonNode first = json.readTree(http.adminGet("/v1/sites/" + site + "/deliveries?limit=2").body());
        assertEquals(List.of("ga4 pending", "webhook dead"), shown(first));
        assertEquals("HTTP 500: boom", first.at("/items/1/lastError").asText());
        assertEquals(call, first.at("/items/0/callId").asLong());
        JsonNode second = json.readTree(http.adminGet("/v1/sites/" + site + "/deliveries?limit=2&cursor="
                + first.get("nextCursor").asLong()).body());
        assertEquals(List.of("metrica not_matchable", "webhook delivered"), shown(second),
                "the transcription job is no delivery, the other site's are not this site's");
        assertTrue(second.get("nextCursor").isNull(), second.toString());
        assertEquals(400, http.adminGet("/v1/sites/" + site + "/deliveries?cursor=x").statusCode());
        assertEquals(404, http.adminGet("/v1/sites/999999/deliveries").statusCode());
    }

    private static void job(long site, long call, String kind, String state, String error) {
        fx.execute("""
                INSERT INTO job (site_id, call_id, kind, target, event, state, attempts, created_at, next_attempt_at,
                                 done_at, last_error)
                VALUES (?, ?, ?, ?, 'call.completed', ?, 1, now(), now(), CASE WHEN ? = 'done' THEN now() END, ?)""",
                site, call, kind, kind + " receiver", state, state, error);
    }

    private static List<String> shown(JsonNode page) {
        List<String> out = new java.util.ArrayList<>();
        page.get("items").forEach(d -> out.add(d.get("target").asText() + " " + d.get("status").asText()));
        return out;
    }
}
