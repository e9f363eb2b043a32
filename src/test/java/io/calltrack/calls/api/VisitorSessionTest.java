package io.calltrack.calls.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.calltrack.access.AccountStore;
import io.calltrack.access.ApiTokens;
import io.calltrack.access.Grant;
import io.calltrack.access.SiteRole;
import io.calltrack.access.UserRole;
import io.calltrack.platform.db.Jdbc;
import io.calltrack.reports.ReportFixture;
import io.calltrack.support.Http;
import io.calltrack.support.TestServer;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A call's visitor session (GET /v1/sessions/{id}): the visit as the marketer reads it, the same visitor's calls on
 * the site newest first, nothing of the visitor's address; unknown ids and sites without a grant are a 404, a
 * malformed id a 400 naming it.
 */
class VisitorSessionTest {
    private static final ObjectMapper json = new ObjectMapper();
    private static TestServer server;
    private static Http http;
    private static ReportFixture f;
    private static AccountStore accounts;
    private static long site;
    private static long otherSite;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        http = new Http(server.baseUrl());
        f = new ReportFixture(server.db().dataSource());
        accounts = new AccountStore(new Jdbc(server.db().dataSource()), new ApiTokens(new SecureRandom()));
        site = f.site("Europe/Berlin");
        otherSite = f.site("UTC");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static JsonNode get(String path) throws Exception {
        HttpResponse<String> r = http.adminGet(path);
        assertEquals(200, r.statusCode(), r.body());
        return json.readTree(r.body());
    }

    private static List<Long> ids(JsonNode calls) {
        return StreamSupport.stream(calls.spliterator(), false).map(c -> c.get("id").asLong()).toList();
    }

    @Test
    void theSessionShowsWhereTheVisitorCameFromAndTheirCallsNewestFirst() throws Exception {
        long channel = f.channel(site, "Yandex Direct", "dynamic");
        long number = f.number(site, "+74951112233", "pool", channel);
        UUID first = f.session(site).clientId("visitor-1").channel(channel).number(number).campaign("spring")
                .keyword("plumber").landing("https://shop.example/spring?utm_source=yandex")
                .at("2026-03-01T09:00:00Z").lastSeen("2026-03-01T09:20:00Z").insert();
        f.execute("""
                UPDATE visitor_session SET current_page = 'https://shop.example/contacts', referrer = 'https://ya.ru/',
                       utm_source = 'yandex', utm_medium = 'cpc', utm_content = 'banner', ended_at = last_seen_at,
                       user_agent = 'Mozilla/5.0 (X11; Linux)', ip = '203.0.113.7'
                 WHERE id = ?""", first);
        UUID later = f.session(site).clientId("visitor-1").at("2026-03-05T10:00:00Z").noNumber().insert();
        long older = f.call(site).session(first).caller("+79161234567").at("2026-03-01T09:15:00Z")
                .answered(5, 90, "target").insert();
        long newer = f.call(site).session(later).at("2026-03-05T10:05:00Z").unanswered(20).insert();
        // another visitor's call, and the same cookie on another site: not this visitor's history here
        f.call(site).session(f.session(site).clientId("visitor-2").insert()).insert();
        f.call(otherSite).session(f.session(otherSite).clientId("visitor-1").insert()).insert();

        JsonNode s = get("/v1/sessions/" + first);
        assertEquals(first.toString(), s.get("id").asText());
        assertEquals(site, s.get("siteId").asLong());
        assertEquals("visitor-1", s.get("clientId").asText());
        assertEquals("2026-03-01T09:00:00Z", s.get("startedAt").asText());
        assertEquals("2026-03-01T09:20:00Z", s.get("lastSeenAt").asText());
        assertEquals("2026-03-01T09:20:00Z", s.get("endedAt").asText());
        assertEquals("https://shop.example/spring?utm_source=yandex", s.get("firstPage").asText());
        assertEquals("https://shop.example/contacts", s.get("currentPage").asText());
        assertEquals("https://ya.ru/", s.get("referrer").asText());
        assertEquals("yandex", s.at("/utm/source").asText());
        assertEquals("cpc", s.at("/utm/medium").asText());
        assertEquals("spring", s.at("/utm/campaign").asText());
        assertEquals("plumber", s.at("/utm/term").asText());
        assertEquals("banner", s.at("/utm/content").asText());
        assertEquals("Yandex Direct", s.get("channelName").asText());
        assertEquals("+74951112233", s.get("number").asText());
        assertFalse(s.get("noNumber").asBoolean());
        assertFalse(s.get("bot").asBoolean());
        assertEquals(List.of(newer, older), ids(s.get("calls")), "this visitor's calls on this site, newest first");
        assertEquals("unanswered", s.at("/calls/0/class").asText());
        assertEquals("target", s.at("/calls/1/class").asText());
        assertEquals("2026-03-01T09:15:00Z", s.at("/calls/1/startedAt").asText());
        assertFalse(s.toString().contains("203.0.113.7"), "no IP address: " + s);
        assertFalse(s.toString().contains("Mozilla"), "no user agent: " + s);
        assertFalse(s.toString().contains("1234567"), "no caller number: " + s);

        JsonNode fallback = get("/v1/sessions/" + later);
        assertTrue(fallback.get("noNumber").asBoolean(), "no pool number was free: the fallback was shown");
        assertTrue(fallback.get("number").isNull());
        assertTrue(fallback.get("channelName").isNull());
        assertEquals(List.of(newer, older), ids(fallback.get("calls")));
    }

