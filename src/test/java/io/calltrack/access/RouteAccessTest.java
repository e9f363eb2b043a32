package io.calltrack.access;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.calltrack.platform.db.Jdbc;
import io.calltrack.support.Http;
import io.calltrack.support.TestServer;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every route of the running server, tried by every kind of caller, against the table below: who gets through
 * (200/201/204), who is refused by role (403) and who is told the site does not exist (404, no grant on it at all).
 * A route the server has and the table lacks fails the test, so a new route cannot go out unclassified.
 * Real users with real tokens (AccountStore) on the real embedded PostgreSQL.
 */
class RouteAccessTest {
    /** The columns of the table, in order. */
    enum Who { OWNER, ADMIN, LEAD, MARKETER, VIEWER, MEMBER_B, READ_ONLY, NOBODY }

    private static final ObjectMapper json = new ObjectMapper();
    private static final AtomicInteger unique = new AtomicInteger();
    private static TestServer server;
    private static Http http;
    private static AccountStore accounts;
    private static Jdbc jdbc;
    private static final Map<Who, String> tokens = new EnumMap<>(Who.class);
    private static final Map<Who, Long> users = new EnumMap<>(Who.class);
    private static long siteA;
    private static long siteB;
    private static long channelA;
    private static long numberA;
    private static String numberAe164;
    private static long managerA;
    private static long callA;
    private static UUID sessionA;
    private static String publicKeyA;

    /** What one attempt sends: a path (with ids filled in) and a body (null: none). */
    record Attempt(String path, String body) {}

    /** A route, what each caller gets (one status per {@link Who}), and how to make a request it can serve. */
    record Row(String method, String template, List<Integer> expected, Supplier<Attempt> attempt) {
        boolean open() {
            return expected.isEmpty();
        }
    }

    private static Row row(String method, String template, String expected, Supplier<Attempt> attempt) {
        List<Integer> statuses = List.of(expected.trim().split(" +")).stream().map(Integer::valueOf).toList();
        if (statuses.size() != Who.values().length) throw new IllegalArgumentException(template + ": " + expected);
        return new Row(method, template, statuses, attempt);
    }

    /** An open route: anyone, with or without a token, gets the same answer, never a 401 or 403. */
    private static Row open(String method, String template, Supplier<Attempt> attempt) {
        return new Row(method, template, List.of(), attempt);
    }

    private static Supplier<Attempt> at(String path) {
        return () -> new Attempt(path, null);
    }

    private static Supplier<Attempt> at(String path, String body) {
        return () -> new Attempt(path, body);
    }

    private static String a(String path) {
        return path.replace("{A}", String.valueOf(siteA));
    }

