package io.calltrack.access;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.calltrack.platform.db.Jdbc;
import io.calltrack.support.Http;
import io.calltrack.support.TestServer;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The audit log over HTTP: what management changes, playbacks, exports and re-sends leave in it, and its filters. */
class AuditLogTest {
    private static final ObjectMapper json = new ObjectMapper();
    private static TestServer server;
    private static Http http;
    private static Jdbc jdbc;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        http = new Http(server.baseUrl());
        jdbc = new Jdbc(server.db().dataSource());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static long site(Http http, String name) throws Exception {
        var r = http.adminPost("/v1/sites", """
                {"name":"%s","timeZone":"Europe/Moscow","fallbackNumber":"+74951234567"}""".formatted(name));
        assertEquals(201, r.statusCode(), r.body());
        return json.readTree(r.body()).get("id").asLong();
    }

    /** Every entry the query finds, following the cursor page by page. */
    private static List<JsonNode> audit(String query) throws Exception {
        List<JsonNode> all = new ArrayList<>();
        String cursor = "";
        while (true) {
            var r = http.adminGet("/v1/audit?" + query + cursor);
            assertEquals(200, r.statusCode(), r.body());
            JsonNode page = json.readTree(r.body());
            page.get("items").forEach(all::add);
            if (page.get("nextCursor").isNull()) return all;
            cursor = "&cursor=" + page.get("nextCursor").asLong();
        }
    }

    private static String enc(String v) {
        return URLEncoder.encode(v, StandardCharsets.UTF_8);
    }

    @Test
    void aRoutingChangeIsRecordedWithWhoWhenFromWhereAndBeforeAndAfter() throws Exception {
        long site = site(http, "Routing shop");
        String routing = """
                {"departments":[{"name":"Sales","managers":[{"name":"Ann","dialString":"PJSIP/101"}]}],
                 "rules":[]}""";
        assertEquals(200, http.adminPut("/v1/sites/" + site + "/routing", routing).statusCode());
        Instant before = Instant.now();
        var patch = http.adminPatch("/v1/sites/" + site + "/routing", """
                {"departments":[{"name":"Sales","managers":[{"name":"Ann","dialString":"PJSIP/111"}]}]}""");
        assertEquals(200, patch.statusCode(), patch.body());

        List<JsonNode> changes = audit("action=sites.routing.changed&site=" + site);
        assertEquals(2, changes.size(), changes.toString());
        JsonNode last = changes.get(0);
        assertEquals("PATCH", last.at("/detail/method").asText());
        assertEquals("PJSIP/101", last.at("/detail/before/departments/0/managers/0/dialString").asText());
        assertEquals("PJSIP/111", last.at("/detail/after/departments/0/managers/0/dialString").asText());
        assertEquals("admin-token", last.get("login").asText());
        assertEquals("127.0.0.1", last.get("remoteAddress").asText());
        assertEquals("/v1/sites/" + site + "/routing", last.get("target").asText());
        assertFalse(Instant.parse(last.get("at").asText()).isBefore(before.minusSeconds(1)));
        assertTrue(changes.get(1).at("/detail/before/departments").isEmpty(), "the first PUT: no department before");

        assertEquals(200, http.adminPatch("/v1/sites/" + site, "{\"name\":\"Renamed shop\"}").statusCode());
        JsonNode renamed = audit("action=sites.changed&site=" + site).get(0);
        assertEquals("Routing shop", renamed.at("/detail/before/name").asText());
        assertEquals("Renamed shop", renamed.at("/detail/after/name").asText());
        assertEquals(1, audit("action=sites.posted&site=" + site).size(), "the site's creation");

        assertEquals(204, http.adminDelete("/v1/sites/" + site).statusCode());
        JsonNode deleted = audit("action=sites.deleted&site=" + site).get(0);
        assertEquals("Renamed shop", deleted.at("/detail/before/name").asText(), "what was removed");
    }