    @Test
    void theVisitorsCallsAreAtMostFifty() throws Exception {
        UUID session = f.session(site).clientId("caller-daily").insert();
        for (int day = 1; day <= 51; day++) {
            f.call(site).session(session).at(String.format("2026-01-%02dT08:00:00Z", Math.min(day, 31))).insert();
        }
        assertEquals(50, get("/v1/sessions/" + session).get("calls").size());
    }

    @Test
    void anUnknownSessionIsA404AndAMalformedIdA400NamingIt() throws Exception {
        assertEquals(404, http.adminGet("/v1/sessions/" + UUID.randomUUID()).statusCode());
        HttpResponse<String> bad = http.adminGet("/v1/sessions/not-a-uuid");
        assertEquals(400, bad.statusCode(), bad.body());
        assertEquals("id", json.readTree(bad.body()).get("field").asText());
        assertEquals(400, http.adminGet("/v1/sessions/1-1-1-1-1").statusCode(), "a UUID is written out in full");
    }

    @Test
    void aSessionOfASiteWithoutAGrantDoesNotExistForTheUser() throws Exception {
        UUID session = f.session(site).insert();
        long id = accounts.createUser("viewer-elsewhere@example.com", UserRole.MEMBER, Optional.empty(), Instant.now());
        accounts.grant(id, new Grant(otherSite, SiteRole.LEAD, false));
        String token = accounts.issueToken(id, "test", Optional.empty(), false, Instant.now()).token();
        HttpResponse<String> r = http.send(http.builder("/v1/sessions/" + session)
                .header("Authorization", "Bearer " + token).GET(), false);
        assertEquals(404, r.statusCode(), r.body());
        HttpResponse<String> unknown = http.send(http.builder("/v1/sessions/" + UUID.randomUUID())
                .header("Authorization", "Bearer " + token).GET(), false);
        assertEquals(r.body().replace(session.toString(), "ID"),
                unknown.body().replaceAll("[0-9a-f-]{36}", "ID"), "worded as for one that does not exist");

        accounts.grant(id, new Grant(site, SiteRole.VIEWER, false));
        assertEquals(200, http.send(http.builder("/v1/sessions/" + session)
                .header("Authorization", "Bearer " + token).GET(), false).statusCode());
    }
}