    //                                         owner admin lead marketer viewer memberB readOnly nobody
    private static List<Row> table() {
        String siteBody = "{\"name\":\"A\",\"timeZone\":\"Europe/Berlin\",\"fallbackNumber\":\"+49 30 1234567\"}";
        String routing = """
                {"departments": [{"name": "Sales", "managers": [{"name": "Ann", "dialString": "PJSIP/101"}]}],
                 "rules": [{"name": "all", "then": {"department": "Sales", "strategy": "sticky"}}]}""";
        String rule = "{\"name\": \"more\", \"then\": {\"department\": \"Sales\", \"strategy\": \"ring_all\"}}";
        String range = "?from=2026-01-01&to=2026-01-31";
        return List.of(
                row("GET", "/v1/sites", "200 200 200 200 200 200 200 401", at("/v1/sites")),
                row("POST", "/v1/sites", "201 201 403 403 403 403 403 401", at("/v1/sites", siteBody)),
                row("GET", "/v1/sites/{id}", "200 200 200 200 200 404 200 401", at(a("/v1/sites/{A}"))),
                row("PUT", "/v1/sites/{id}", "200 200 403 403 403 404 403 401", at(a("/v1/sites/{A}"), siteBody)),
                row("PATCH", "/v1/sites/{id}", "200 200 403 403 403 404 403 401",
                        at(a("/v1/sites/{A}"), "{\"repeatWindowDays\": 31}")),
                row("DELETE", "/v1/sites/{id}", "204 204 403 403 403 404 403 401",
                        () -> new Attempt("/v1/sites/" + siteLikeA(), null)),

                row("GET", "/v1/sites/{siteId}/channels", "200 200 200 200 200 404 200 401", at(a("/v1/sites/{A}/channels"))),
                row("POST", "/v1/sites/{siteId}/channels", "201 201 403 201 403 404 403 401",
                        () -> new Attempt(a("/v1/sites/{A}/channels"), channelBody())),
                row("GET", "/v1/sites/{siteId}/channels/{id}", "200 200 200 200 200 404 200 401",
                        at(a("/v1/sites/{A}/channels/") + channelA)),
                row("PUT", "/v1/sites/{siteId}/channels/{id}", "200 200 403 200 403 404 403 401",
                        () -> new Attempt(a("/v1/sites/{A}/channels/") + channelA, channelBody())),
                row("PATCH", "/v1/sites/{siteId}/channels/{id}", "200 200 403 200 403 404 403 401",
                        at(a("/v1/sites/{A}/channels/") + channelA, "{\"priority\": 7}")),
                row("DELETE", "/v1/sites/{siteId}/channels/{id}", "204 204 403 204 403 404 403 401",
                        () -> new Attempt(a("/v1/sites/{A}/channels/") + newChannel(), null)),

                row("GET", "/v1/sites/{siteId}/numbers", "200 200 200 200 200 404 200 401", at(a("/v1/sites/{A}/numbers"))),
                row("POST", "/v1/sites/{siteId}/numbers", "201 201 403 201 403 404 403 401",
                        () -> new Attempt(a("/v1/sites/{A}/numbers"), numberBody(freshNumber()))),
                row("GET", "/v1/sites/{siteId}/numbers/{id}", "200 200 200 200 200 404 200 401",
                        at(a("/v1/sites/{A}/numbers/") + numberA)),
                row("PUT", "/v1/sites/{siteId}/numbers/{id}", "200 200 403 200 403 404 403 401",
                        () -> new Attempt(a("/v1/sites/{A}/numbers/") + numberA, numberBody(numberAe164))),
                row("PATCH", "/v1/sites/{siteId}/numbers/{id}", "200 200 403 200 403 404 403 401",
                        at(a("/v1/sites/{A}/numbers/") + numberA, "{\"trackIdEntry\": true}")),
                row("DELETE", "/v1/sites/{siteId}/numbers/{id}", "204 204 403 204 403 404 403 401",
                        () -> new Attempt(a("/v1/sites/{A}/numbers/") + newNumber(), null)),

                row("GET", "/v1/sites/{id}/routing", "200 200 200 200 200 404 200 401", at(a("/v1/sites/{A}/routing"))),
                row("PUT", "/v1/sites/{id}/routing", "200 200 200 403 403 404 403 401",
                        at(a("/v1/sites/{A}/routing"), routing)),
                row("PATCH", "/v1/sites/{id}/routing", "200 200 200 403 403 404 403 401",
                        at(a("/v1/sites/{A}/routing"), "{\"rules\": [" + rule + "]}")),
                row("GET", "/v1/sites/{id}/rules", "200 200 200 200 200 404 200 401", at(a("/v1/sites/{A}/rules"))),
                row("POST", "/v1/sites/{id}/rules", "200 200 200 403 403 404 403 401", at(a("/v1/sites/{A}/rules"), rule)),
                row("PUT", "/v1/sites/{id}/rules/{n}", "200 200 200 403 403 404 403 401",
                        at(a("/v1/sites/{A}/rules/1"), rule)),
                row("PATCH", "/v1/sites/{id}/rules/{n}", "200 200 200 403 403 404 403 401",
                        at(a("/v1/sites/{A}/rules/1"), "{\"enabled\": true}")),
                row("DELETE", "/v1/sites/{id}/rules/{n}", "200 200 200 403 403 404 403 401", () -> {
                    admin("POST", a("/v1/sites/{A}/rules"), rule);
                    return new Attempt(a("/v1/sites/{A}/rules/1"), null);
                }),
                row("POST", "/v1/sites/{id}/managers", "201 201 201 403 403 404 403 401",
                        () -> new Attempt(a("/v1/sites/{A}/managers"), "{\"department\": \"Support\", \"name\": \"M"
                                + unique.incrementAndGet() + "\", \"dialString\": \"PJSIP/2" + unique.get() + "\"}")),
                row("PUT", "/v1/managers/{id}", "200 200 200 403 403 404 403 401",
                        () -> new Attempt("/v1/managers/" + managerA, "{\"active\": true}")),
                row("PATCH", "/v1/managers/{id}", "200 200 200 403 403 404 403 401",
                        () -> new Attempt("/v1/managers/" + managerA, "{\"active\": true}")),

                row("GET", "/v1/calls", "200 200 200 200 200 200 200 401", at("/v1/calls")),
                row("GET", "/v1/calls/live", "200 200 200 200 200 200 200 401", at("/v1/calls/live")),
                row("GET", "/v1/calls/{id}/transcript", "200 200 200 403 403 404 200 401",
                        () -> new Attempt("/v1/calls/" + callA + "/transcript", null)),
                row("PUT", "/v1/sites/{id}/transcription", "200 200 403 403 403 404 403 401",
                        at(a("/v1/sites/{A}/transcription"), "{\"enabled\": false, \"language\": \"en\"}")),
                row("PATCH", "/v1/sites/{id}/transcription", "200 200 403 403 403 404 403 401",
                        at(a("/v1/sites/{A}/transcription"), "{\"enabled\": false}")),
                row("GET", "/v1/sites/{id}/speech-rules", "200 200 403 403 403 404 403 401",
                        at(a("/v1/sites/{A}/speech-rules"))),
                row("PUT", "/v1/sites/{id}/speech-rules", "200 200 403 403 403 404 403 401",
                        at(a("/v1/sites/{A}/speech-rules"), "{\"rules\": [{\"phrases\": [\"цен*\"], \"side\": \"caller\", \"tag\": \"price request\"}]}")),
                row("PATCH", "/v1/sites/{id}/speech-rules", "200 200 403 403 403 404 403 401",
                        at(a("/v1/sites/{A}/speech-rules"), "{\"rules\": [{\"phrases\": [\"цен*\"], \"side\": \"caller\", \"tag\": \"price request\"}]}")),
                row("POST", "/v1/sites/{id}/routing/simulate", "200 200 200 200 200 404 200 401",
                        () -> new Attempt(a("/v1/sites/{A}/routing/simulate"),
                                "{\"trackedNumber\": \"" + numberAe164 + "\"}")),
                row("GET", "/v1/sites/{id}/installation", "200 200 200 200 200 404 200 401",
                        at(a("/v1/sites/{A}/installation"))),
                row("POST", "/v1/sites/{siteId}/numbers/bulk", "200 200 403 200 403 404 403 401",
                        () -> new Attempt(a("/v1/sites/{A}/numbers/bulk") + "?dryRun=true", freshNumber() + ",pool")),
                row("GET", "/v1/calls/{id}", "200 200 200 200 200 404 200 401", () -> new Attempt("/v1/calls/" + callA, null)),
                row("GET", "/v1/sessions/{id}", "200 200 200 200 200 404 200 401",
                        () -> new Attempt("/v1/sessions/" + sessionA, null)),
                row("GET", "/v1/calls/{id}/recording", "200 200 200 403 403 404 200 401",
                        () -> new Attempt("/v1/calls/" + callA + "/recording", null)),
                row("POST", "/v1/sites/{id}/reclassify", "200 200 200 403 403 404 403 401",
                        at(a("/v1/sites/{A}/reclassify"), "")),
                row("PUT", "/v1/calls/{id}/deal", "200 200 200 403 403 404 403 401",
                        () -> new Attempt("/v1/calls/" + callA + "/deal", "{\"amount\": 1500}")),
                row("PATCH", "/v1/calls/{id}/deal", "200 200 200 403 403 404 403 401",
                        () -> new Attempt("/v1/calls/" + callA + "/deal", "{\"amount\": 1600}")),
                row("PUT", "/v1/calls/{id}/tags", "200 200 200 403 403 404 403 401",
                        () -> new Attempt("/v1/calls/" + callA + "/tags", "{\"tags\": [\"vip\"]}")),
                row("PATCH", "/v1/calls/{id}/tags", "200 200 200 403 403 404 403 401",
                        () -> new Attempt("/v1/calls/" + callA + "/tags", "{\"tags\": [\"callback\"]}")),
                row("PUT", "/v1/calls/{id}/note", "200 200 200 403 403 404 403 401",
                        () -> new Attempt("/v1/calls/" + callA + "/note", "{\"note\": \"call back\"}")),
                row("PATCH", "/v1/calls/{id}/note", "200 200 200 403 403 404 403 401",
                        () -> new Attempt("/v1/calls/" + callA + "/note", "{\"note\": null}")),

                row("GET", "/v1/sites/{id}/reports", "200 200 200 200 200 404 200 401", at(a("/v1/sites/{A}/reports") + range)),
                row("GET", "/v1/sites/{id}/pool-health", "200 200 200 200 200 404 200 401",
                        at(a("/v1/sites/{A}/pool-health") + range)),
                row("POST", "/v1/sites/{id}/costs", "200 200 403 200 403 404 403 401", at(a("/v1/sites/{A}/costs"),
                        "[{\"day\": \"2026-01-02\", \"channel\": \"google\", \"campaign\": \"x\", \"amount\": 10}]")),

                row("GET", "/v1/sites/{id}/delivery-settings", "200 200 200 200 200 404 200 401",
                        at(a("/v1/sites/{A}/delivery-settings"))),
                row("PUT", "/v1/sites/{id}/delivery-settings", "200 200 403 200 403 404 403 401",
                        at(a("/v1/sites/{A}/delivery-settings"), "{}")),
                row("PATCH", "/v1/sites/{id}/delivery-settings", "200 200 403 200 403 404 403 401",
                        at(a("/v1/sites/{A}/delivery-settings"), "{}")),
                row("GET", "/v1/sites/{id}/exports/metrica-calls", "200 200 200 200 200 404 200 401",
                        at(a("/v1/sites/{A}/exports/metrica-calls") + range)),
                row("GET", "/v1/sites/{id}/delivery-status", "200 200 200 200 200 404 200 401",
                        at(a("/v1/sites/{A}/delivery-status"))),
                row("GET", "/v1/sites/{id}/deliveries", "200 200 200 200 200 404 200 401",
                        at(a("/v1/sites/{A}/deliveries"))),
                row("GET", "/v1/sites/{id}/dead-letters", "200 200 200 200 200 404 200 401",
                        at(a("/v1/sites/{A}/dead-letters"))),
                row("POST", "/v1/outbox/{id}/resend", "200 200 403 200 403 404 403 401",
                        () -> new Attempt("/v1/outbox/" + deadJob() + "/resend", "")),

                row("POST", "/v1/sip/outcomes", "200 200 403 403 403 403 403 401",
                        () -> new Attempt("/v1/sip/outcomes", "{\"callId\": \"" + redirectedCall()
                                + "\", \"answered\": false}")),
                row("GET", "/metrics", "200 200 403 403 403 403 200 401", at("/metrics")),

                row("GET", "/v1/session", "200 200 200 200 200 200 200 401", at("/v1/session")),
                // a bearer token is no session to end
                row("DELETE", "/v1/session", "400 400 400 400 400 400 403 401", at("/v1/session")),
                // these users have no password: the current one cannot match
                row("PUT", "/v1/session/password", "400 400 400 400 400 400 403 401", at("/v1/session/password",
                        "{\"currentPassword\": \"not it at all\", \"newPassword\": \"a long new passphrase\"}")),
                row("GET", "/v1/tokens", "200 200 200 200 200 200 200 401", at("/v1/tokens")),
                row("POST", "/v1/tokens", "201 201 201 201 201 201 403 401",
                        () -> new Attempt("/v1/tokens", "{\"name\": \"t" + unique.incrementAndGet() + "\"}")),
                // the owner's own token: anybody else is told it does not exist
                row("DELETE", "/v1/tokens/{id}", "204 404 404 404 404 404 403 401", () -> new Attempt("/v1/tokens/"
                        + accounts.issueToken(users.get(Who.OWNER), "t" + unique.incrementAndGet(), Optional.empty(),
                                false, Instant.now()).id(), null)),
                row("GET", "/v1/users", "200 403 403 403 403 403 403 401", at("/v1/users")),
                row("POST", "/v1/users", "201 403 403 403 403 403 403 401", () -> new Attempt("/v1/users",
                        "{\"login\": \"new" + unique.incrementAndGet() + "@example.com\", \"role\": \"member\", "
                        + "\"password\": \"a long enough passphrase\"}")),
                row("GET", "/v1/users/{id}", "200 403 403 403 403 403 403 401",
                        () -> new Attempt("/v1/users/" + users.get(Who.VIEWER), null)),
                row("PATCH", "/v1/users/{id}", "200 403 403 403 403 403 403 401",
                        () -> new Attempt("/v1/users/" + users.get(Who.VIEWER), "{\"disabled\": false}")),
                row("PUT", "/v1/users/{id}/grants", "200 403 403 403 403 403 403 401",
                        () -> new Attempt("/v1/users/" + users.get(Who.MEMBER_B) + "/grants",
                                "[{\"siteId\": " + siteB + ", \"role\": \"viewer\"}]")),
                row("GET", "/v1/audit", "200 200 403 403 403 403 200 401", at("/v1/audit")),
                row("GET", "/v1/sites/{id}/privacy", "200 200 200 200 200 404 200 401", at(a("/v1/sites/{A}/privacy"))),
                row("PUT", "/v1/sites/{id}/privacy", "200 200 403 403 403 404 403 401",
                        at(a("/v1/sites/{A}/privacy"), "{\"maskCallerNumbers\": false}")),
                row("PATCH", "/v1/sites/{id}/privacy", "200 200 403 403 403 404 403 401",
                        at(a("/v1/sites/{A}/privacy"), "{\"maskCallerNumbers\": false}")),
                row("POST", "/v1/personal-data/erase", "200 200 403 403 403 403 403 401",
                        at("/v1/personal-data/erase", "{\"callerNumber\": \"+12025550199\"}")),

                open("POST", "/v1/session", at("/v1/session", "{\"login\": \"\", \"password\": \"\"}")),
                open("GET", "/console", at("/console")),
                open("GET", "/console/{file}", at("/console/app.js")),
                open("GET", "/console/pages/{file}", at("/console/pages/no-such-page.js")),
                open("GET", "/console/lib/{tag}/{file}", at("/console/lib/no-such-tag/preact.js")),

                open("GET", "/health", at("/health")),
                open("GET", "/snippet.js", () -> new Attempt("/snippet.js?site=" + publicKeyA, null)),
                open("OPTIONS", "/v1/visitor/{key}/sessions", () -> new Attempt(visitor("/sessions"), null)),
                open("OPTIONS", "/v1/visitor/{key}/sessions/{id}/heartbeat",
                        () -> new Attempt(visitor("/sessions/00000000-0000-0000-0000-000000000000/heartbeat"), null)),
                open("OPTIONS", "/v1/visitor/{key}/sessions/{id}/end",
                        () -> new Attempt(visitor("/sessions/00000000-0000-0000-0000-000000000000/end"), null)),
                open("POST", "/v1/visitor/{key}/sessions",
                        () -> new Attempt(visitor("/sessions"), "{\"clientId\": \"c" + unique.incrementAndGet() + "\"}")),
                open("POST", "/v1/visitor/{key}/sessions/{id}/heartbeat",
                        () -> new Attempt(visitor("/sessions/00000000-0000-0000-0000-000000000000/heartbeat"), "{}")),
                open("POST", "/v1/visitor/{key}/sessions/{id}/end",
                        () -> new Attempt(visitor("/sessions/00000000-0000-0000-0000-000000000000/end"), "{}")));
    }

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start();
        http = new Http(server.baseUrl());
        jdbc = new Jdbc(server.db().dataSource());
        accounts = new AccountStore(jdbc, new ApiTokens(new SecureRandom()));

