package io.calltrack.access;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.calltrack.platform.db.Jdbc;
import io.calltrack.support.MutableClock;
import io.calltrack.support.TestDatabase;
import io.calltrack.support.TestServer;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A browser logs in, works with its cookie and CSRF token, and is refused what another site's page makes it send. */
class BrowserSessionTest {
    private static final String OWNER_PASSWORD = "a long boss passphrase";
    private static final MutableClock clock = new MutableClock(Instant.parse("2026-03-02T09:00:00Z"));
    private static final ListAuditTrail audit = new ListAuditTrail();
    private static TestDatabase db;
    private static TestServer server;
    private static SessionClient browser;

    @BeforeAll
    static void start() {
        db = TestDatabase.create();
        server = TestServer.startOn(db, Map.of("access.owner-password", OWNER_PASSWORD,
                "access.session-idle-timeout", "30m", "access.session-max-age", "2h",
                "tracking.trusted-proxies", "127.0.0.1"), clock, audit);
        browser = new SessionClient(server.baseUrl());
    }

    @AfterAll
    static void stop() {
        server.close();
        db.close();
    }

    private static final String SITE = """
            {"name":"Shop","timeZone":"Europe/Moscow","fallbackNumber":"+74950000000"}""";

    @Test
    void theFirstOwnerLogsInAndGetsAStrictHttpOnlyCookieAndACsrfToken() {
        HttpResponse<String> r = browser.loginResponse("Owner", OWNER_PASSWORD);
        assertEquals(200, r.statusCode(), r.body());
        String setCookie = r.headers().firstValue("set-cookie").orElseThrow();
        assertTrue(setCookie.startsWith("calltrack_session="), setCookie);
        assertTrue(setCookie.contains("; HttpOnly") && setCookie.contains("; SameSite=Strict")
                && setCookie.contains("; Path=/") && setCookie.contains("; Max-Age=7200"), setCookie);
        assertFalse(setCookie.contains("Secure"), "plain HTTP without a TLS proxy: " + setCookie);
        assertEquals("owner", SessionClient.tree(r).get("role").asText());
        SessionClient.Session s = SessionClient.session(r);

        var me = SessionClient.tree(browser.get(s, "/v1/session"));
        assertEquals("owner", me.get("login").asText());
        assertEquals("session", me.get("via").asText());
        assertEquals(s.csrfToken(), me.get("csrfToken").asText());
        assertEquals(200, browser.get(s, "/v1/sites").statusCode());
    }

    @Test
    void behindATlsProxyTheCookieIsSecure() {
        HttpResponse<String> r = browser.http().send(browser.http().builder("/v1/session")
                .header("X-Forwarded-Proto", "https").header("Origin", server.baseUrl().replace("http:", "https:"))
                .POST(HttpRequest.BodyPublishers.ofString(SessionClient.body("owner", OWNER_PASSWORD))), false);
        assertEquals(200, r.statusCode(), r.body());
        assertTrue(r.headers().firstValue("set-cookie").orElseThrow().endsWith("; Secure"));
    }

    @Test
    void aChangeWithTheCookieNeedsTheCsrfTokenAndOurOrigin() {
        SessionClient.Session s = browser.login("owner", OWNER_PASSWORD);

        // a cross-site form post: the browser sends the cookie (were SameSite not there) and says where it comes from
        HttpResponse<String> form = browser.http().send(browser.withCookie(s, "POST", "/v1/sites", Optional.of(SITE))
                .header("Content-Type", "application/x-www-form-urlencoded").header("Origin", "https://evil.example")
                .header("Sec-Fetch-Site", "cross-site"), false);
        assertEquals(403, form.statusCode(), form.body());
        // even if it somehow carried the token
        HttpResponse<String> withToken = browser.http().send(browser.withCookie(s, "POST", "/v1/sites",
                        Optional.of(SITE)).header("Origin", "https://evil.example")
                .header(SessionAuthenticator.CSRF_HEADER, s.csrfToken()), false);
        assertEquals(403, withToken.statusCode(), withToken.body());
        HttpResponse<String> sameSiteOtherOrigin = browser.http().send(browser.withCookie(s, "POST", "/v1/sites",
                        Optional.of(SITE)).header("Sec-Fetch-Site", "same-site")
                .header(SessionAuthenticator.CSRF_HEADER, s.csrfToken()), false);
        assertEquals(403, sameSiteOtherOrigin.statusCode(), sameSiteOtherOrigin.body());
        // our own page without the token, and with a wrong one
        HttpResponse<String> noToken = browser.http().send(browser.withCookie(s, "POST", "/v1/sites",
                Optional.of(SITE)).header("Origin", server.baseUrl()), false);
        assertEquals(403, noToken.statusCode(), noToken.body());
        assertTrue(noToken.body().contains("X-CSRF-Token"), noToken.body());
        HttpResponse<String> wrongToken = browser.http().send(browser.withCookie(s, "POST", "/v1/sites",
                Optional.of(SITE)).header("Origin", server.baseUrl())
                .header(SessionAuthenticator.CSRF_HEADER, s.csrfToken() + "x"), false);
        assertEquals(403, wrongToken.statusCode(), wrongToken.body());
        int sitesBefore = SessionClient.tree(browser.get(s, "/v1/sites")).size();

        HttpResponse<String> ours = browser.send(s, "POST", "/v1/sites", SITE);
        assertEquals(201, ours.statusCode(), ours.body());
        assertEquals(sitesBefore + 1, SessionClient.tree(browser.get(s, "/v1/sites")).size(),
                "only the change from our page was made");
    }

