package io.calltrack.access;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.calltrack.calls.CallTags;
import io.calltrack.platform.db.Jdbc;
import io.calltrack.recordings.Dialogue;
import io.calltrack.recordings.Side;
import io.calltrack.recordings.TranscriptRepository;
import io.calltrack.recordings.Turn;
import io.calltrack.reports.Csv;
import io.calltrack.support.Http;
import io.calltrack.support.TestServer;
import io.calltrack.tracking.PhoneNumbers;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** On a site set to mask callers' numbers, only those with recording access there see them in clear. */
class CallerNumberMaskingTest {
    private static final ObjectMapper json = new ObjectMapper();
    private static final String CALLER = "+79161234567";
    private static final String MASKED = "+7 916 ***-**-67";
    private static TestServer server;
    private static Http http;
    private static AccountStore accounts;
    private static Jdbc jdbc;
    private static long maskedSite;
    private static long openSite;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start();
        http = new Http(server.baseUrl());
        jdbc = new Jdbc(server.db().dataSource());
        accounts = new AccountStore(jdbc, new ApiTokens(new SecureRandom()));
        maskedSite = AuditLogTest.site(http, "Masked");
        openSite = AuditLogTest.site(http, "Not masked");
        var set = http.adminPut("/v1/sites/" + maskedSite + "/privacy", "{\"maskCallerNumbers\":true}");
        assertEquals(200, set.statusCode(), set.body());
        assertEquals(true, json.readTree(set.body()).get("maskCallerNumbers").asBoolean());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static long call(long site, String linkedid) {
        return jdbc.withHandle(h -> h.createQuery("""
                        INSERT INTO call (linkedid, called_number, caller_number, attribution, started_at, site_id)
                        VALUES (:linkedid, '+74950000001', :caller, 'unattributed', now(), :site) RETURNING id""")
                .bind("linkedid", linkedid).bind("caller", CALLER).bind("site", site).mapTo(Long.class).one());
    }

    /** A member's token with this role (and recordings flag) on both sites. */
    private static String member(String login, SiteRole role, boolean recordings) {
        long user = accounts.createUser(login, UserRole.MEMBER, Optional.empty(), Instant.now());
        accounts.grant(user, new Grant(maskedSite, role, recordings));
        accounts.grant(user, new Grant(openSite, role, recordings));
        return accounts.issueToken(user, "api", Optional.empty(), false, Instant.now()).token();
    }

    private static JsonNode get(String path, String token) throws Exception {
        var r = http.send(http.builder(path).header("Authorization", "Bearer " + token).GET(), false);
        assertEquals(200, r.statusCode(), r.body());
        return json.readTree(r.body());
    }

    private static String callerSeen(long call, String token) throws Exception {
        return get("/v1/calls/" + call, token).get("callerNumber").asText();
    }

    @Test
    void theCallLogsCsvExportIsMaskedAsThePageIsAndKeepsToTheCallersSites() throws Exception {
        call(maskedSite, "mask-csv");
        String marketer = member("csv-marketer@example.com", SiteRole.MARKETER, false);
        var csv = http.send(http.builder("/v1/calls?format=csv&site=" + maskedSite)
                .header("Authorization", "Bearer " + marketer).GET(), false);
        assertEquals(200, csv.statusCode(), csv.body());
        assertEquals(true, csv.body().contains("***-**-67"), csv.body());
        assertEquals(false, csv.body().contains(CALLER), csv.body());

        long elsewhere = AuditLogTest.site(http, "Not granted");
        var widened = http.send(http.builder("/v1/calls?site=" + maskedSite + "&site=" + elsewhere)
                .header("Authorization", "Bearer " + marketer).GET(), false);
        assertEquals(404, widened.statusCode(), "a second site value outside the grants is no way in: " + widened.body());
    }

    @Test
    void theCsvExportsTranscriptIsForThoseWhoMayListenAndItsTagsForAll() throws Exception {
        long call = call(openSite, "csv-transcript");
        new CallTags(jdbc).replaceRuleTags(call, java.util.Set.of("price request"));
        new TranscriptRepository(jdbc, io.calltrack.Json.mapper()).save(call, "en", 2, new Dialogue(java.util.List.of(
                new Turn(Side.CALLER, 0.1, 0.9, "how much", java.util.List.of()))), Instant.now());
        for (boolean recordings : new boolean[] {false, true}) {
            String marketer = member("csv-transcript-" + recordings + "@example.com", SiteRole.MARKETER, recordings);
            var csv = http.send(http.builder("/v1/calls?format=csv&site=" + openSite)
                    .header("Authorization", "Bearer " + marketer).GET(), false);
            assertEquals(200, csv.statusCode(), csv.body());
            java.util.List<java.util.List<String>> rows = Csv.read(csv.body());
            java.util.List<String> row = rows.stream().filter(r -> r.get(0).equals(Long.toString(call))).findFirst()
                    .orElseThrow();
            assertEquals("price request", row.get(rows.get(0).indexOf("tags")));
            assertEquals(recordings ? "caller: how much" : "", row.get(rows.get(0).indexOf("transcript")),
                    "what was said is as personal as the recording (recordings access: " + recordings + ")");
        }
    }