        JsonNode a = admin("POST", "/v1/sites", "{\"name\":\"A\",\"timeZone\":\"Europe/Berlin\","
                + "\"fallbackNumber\":\"+49 30 1234567\"}");
        siteA = a.get("id").asLong();
        publicKeyA = a.get("publicKey").asText();
        siteB = admin("POST", "/v1/sites", "{\"name\":\"B\",\"timeZone\":\"UTC\",\"fallbackNumber\":\"+49 30 7654321\"}")
                .get("id").asLong();
        channelA = newChannel();
        admin("POST", a("/v1/sites/{A}/channels"), "{\"name\": \"google\", \"tracking\": \"dynamic\"}");
        numberAe164 = freshNumber();
        numberA = admin("POST", a("/v1/sites/{A}/numbers"), numberBody(numberAe164)).get("id").asLong();
        admin("PUT", a("/v1/sites/{A}/routing"), """
                {"departments": [{"name": "Sales", "managers": [{"name": "Ann", "dialString": "PJSIP/101"}]}],
                 "rules": [{"name": "all", "then": {"department": "Sales", "strategy": "sticky"}}]}""");
        managerA = jdbc.withHandle(h -> h.createQuery("""
                        SELECT m.id FROM manager m JOIN department d ON d.id = m.department_id WHERE d.site_id = :s""")
                .bind("s", siteA).mapTo(Long.class).one());
        callA = call(Optional.of(siteA), "agi", "completed", Optional.of(recording("a")));
        sessionA = UUID.randomUUID();
        jdbc.withHandle(h -> h.createUpdate("""
                        INSERT INTO visitor_session (id, site_id, client_id, started_at, last_seen_at)
                        VALUES (:id, :site, 'visitor-a', now(), now())""")
                .bind("id", sessionA).bind("site", siteA).execute());

