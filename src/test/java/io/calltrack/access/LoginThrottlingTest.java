package io.calltrack.access;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.calltrack.support.Http;
import io.calltrack.support.LogCapture;
import io.calltrack.support.MutableClock;
import io.calltrack.support.TestDatabase;
import io.calltrack.support.TestServer;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Guessing one account's password gets 429 after a few tries, whoever guesses from wherever and on whichever
 * instance; every failure is a WARN line and an audit entry, without the password.
 */
class LoginThrottlingTest {
    private static final MutableClock clock = new MutableClock(Instant.parse("2026-03-02T09:00:00Z"));
    private static StoredAudit audit;
    private static final Map<String, String> SETTINGS = Map.of("access.login-failures-per-account", "3",
            "access.login-failures-per-ip", "6", "access.login-failure-window", "10m",
            "tracking.client-ip-header", "X-Forwarded-For", "tracking.trusted-proxies", "127.0.0.1");
    private static TestDatabase db;
    private static TestServer first;
    private static TestServer second;

    @BeforeAll
    static void start() {
        db = TestDatabase.create();
        audit = new StoredAudit(db);
        first = TestServer.startOn(db, SETTINGS, clock);
        second = TestServer.startOn(db, SETTINGS, clock);
    }

    @AfterAll
    static void stop() {
        first.close();
        second.close();
        db.close();
    }

    private static void createUser(String login, String password) {
        assertEquals(201, new Http(first.baseUrl()).adminPost("/v1/users", "{\"login\":\"" + login
                + "\",\"role\":\"member\",\"password\":\"" + password + "\"}").statusCode());
    }

    /** A login through the proxy at 127.0.0.1 for a client at {@code ip}. */
    private static HttpResponse<String> login(TestServer server, String ip, String login, String password) {
        Http http = new Http(server.baseUrl());
        return http.send(http.builder("/v1/session").header("X-Forwarded-For", ip)
                .POST(HttpRequest.BodyPublishers.ofString(SessionClient.body(login, password))), false);
    }

    @Test
    void bruteForceOfOneAccountGets429AndIsLoggedAndAudited() throws Exception {
        createUser("victim@example.com", "the real password");
        try (LogCapture log = new LogCapture(Logins.class)) {
            List<TestServer> servers = List.of(first, second, first);
            for (int i = 0; i < 3; i++) {
                HttpResponse<String> r = login(servers.get(i), "198.51.100." + i, "victim@example.com",
                        "guess number " + i);
                assertEquals(401, r.statusCode(), r.body());
                assertEquals("{\"error\":\"wrong login or password\"}", r.body());
            }
            HttpResponse<String> refused = login(second, "198.51.100.9", "victim@example.com", "guess number 3");
            assertEquals(429, refused.statusCode(), refused.body());
            assertTrue(refused.body().contains("too many failed logins"), refused.body());
            long retryAfter = Long.parseLong(refused.headers().firstValue("Retry-After").orElseThrow());
            assertTrue(retryAfter > 590 && retryAfter <= 600, "until the first failure leaves the window: " + retryAfter);
            assertEquals(429, login(first, "203.0.113.1", "victim@example.com", "the real password").statusCode(),
                    "while locked even the right password waits");

            List<String> warnings = log.lines().stream().filter(l -> l.startsWith("WARN Failed login as "
                    + "'victim@example.com'")).toList();
            assertEquals(5, warnings.size(), log.lines().toString());
            assertTrue(warnings.get(0).contains("from 198.51.100.0: wrong password"), warnings.get(0));
            assertTrue(warnings.get(3).contains("from 198.51.100.9: too many failed logins"), warnings.get(3));
            assertFalse(log.lines().stream().anyMatch(l -> l.contains("guess number") || l.contains("real password")),
                    "no password is logged");
        }
        List<AuditEntry> failed = audit.of("login.failed").stream()
                .filter(e -> e.login().equals("victim@example.com")).toList();
        assertEquals(5, failed.size());
        assertEquals("198.51.100.0", failed.get(0).remoteAddress());
        assertTrue(failed.get(0).userId().isPresent());
        assertFalse(failed.toString().contains("guess number"));

        clock.advance(Duration.ofMinutes(10).plusSeconds(1));
        assertEquals(200, login(second, "203.0.113.1", "victim@example.com", "the real password").statusCode());
        assertEquals(1, audit.of("login.ok").stream().filter(e -> e.login().equals("victim@example.com")).count());
    }

    @Test
    void oneAddressTryingManyAccountsGets429() {
        for (int i = 0; i < 6; i++) {
            assertEquals(401, login(i % 2 == 0 ? first : second, "192.0.2.77", "nobody" + i + "@example.com",
                    "some password").statusCode());
        }
        HttpResponse<String> refused = login(first, "192.0.2.77", "nobody7@example.com", "some password");
        assertEquals(429, refused.statusCode(), refused.body());
        assertTrue(refused.headers().firstValue("Retry-After").isPresent());
        createUser("bystander@example.com", "green tea at noon");
        assertEquals(200, login(first, "192.0.2.78", "bystander@example.com", "green tea at noon").statusCode(),
                "another address is not held up");
        assertTrue(audit.of("login.failed").stream().anyMatch(e -> e.login().equals("nobody0@example.com")
                && e.userId().isEmpty() && e.target().equals("login nobody0@example.com")));
    }
}