    /** Which calls said a word tells what was said: searching it needs what listening does. */
    @Test
    void searchingWhatWasSaidIsForThoseWhoMayListen() throws Exception {
        long call = call(openSite, "said-search");
        new TranscriptRepository(jdbc, io.calltrack.Json.mapper()).save(call, "en", 2, new Dialogue(java.util.List.of(
                new Turn(Side.CALLER, 0.1, 0.9, "a refund please", java.util.List.of()))), Instant.now());
        String deaf = member("said-deaf@example.com", SiteRole.MARKETER, false);
        String hearing = member("said-hearing@example.com", SiteRole.MARKETER, true);
        for (String path : java.util.List.of("/v1/calls?said=refund&site=" + openSite,
                "/v1/calls?format=csv&said=refund&site=" + openSite)) {
            var refused = http.send(http.builder(path).header("Authorization", "Bearer " + deaf).GET(), false);
            assertEquals(403, refused.statusCode(), path + ": " + refused.body());
            assertEquals(true, refused.body().contains("recordings"), refused.body());
        }
        assertEquals(0, get("/v1/calls?said=refund", deaf).get("items").size(),
                "no site named: only the sites the caller may listen on are searched, none here");
        assertEquals(call, get("/v1/calls?said=refund", hearing).get("items").get(0).get("id").asLong());
        assertEquals(call, get("/v1/calls?said=refund&site=" + openSite, hearing).get("items").get(0).get("id")
                .asLong());
    }

    @Test
    void aMarketerWithoutRecordingsSeesTheNumberMaskedOnAMaskedSiteOnly() throws Exception {
        long masked = call(maskedSite, "mask-1");
        long open = call(openSite, "mask-2");
        String marketer = member("marketer@example.com", SiteRole.MARKETER, false);

        assertEquals(MASKED, callerSeen(masked, marketer));
        assertEquals(CALLER, callerSeen(open, marketer), "the site does not mask");
        JsonNode list = get("/v1/calls?site=" + maskedSite, marketer).get("items");
        assertEquals(MASKED, list.get(0).get("callerNumber").asText(), "the list as the call");
    }

    @Test
    void theLiveCallsAreMaskedAsTheCallLogIs() throws Exception {
        long ringing = call(maskedSite, "mask-live");
        String viewer = member("live-viewer@example.com", SiteRole.VIEWER, false);
        JsonNode live = get("/v1/calls/live?site=" + maskedSite, viewer).get("calls");
        JsonNode seen = java.util.stream.StreamSupport.stream(live.spliterator(), false)
                .filter(c -> c.get("callId").asLong() == ringing).findFirst().orElseThrow(() -> new AssertionError(live));
        assertEquals(MASKED, seen.get("callerNumber").asText());
        assertEquals(true, http.adminGet("/v1/calls/live?site=" + maskedSite).body().contains(CALLER),
                "the owner sees the number");
    }

    @Test
    void recordingAccessShowsTheNumber() throws Exception {
        long masked = call(maskedSite, "mask-3");
        assertEquals(CALLER, callerSeen(masked, member("listener@example.com", SiteRole.MARKETER, true)));
        assertEquals(CALLER, callerSeen(masked, member("lead@example.com", SiteRole.LEAD, false)));
        assertEquals(MASKED, callerSeen(masked, member("viewer@example.com", SiteRole.VIEWER, false)));
        long admin = accounts.createUser("admin@example.com", UserRole.ADMIN, Optional.empty(), Instant.now());
        assertEquals(CALLER, callerSeen(masked,
                accounts.issueToken(admin, "api", Optional.empty(), false, Instant.now()).token()));
        assertEquals(CALLER, callerSeen(masked, TestServer.ADMIN_TOKEN), "the bootstrap token is the owner's");
    }

    @Test
    void theMetricaCallsFileIsMaskedAsTheCallsApiIs() throws Exception {
        jdbc.withHandle(h -> h.createUpdate("""
                        INSERT INTO call (linkedid, called_number, caller_number, attribution, started_at, ended_at,
                                          state, site_id, ym_client_id)
                        VALUES ('metrica-1', '+74950000001', :caller, 'dynamic', '2026-03-08T10:00:00Z',
                                '2026-03-08T10:01:00Z', 'completed', :site, '1700000000123456789')""")
                .bind("caller", CALLER).bind("site", maskedSite).execute());
        String file = "/v1/sites/" + maskedSite + "/exports/metrica-calls?from=2026-03-08&to=2026-03-08";
        String marketer = member("exporter@example.com", SiteRole.MARKETER, false);
        var masked = http.send(http.builder(file).header("Authorization", "Bearer " + marketer).GET(), false);
        assertEquals(200, masked.statusCode(), masked.body());
        assertEquals(true, masked.body().contains(MASKED), masked.body());
        assertEquals(false, masked.body().contains(CALLER));
        assertEquals(true, http.adminGet(file).body().contains(CALLER), "the owner's file has the number");
    }

    @Test
    void masksKeepTheCountryTheOperatorCodeAndTheLastTwoDigits() {
        CallerNumbers numbers = new CallerNumbers(null, new PhoneNumbers("RU"));
        assertEquals(MASKED, numbers.mask(CALLER));
        assertEquals("+1 212-***-**00", numbers.mask("+12125550100"));
        assertEquals("+49 30 1***67", numbers.mask("+4930123467"));
    }

    @Test
    void privacySettingsAreValidatedAndPatchable() throws Exception {
        long site = AuditLogTest.site(http, "Settings");
        String path = "/v1/sites/" + site + "/privacy";
        JsonNode unset = json.readTree(http.adminGet(path).body());
        assertEquals(false, unset.get("maskCallerNumbers").asBoolean());
        assertEquals(true, unset.get("recordingRetentionDays").isNull(), "kept unless set");
        assertEquals(400, http.adminPut(path, "{\"recordingRetentionDays\":0}").statusCode());
        assertEquals(200, http.adminPatch(path, "{\"recordingRetentionDays\":90}").statusCode());
        JsonNode patched = json.readTree(http.adminGet(path).body());
        assertEquals(90, patched.get("recordingRetentionDays").asInt());
        assertEquals(404, http.adminGet("/v1/sites/999999/privacy").statusCode());
    }
}