        user(Who.OWNER, UserRole.OWNER, List.of());
        user(Who.ADMIN, UserRole.ADMIN, List.of());
        user(Who.LEAD, UserRole.MEMBER, List.of(new Grant(siteA, SiteRole.LEAD, false)));
        user(Who.MARKETER, UserRole.MEMBER, List.of(new Grant(siteA, SiteRole.MARKETER, false)));
        user(Who.VIEWER, UserRole.MEMBER, List.of(new Grant(siteA, SiteRole.VIEWER, false)));
        user(Who.MEMBER_B, UserRole.MEMBER, List.of(new Grant(siteB, SiteRole.LEAD, true)));
        tokens.put(Who.READ_ONLY, accounts.issueToken(users.get(Who.ADMIN), "read-only", Optional.empty(), true,
                Instant.now()).token());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void everyRouteAnswersEveryCallerAsTheTableSays() {
        List<Row> table = table();
        Set<String> served = server.app().routes().stream().map(r -> r.method() + " " + r.template())
                .collect(Collectors.toCollection(TreeSet::new));
        Set<String> listed = table.stream().map(r -> r.method() + " " + r.template())
                .collect(Collectors.toCollection(TreeSet::new));
        assertEquals(listed.size(), table.size(), "a route is listed twice");
        Set<String> missing = new TreeSet<>(served);
        missing.removeAll(listed);
        assertEquals(Set.of(), missing, "routes without an entry in the table: add what each caller gets");
        Set<String> gone = new TreeSet<>(listed);
        gone.removeAll(served);
        assertEquals(Set.of(), gone, "table entries for routes the server does not have");
        assertTrue(server.app().routes().stream().filter(r -> r.need().isEmpty())
                .allMatch(r -> table.stream().anyMatch(t -> t.open() && t.method().equals(r.method())
                        && t.template().equals(r.template()))), "the open routes are the table's open rows");

        List<String> wrong = new ArrayList<>();
        for (Row row : table) {
            if (row.open()) {
                wrong.addAll(checkOpen(row));
                continue;
            }
            for (Who who : Who.values()) {
                Attempt attempt = row.attempt().get();
                var response = send(row.method(), attempt, tokens.get(who));
                int want = row.expected().get(who.ordinal());
                if (response.statusCode() != want) {
                    wrong.add(row.method() + " " + row.template() + " as " + who + ": " + response.statusCode()
                            + " (want " + want + ") " + response.body());
                }
            }
        }
        assertEquals(List.of(), wrong, String.join("\n", wrong));
    }