    @Test
    void aPlaybackIsRecordedOnceNotOncePerRangeRequest() throws Exception {
        long site = site(http, "Recorded shop");
        Path dir = Files.createDirectories(server.dataDir().resolve("recordings"));
        Files.write(dir.resolve("played.wav"), new byte[1000]);
        long call = jdbc.withHandle(h -> h.createQuery("""
                        INSERT INTO call (linkedid, called_number, caller_number, attribution, started_at, site_id,
                                          recording_path)
                        VALUES ('played-1', '+74950000001', '+79161234567', 'unattributed', now(), :site, 'played.wav')
                        RETURNING id""").bind("site", site).mapTo(Long.class).one());
        String path = "/v1/calls/" + call + "/recording";

        assertEquals(200, http.adminGet(path).statusCode());
        assertEquals(206, range(path, "bytes=0-").statusCode(), "a player's first request");
        assertEquals(206, range(path, "bytes=500-999").statusCode(), "the rest, as the player goes");
        assertEquals(206, range(path, "bytes=100-").statusCode());

        List<JsonNode> played = audit("action=recording.played&target=" + enc("call " + call));
        assertEquals(2, played.size(), "the whole download and the playback, not the later ranges: " + played);
        assertEquals(site, played.get(0).get("siteId").asLong());
        assertEquals("bytes=0-", played.get(0).at("/detail/range").asText());
    }

    private static HttpResponse<String> range(String path, String range) {
        return http.send(http.builder(path).header("Range", range).GET(), true);
    }

    @Test
    void aCsvExportIsRecordedAndTheJsonReportIsNot() throws Exception {
        long site = site(http, "Export shop");
        String report = "/v1/sites/" + site + "/reports?from=2026-03-07&to=2026-03-09&group=channel";
        assertEquals(200, http.adminGet(report).statusCode());
        assertEquals(200, http.adminGet(report + "&format=csv").statusCode());
        assertEquals(200, http.adminGet("/v1/sites/" + site + "/exports/metrica-calls?from=2026-03-07&to=2026-03-09")
                .statusCode());

        List<JsonNode> exports = audit("site=" + site + "&action=sites");
        List<String> actions = exports.stream().map(e -> e.get("action").asText()).toList();
        assertEquals(List.of("sites.exports.metrica-calls.exported", "sites.reports.exported", "sites.posted"), actions);
        assertEquals("csv", exports.get(1).at("/detail/query/format").asText());
        assertEquals("2026-03-07", exports.get(1).at("/detail/query/from").asText());
    }

    @Test
    void aResentDeliveryIsRecordedWithItsSite() throws Exception {
        long site = site(http, "Resend shop");
        long job = jdbc.withHandle(h -> h.createQuery("""
                        INSERT INTO job (kind, event, state, attempts, created_at, next_attempt_at, target, site_id)
                        VALUES ('webhook', 'call.completed', 'dead', 30, now(), now(), 'webhook test', :site)
                        RETURNING id""").bind("site", site).mapTo(Long.class).one());
        assertEquals(200, http.adminPost("/v1/outbox/" + job + "/resend", "").statusCode());
        assertEquals(409, http.adminPost("/v1/outbox/" + job + "/resend", "").statusCode(), "not dead any more");

        List<JsonNode> resent = audit("action=outbox.resend");
        assertEquals(1, resent.size(), "a refused re-send changed nothing and is not recorded: " + resent);
        assertEquals(site, resent.get(0).get("siteId").asLong());
        assertEquals(job, resent.get(0).at("/detail/after/id").asLong());
    }