    @Test
    void aBearerHeaderIsJudgedAloneAndNeedsNoCsrfToken() {
        SessionClient.Session s = browser.login("owner", OWNER_PASSWORD);
        HttpResponse<String> wrongBearer = browser.http().send(browser.withCookie(s, "GET", "/v1/sites",
                Optional.empty()).header("Authorization", "Bearer wrong"), false);
        assertEquals(401, wrongBearer.statusCode());
        HttpResponse<String> bearer = browser.http().send(browser.http().builder("/v1/sites")
                .header("Origin", "https://evil.example")
                .POST(HttpRequest.BodyPublishers.ofString(SITE)), true);
        assertEquals(201, bearer.statusCode(), bearer.body());
    }

    @Test
    void aLoginFromAnotherSitesPageIsRefused() {
        HttpResponse<String> r = browser.http().send(browser.http().builder("/v1/session")
                .header("Origin", "https://evil.example")
                .POST(HttpRequest.BodyPublishers.ofString(SessionClient.body("owner", OWNER_PASSWORD))), false);
        assertEquals(403, r.statusCode(), r.body());
        assertTrue(r.headers().firstValue("set-cookie").isEmpty());
    }

    @Test
    void logoutEndsTheSession() {
        SessionClient.Session s = browser.login("owner", OWNER_PASSWORD);
        HttpResponse<String> out = browser.send(s, "DELETE", "/v1/session", null);
        assertEquals(204, out.statusCode(), out.body());
        assertTrue(out.headers().firstValue("set-cookie").orElseThrow().contains("Max-Age=0"));
        assertEquals(401, browser.get(s, "/v1/session").statusCode());
    }

    @Test
    void aSessionEndsAfterTheIdleTimeoutAndAtItsMaximumAgeWhateverItsUse() {
        SessionClient.Session idle = browser.login("owner", OWNER_PASSWORD);
        SessionClient.Session busy = browser.login("owner", OWNER_PASSWORD);
        clock.advance(Duration.ofMinutes(29));
        assertEquals(200, browser.get(busy, "/v1/session").statusCode());
        clock.advance(Duration.ofMinutes(2));
        assertEquals(401, browser.get(idle, "/v1/session").statusCode(), "31 minutes without a request");
        assertEquals(200, browser.get(busy, "/v1/session").statusCode(), "used 2 minutes ago");
        for (int i = 0; i < 3; i++) { // to 1 h 58 min after the login, a request every 29 minutes
            clock.advance(Duration.ofMinutes(29));
            assertEquals(200, browser.get(busy, "/v1/session").statusCode());
        }
        clock.advance(Duration.ofMinutes(3));
        assertEquals(401, browser.get(busy, "/v1/session").statusCode(), "2 h 1 min after the login");
    }

    @Test
    void sessionsAreStoredOnlyAsHashesOfTheCookie() {
        SessionClient.Session s = browser.login("owner", OWNER_PASSWORD);
        Jdbc jdbc = new Jdbc(db.dataSource());
        List<byte[]> hashes = jdbc.withHandle(h -> h.createQuery("SELECT token_sha256 FROM user_session")
                .mapTo(byte[].class).list());
        assertTrue(hashes.stream().anyMatch(hash -> java.util.Arrays.equals(hash, ApiTokens.sha256(s.cookie()))));
        String everything = jdbc.withHandle(h -> h.createQuery("SELECT string_agg(t::text, ' ') FROM user_session t")
                .mapTo(String.class).one());
        assertFalse(everything.contains(s.cookie()), "the cookie value is nowhere in the table");
        assertFalse(everything.contains(s.csrfToken()), "nor the CSRF token");
        assertArrayEquals(ApiTokens.sha256(s.cookie()), jdbc.withHandle(h -> h.createQuery(
                "SELECT token_sha256 FROM user_session ORDER BY id DESC LIMIT 1").mapTo(byte[].class).one()));
    }

    @Test
    void changingOnesPasswordEndsTheOtherSessionsAndKeepsThisBrowserIn() {
        HttpResponse<String> created = browser.http().adminPost("/v1/users", """
                {"login":"lena@example.com","role":"admin","password":"first password here"}""");
        assertEquals(201, created.statusCode(), created.body());
        SessionClient.Session laptop = browser.login("lena@example.com", "first password here");
        SessionClient.Session phone = browser.login("lena@example.com", "first password here");

        HttpResponse<String> wrongCurrent = browser.send(laptop, "PUT", "/v1/session/password", """
                {"currentPassword":"not it at all","newPassword":"second password here"}""");
        assertEquals(400, wrongCurrent.statusCode(), wrongCurrent.body());
        HttpResponse<String> tooShort = browser.send(laptop, "PUT", "/v1/session/password", """
                {"currentPassword":"first password here","newPassword":"short"}""");
        assertEquals(400, tooShort.statusCode());
        assertEquals("{\"error\":\"the password has 5 characters; at least 10 are needed\"}", tooShort.body());

        HttpResponse<String> changed = browser.send(laptop, "PUT", "/v1/session/password", """
                {"currentPassword":"first password here","newPassword":"second password here"}""");
        assertEquals(200, changed.statusCode(), changed.body());
        SessionClient.Session renewed = SessionClient.session(changed);
        assertEquals(401, browser.get(phone, "/v1/session").statusCode(), "the other browser is logged out");
        assertEquals(401, browser.get(laptop, "/v1/session").statusCode(), "the old cookie of this one too");
        assertEquals(200, browser.get(renewed, "/v1/session").statusCode(), "this browser goes on with its new one");
        assertEquals(401, browser.loginResponse("lena@example.com", "first password here").statusCode());
        assertEquals(1, audit.of("password.changed").size());
    }
}