    private static List<String> checkOpen(Row row) {
        int anonymous = send(row.method(), row.attempt().get(), null).statusCode();
        int owner = send(row.method(), row.attempt().get(), tokens.get(Who.MEMBER_B)).statusCode();
        if (anonymous == 401 || anonymous == 403 || anonymous != owner) {
            return List.of(row.method() + " " + row.template() + " is open, but answered " + anonymous
                    + " without a token and " + owner + " with one");
        }
        return List.of();
    }

    @Test
    void listsAcrossSitesShowOnlyTheCallersSites() throws Exception {
        long callB = call(Optional.of(siteB), "agi", "completed", Optional.empty());
        long callOfNoSite = call(Optional.empty(), "agi", "completed", Optional.empty());

        assertEquals(List.of(siteB), ids(get("/v1/sites", Who.MEMBER_B)));
        assertEquals(List.of(siteA), ids(get("/v1/sites", Who.VIEWER)));
        assertTrue(ids(get("/v1/sites", Who.OWNER)).containsAll(List.of(siteA, siteB)));

        assertEquals(List.of(callB), ids(get("/v1/calls", Who.MEMBER_B).get("items")));
        assertTrue(ids(get("/v1/calls", Who.ADMIN).get("items")).containsAll(List.of(callA, callB, callOfNoSite)),
                "an admin sees every call, those of no site too");
        var filtered = send("GET", new Attempt("/v1/calls?site=" + siteA, null), tokens.get(Who.MEMBER_B));
        assertEquals(404, filtered.statusCode());
        assertEquals("{\"error\":\"site " + siteA + " does not exist\"}", filtered.body(),
                "worded as for a site that does not exist");
        assertEquals(send("GET", new Attempt("/v1/sites/999999", null), tokens.get(Who.OWNER)).body(),
                send("GET", new Attempt("/v1/sites/999999", null), tokens.get(Who.MEMBER_B)).body());
    }

