package io.calltrack.access;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.calltrack.platform.db.Jdbc;
import io.calltrack.support.Http;
import io.calltrack.support.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A caller's data erased on request: their calls, recordings and visits go, other callers' stay. */
class PersonalDataErasureTest {
    private static final ObjectMapper json = new ObjectMapper();
    private static TestServer server;
    private static Http http;
    private static Jdbc jdbc;
    private static Path recordings;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start();
        http = new Http(server.baseUrl());
        jdbc = new Jdbc(server.db().dataSource());
        recordings = Files.createDirectories(server.dataDir().resolve("recordings"));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static UUID session(long site) {
        UUID id = UUID.randomUUID();
        jdbc.withHandle(h -> h.createUpdate("""
                        INSERT INTO visitor_session (id, site_id, client_id, ip, started_at, last_seen_at)
                        VALUES (:id, :site, 'client', '203.0.113.7', now(), now())""")
                .bind("id", id).bind("site", site).execute());
        return id;
    }

    /** A call with its recording file and timeline, credited to {@code session}. */
    private static long call(long site, String caller, UUID session, String file) throws Exception {
        Files.write(recordings.resolve(file), new byte[10]);
        long id = jdbc.withHandle(h -> h.createQuery("""
                        INSERT INTO call (linkedid, called_number, caller_number, attribution, started_at, site_id,
                                          session_id, recording_path)
                        VALUES (:file, '+74950000001', :caller, 'dynamic', now(), :site, CAST(:session AS uuid), :file)
                        RETURNING id""")
                .bind("file", file).bind("caller", caller).bind("site", site).bind("session", session == null ? null : session.toString())
                .mapTo(Long.class).one());
        jdbc.withHandle(h -> h.createUpdate("""
                        INSERT INTO call_event (call_id, event_key, kind, occurred_at) VALUES (:id, 'end', 'end', now())""")
                .bind("id", id).execute());
        return id;
    }

    private static long count(String sql, Object id) {
        return jdbc.withHandle(h -> h.createQuery(sql).bind("id", id).mapTo(Long.class).one());
    }

    private static boolean callExists(long id) {
        return count("SELECT count(*) FROM call WHERE id = :id", id) == 1;
    }

    private static boolean sessionExists(UUID id) {
        return count("SELECT count(*) FROM visitor_session WHERE id = :id", id) == 1;
    }

    @Test
    void erasesTheCallersCallsRecordingsAndVisitsAndLeavesOthers() throws Exception {
        long site = AuditLogTest.site(http, "Erase shop");
        long other = AuditLogTest.site(http, "Other shop");
        String caller = "+79161112233";
        UUID ownVisit = session(site);
        UUID sharedVisit = session(site);
        long a1 = call(site, caller, ownVisit, "a1.wav");
        long a2 = call(site, caller, sharedVisit, "a2.wav");
        long aElsewhere = call(other, caller, null, "a3.wav");
        long b = call(site, "+79165554433", sharedVisit, "b.wav");

        var r = http.adminPost("/v1/personal-data/erase",
                "{\"callerNumber\":\"+7 916 111-22-33\",\"siteId\":" + site + "}");
        assertEquals(200, r.statusCode(), r.body());
        JsonNode erased = json.readTree(r.body());
        assertEquals(2, erased.get("calls").asInt());
        assertEquals(2, erased.get("recordings").asInt());
        assertEquals(1, erased.get("visitorSessions").asInt(), "the visit another caller's call came from stays");
        assertEquals("+7 916 ***-**-33", erased.get("callerNumber").asText());

        assertFalse(callExists(a1));
        assertFalse(callExists(a2));
        assertEquals(0, count("SELECT count(*) FROM call_event WHERE call_id = :id", a1));
        assertFalse(Files.exists(recordings.resolve("a1.wav")));
        assertFalse(Files.exists(recordings.resolve("a2.wav")));
        assertFalse(sessionExists(ownVisit));
        assertTrue(sessionExists(sharedVisit));
        assertTrue(callExists(b), "another caller's call");
        assertTrue(Files.exists(recordings.resolve("b.wav")));
        assertTrue(callExists(aElsewhere), "only the site asked for");
        assertTrue(Files.exists(recordings.resolve("a3.wav")));

        var log = http.adminGet("/v1/audit?action=personal-data");
        JsonNode entry = json.readTree(log.body()).get("items").get(0);
        assertEquals(site, entry.get("siteId").asLong());
        assertEquals(2, entry.at("/detail/after/calls").asInt());
        assertFalse(log.body().contains("1112233") || log.body().contains("111-22-33"), log.body());

        var everywhere = http.adminPost("/v1/personal-data/erase", "{\"callerNumber\":\"" + caller + "\"}");
        assertEquals(1, json.readTree(everywhere.body()).get("calls").asInt());
        assertFalse(callExists(aElsewhere));
        assertFalse(Files.exists(recordings.resolve("a3.wav")));
    }

    @Test
    void refusesWhatIsNotANumberAndMembers() throws Exception {
        assertEquals(400, http.adminPost("/v1/personal-data/erase", "{\"callerNumber\":\"anonymous\"}").statusCode());
        assertEquals(404, http.adminPost("/v1/personal-data/erase",
                "{\"callerNumber\":\"+79161112233\",\"siteId\":999999}").statusCode());
        long site = AuditLogTest.site(http, "Members");
        AccountStore accounts = new AccountStore(jdbc, new ApiTokens(new SecureRandom()));
        long lead = accounts.createUser("lead@erase.example", UserRole.MEMBER, Optional.empty(), Instant.now());
        accounts.grant(lead, new Grant(site, SiteRole.LEAD, true));
        String token = accounts.issueToken(lead, "t", Optional.empty(), false, Instant.now()).token();
        var refused = http.send(http.builder("/v1/personal-data/erase").header("Authorization", "Bearer " + token)
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"callerNumber\":\"+79161112233\"}")), false);
        assertEquals(403, refused.statusCode());
    }
}