    @Test
    void deliverySecretsNeverReachTheAuditLog() throws Exception {
        long site = site(http, "Secret shop");
        String webhookSecret = "whsec-0123456789-abcdefghij";
        String ga4Secret = "ga4-api-secret-9876543210";
        String settings = "/v1/sites/" + site + "/delivery-settings";
        var put = http.adminPut(settings, """
                {"webhookUrl":"https://crm.example.com/hook?token=url-token-55555","webhookSecret":"%s",
                 "ga4Url":"https://www.google-analytics.com/mp/collect","ga4MeasurementId":"G-TEST",
                 "ga4ApiSecret":"%s"}""".formatted(webhookSecret, ga4Secret));
        assertEquals(200, put.statusCode(), put.body());
        var patch = http.adminPatch(settings, "{\"webhookSecret\":\"whsec-rotated-000000000000\"}");
        assertEquals(200, patch.statusCode(), patch.body());

        List<JsonNode> changes = audit("action=sites.delivery-settings.changed&site=" + site);
        assertEquals(2, changes.size());
        assertEquals("[redacted]", changes.get(0).at("/detail/before/webhookSecret").asText());
        assertEquals("https://crm.example.com/hook?token=[redacted]",
                changes.get(0).at("/detail/after/webhookUrl").asText());
        String everything = jdbc.withHandle(h -> h.createQuery("SELECT string_agg(a::text, ' ') FROM audit_entry a")
                .mapTo(String.class).one());
        for (String secret : List.of(webhookSecret, ga4Secret, "whsec-rotated-000000000000", "url-token-55555",
                "ghij", "3210", TestServer.ADMIN_TOKEN)) {
            assertFalse(everything.contains(secret), secret + " is in the audit log");
        }
    }

    @Test
    void filtersByUserPeriodAndPagesThroughEverything() throws Exception {
        AccountStore accounts = new AccountStore(jdbc, new ApiTokens(new SecureRandom()));
        long admin = accounts.createUser("auditor@example.com", UserRole.ADMIN, Optional.empty(), Instant.now());
        String token = accounts.issueToken(admin, "audit", Optional.empty(), false, Instant.now()).token();
        var created = http.send(http.builder("/v1/sites").header("Authorization", "Bearer " + token)
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("""
                        {"name":"By a user","timeZone":"Europe/Moscow","fallbackNumber":"+74951234567"}""")), false);
        assertEquals(201, created.statusCode(), created.body());

        List<JsonNode> byId = audit("user=" + admin);
        List<JsonNode> byLogin = audit("user=" + enc("AUDITOR@example.com"));
        assertEquals(1, byId.size(), byId.toString());
        assertEquals(byId, byLogin);
        assertEquals(admin, byId.get(0).get("userId").asLong());
        assertTrue(audit("from=" + enc(Instant.now().plusSeconds(3600).toString())).isEmpty(), "nothing in the future");
        assertTrue(audit("to=2020-01-01T00:00:00Z").isEmpty());

        for (int i = 0; i < 3; i++) site(http, "Paged " + i);
        List<JsonNode> paged = audit("action=sites.posted&limit=2");
        List<JsonNode> whole = audit("action=sites.posted&limit=500");
        assertEquals(whole, paged, "page by page is the whole list");
        assertTrue(whole.size() >= 4);
        for (int i = 1; i < whole.size(); i++) {
            assertTrue(whole.get(i - 1).get("id").asLong() > whole.get(i).get("id").asLong(), "newest first");
        }
        assertEquals(400, http.adminGet("/v1/audit?site=abc").statusCode());
    }

    @Test
    void onlyOwnersAndAdminsReadTheLog() throws Exception {
        long site = site(http, "Members' shop");
        AccountStore accounts = new AccountStore(jdbc, new ApiTokens(new SecureRandom()));
        long lead = accounts.createUser("lead@example.com", UserRole.MEMBER, Optional.empty(), Instant.now());
        accounts.grant(lead, new Grant(site, SiteRole.LEAD, true));
        String token = accounts.issueToken(lead, "t", Optional.empty(), false, Instant.now()).token();
        var refused = http.send(http.builder("/v1/audit").header("Authorization", "Bearer " + token).GET(), false);
        assertEquals(403, refused.statusCode());
        assertNotNull(json.readTree(refused.body()).get("error"));
    }
}