    @Test
    void recordingsAreHiddenFromWhoMayNotListen() throws Exception {
        jdbc.withHandle(h -> h.createUpdate("""
                        INSERT INTO call_event (call_id, event_key, kind, occurred_at, detail)
                        VALUES (:call, 'rec-1', 'recording', now(), '{"value": "a.wav"}')
                        ON CONFLICT DO NOTHING""").bind("call", callA).execute());
        JsonNode marketer = get("/v1/calls/" + callA, Who.MARKETER);
        assertTrue(marketer.get("recordingPath").isNull(), marketer.toString());
        assertTrue(kinds(marketer).stream().noneMatch("recording"::equals), marketer.toString());
        JsonNode listed = get("/v1/calls?site=" + siteA, Who.MARKETER).get("items");
        listed.forEach(c -> assertTrue(c.get("recordingPath").isNull(), c.toString()));

        JsonNode lead = get("/v1/calls/" + callA, Who.LEAD);
        assertEquals("a.wav", lead.get("recordingPath").asText());
        assertTrue(kinds(lead).contains("recording"));

        long listener = accounts.createUser("marketer-listens", UserRole.MEMBER, Optional.empty(), Instant.now());
        accounts.grant(listener, new Grant(siteA, SiteRole.MARKETER, true));
        String token = accounts.issueToken(listener, "t", Optional.empty(), false, Instant.now()).token();
        assertEquals("a.wav", json.readTree(send("GET", new Attempt("/v1/calls/" + callA, null), token).body())
                .get("recordingPath").asText());
        assertEquals(200, send("GET", new Attempt("/v1/calls/" + callA + "/recording", null), token).statusCode());
    }

    @Test
    void aRefusalNamesWhatIsMissing() {
        var viewer = send("PUT", new Attempt("/v1/managers/" + managerA, "{\"active\": true}"), tokens.get(Who.VIEWER));
        assertEquals(403, viewer.statusCode());
        assertTrue(viewer.body().contains("routing.write") && viewer.body().contains("needs the lead role")
                && viewer.body().contains("your role there is viewer"), viewer.body());
        var marketer = send("GET", new Attempt("/v1/calls/" + callA + "/recording", null), tokens.get(Who.MARKETER));
        assertTrue(marketer.body().contains("recordings.listen") && marketer.body().contains("grant with recordings"),
                marketer.body());
        var readOnly = send("POST", new Attempt("/v1/sites/" + siteA + "/reclassify", ""), tokens.get(Who.READ_ONLY));
        assertTrue(readOnly.body().contains("read-only"), readOnly.body());
        var metrics = send("GET", new Attempt("/metrics", null), tokens.get(Who.LEAD));
        assertTrue(metrics.body().contains("(metrics.read) needs the owner or admin role; you are member"),
                metrics.body());
    }

    @Test
    void aTokenKeptToSomeSitesReachesNothingElse() throws Exception {
        String onlyB = accounts.issueToken(users.get(Who.ADMIN), "only B", Optional.of(Set.of(siteB)), false,
                Instant.now()).token();
        assertEquals(404, send("GET", new Attempt("/v1/sites/" + siteA, null), onlyB).statusCode());
        assertEquals(404, send("GET", new Attempt("/v1/calls/" + callA, null), onlyB).statusCode());
        assertEquals(200, send("GET", new Attempt("/v1/sites/" + siteB + "/routing", null), onlyB).statusCode());
        assertEquals(List.of(siteB), ids(json.readTree(send("GET", new Attempt("/v1/sites", null), onlyB).body())));
        var create = send("POST", new Attempt("/v1/sites", "{}"), onlyB);
        assertEquals(403, create.statusCode());
        assertTrue(create.body().contains("limited to sites [" + siteB + "]"), create.body());

        // a monitoring token: an admin's, kept to no site and read-only, reads /metrics and nothing else
        String monitoring = accounts.issueToken(users.get(Who.ADMIN), "prometheus", Optional.of(Set.of()), true,
                Instant.now()).token();
        assertEquals(200, send("GET", new Attempt("/metrics", null), monitoring).statusCode());
        assertEquals("[]", send("GET", new Attempt("/v1/sites", null), monitoring).body());
        assertEquals(404, send("GET", new Attempt("/v1/sites/" + siteA, null), monitoring).statusCode());
    }

    // ---- fixtures: through the API with the bootstrap token, or rows where no route writes them ----

    private static void user(Who who, UserRole role, List<Grant> grants) {
        long id = accounts.createUser(who.name().toLowerCase() + "@example.com", role, Optional.empty(), Instant.now());
        grants.forEach(g -> accounts.grant(id, g));
        users.put(who, id);
        tokens.put(who, accounts.issueToken(id, "test", Optional.empty(), false, Instant.now()).token());
    }

    /** A new site on which the members of site A have the same roles (for deleting one). */
    private static long siteLikeA() {
        long id = admin("POST", "/v1/sites", "{\"name\":\"A" + unique.incrementAndGet()
                + "\",\"timeZone\":\"UTC\",\"fallbackNumber\":\"+49 30 1234567\"}").get("id").asLong();
        accounts.grant(users.get(Who.LEAD), new Grant(id, SiteRole.LEAD, false));
        accounts.grant(users.get(Who.MARKETER), new Grant(id, SiteRole.MARKETER, false));
        accounts.grant(users.get(Who.VIEWER), new Grant(id, SiteRole.VIEWER, false));
        return id;
    }

    private static String channelBody() {
        return "{\"name\": \"c" + unique.incrementAndGet() + "\", \"tracking\": \"static\"}";
    }

    private static long newChannel() {
        return admin("POST", a("/v1/sites/{A}/channels"), channelBody()).get("id").asLong();
    }

    private static String freshNumber() {
        return "+4930" + (2_000_000 + unique.incrementAndGet());
    }

    private static String numberBody(String e164) {
        return "{\"number\": \"" + e164 + "\", \"kind\": \"pool\"}";
    }

    private static long newNumber() {
        return admin("POST", a("/v1/sites/{A}/numbers"), numberBody(freshNumber())).get("id").asLong();
    }

    private static String recording(String name) throws Exception {
        Path dir = server.dataDir().resolve("recordings");
        Files.createDirectories(dir);
        Files.write(dir.resolve(name + ".wav"), new byte[]{'R', 'I', 'F', 'F', 0, 0, 0, 0});
        return name + ".wav";
    }

    private static long call(Optional<Long> site, String origin, String state, Optional<String> recording) {
        return jdbc.withHandle(h -> h.createUpdate("""
                        INSERT INTO call (linkedid, origin, site_id, called_number, attribution, state, started_at,
                                          recording_path)
                        VALUES (:linkedid, :origin, :site, '+49301234567', 'unattributed', :state, now(), :recording)""")
                .bind("linkedid", "call-" + unique.incrementAndGet()).bind("origin", origin)
                .bind("site", site.orElse(null)).bind("state", state).bind("recording", recording.orElse(null))
                .executeAndReturnGeneratedKeys("id").mapTo(Long.class).one());
    }

    /** A call the SIP redirect sent on, waiting for the PBX's outcome; answers its SIP Call-ID. */
    private static String redirectedCall() {
        long id = call(Optional.of(siteA), "sip", "redirected", Optional.empty());
        return jdbc.withHandle(h -> h.createQuery("SELECT linkedid FROM call WHERE id = :id").bind("id", id)
                .mapTo(String.class).one());
    }

    private static long deadJob() {
        return jdbc.withHandle(h -> h.createUpdate("""
                        INSERT INTO job (site_id, call_id, kind, target, event, state, attempts, created_at,
                                         next_attempt_at, last_error)
                        VALUES (:site, :call, 'webhook', 'webhook https://hooks.example.com', 'call.completed', 'dead',
                                30, now(), now() + interval '1 day', 'HTTP 500')""")
                .bind("site", siteA).bind("call", callA).executeAndReturnGeneratedKeys("id").mapTo(Long.class).one());
    }

    private static String visitor(String rest) {
        return "/v1/visitor/" + publicKeyA + rest;
    }

    // ---- HTTP ----

    private static JsonNode admin(String method, String path, String body) {
        var r = send(method, new Attempt(path, body), TestServer.ADMIN_TOKEN);
        if (r.statusCode() / 100 != 2) throw new IllegalStateException(method + " " + path + ": " + r.body());
        try {
            return json.readTree(r.body());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode get(String path, Who who) throws Exception {
        var r = send("GET", new Attempt(path, null), tokens.get(who));
        assertEquals(200, r.statusCode(), r.body());
        return json.readTree(r.body());
    }

    private static java.net.http.HttpResponse<String> send(String method, Attempt attempt, String token) {
        HttpRequest.Builder b = http.builder(attempt.path()).method(method, attempt.body() == null
                ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(attempt.body()));
        if (token != null) b.header("Authorization", "Bearer " + token);
        return http.send(b, false);
    }

    private static List<Long> ids(JsonNode array) {
        List<Long> ids = new ArrayList<>();
        array.forEach(n -> ids.add(n.get("id").asLong()));
        return ids;
    }

    private static List<String> kinds(JsonNode call) {
        List<String> kinds = new ArrayList<>();
        call.get("events").forEach(e -> kinds.add(e.get("kind").asText()));
        return kinds;
    }
}
