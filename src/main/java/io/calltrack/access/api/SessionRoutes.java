package io.calltrack.access.api;

import io.calltrack.access.AccountStore;
import io.calltrack.access.AuditTrail;
import io.calltrack.access.BrowserRequests;
import io.calltrack.access.Credentials;
import io.calltrack.access.Logins;
import io.calltrack.access.PasswordHasher;
import io.calltrack.access.PasswordRules;
import io.calltrack.access.Principal;
import io.calltrack.access.SessionCookie;
import io.calltrack.access.SessionStore;
import io.calltrack.access.SessionTokens;
import io.calltrack.platform.http.ApiException;
import io.calltrack.platform.http.ApiRequest;
import io.calltrack.platform.http.ApiResponse;
import io.calltrack.platform.http.Route;
import io.calltrack.platform.http.RouteProvider;
import io.calltrack.tracking.api.ClientAddresses;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Logging in and out of a browser session, who am I, changing one's own password. */
public final class SessionRoutes implements RouteProvider {
    private final Logins logins;
    private final SessionStore sessions;
    private final AccountStore accounts;
    private final BrowserRequests browsers;
    private final AuditEntries entries;
    private final PasswordHasher hasher;
    private final PasswordRules rules;
    private final AuditTrail audit;
    private final Clock clock;

    public SessionRoutes(Logins logins, SessionStore sessions, AccountStore accounts, BrowserRequests browsers,
                         ClientAddresses clients, PasswordHasher hasher, PasswordRules rules, AuditTrail audit,
                         Clock clock) {
        this.logins = logins;
        this.sessions = sessions;
        this.accounts = accounts;
        this.browsers = browsers;
        this.entries = new AuditEntries(clients);
        this.hasher = hasher;
        this.rules = rules;
        this.audit = audit;
        this.clock = clock;
    }

    public record LoginRequest(String login, String password) {}

    public record PasswordChange(String currentPassword, String newPassword) {}

    @Override
    public List<Route> routes() {
        return List.of(
                Route.open("POST", "/v1/session", this::login),
                Route.admin("GET", "/v1/session", this::whoAmI), // needs: any principal
                Route.admin("DELETE", "/v1/session", this::logout), // needs: any principal
                Route.admin("PUT", "/v1/session/password", this::changePassword)); // needs: SELF
    }

    private ApiResponse login(ApiRequest r) {
        Credentials credentials = credentials(r);
        if (!browsers.sameOrigin(credentials)) {
            throw new ApiException(403, "a login must come from calltrack's own pages (Origin / Sec-Fetch-Site say "
                    + "it does not)");
        }
        LoginRequest body = r.bodyAs(LoginRequest.class);
        if (body.login() == null || body.login().isBlank() || body.password() == null || body.password().isEmpty()) {
            throw ApiException.badRequest("login and password are required");
        }
        Logins.LoggedIn in;
        try {
            in = logins.login(body.login().trim(), body.password(), entries.client(r));
        } catch (Logins.TooManyLogins e) {
            return ApiResponse.json(429, Map.of("error", e.getMessage()))
                    .withHeader("Retry-After", String.valueOf(Math.max(1, e.retryAfter().toSeconds())));
        } catch (Logins.LoginFailed e) {
            return ApiResponse.json(401, Map.of("error", e.getMessage()));
        }
        return sessionAnswer(in.sessionToken(), in.userId(), credentials);
    }

    /** Who the session is, its CSRF token, and the cookie that carries it. */
    private ApiResponse sessionAnswer(String sessionToken, long userId, Credentials credentials) {
        io.calltrack.access.User u = accounts.user(userId).orElseThrow(); // it just logged in
        Map<String, Object> body = describe(new Principal(u.id(), u.login(), u.role(), accounts.grants(u.id()),
                Principal.Via.SESSION, Optional.empty(), false));
        body.put("csrfToken", SessionTokens.csrfTokenFor(sessionToken));
        return ApiResponse.ok(body).withHeader("Set-Cookie",
                SessionCookie.set(sessionToken, sessions.maxAge(), browsers.overTls(credentials)));
    }

    private ApiResponse whoAmI(ApiRequest r) {
        Principal p = r.principal().orElseThrow();
        Map<String, Object> body = describe(p);
        sessionToken(r, p).ifPresent(t -> body.put("csrfToken", SessionTokens.csrfTokenFor(t)));
        return ApiResponse.ok(body);
    }

    private ApiResponse logout(ApiRequest r) {
        Principal p = r.principal().orElseThrow();
        Optional<String> token = sessionToken(r, p);
        if (token.isEmpty()) {
            throw ApiException.badRequest("a bearer token is no session: revoke a user's token with "
                    + "DELETE /v1/tokens/{id}");
        }
        sessions.end(token.get());
        audit.record(entries.of(p, r, "logout", "user " + p.userId(), Map.of()));
        return ApiResponse.noContent().withHeader("Set-Cookie", SessionCookie.cleared(browsers.overTls(credentials(r))));
    }

    private ApiResponse changePassword(ApiRequest r) {
        Principal p = Needs.SELF.of(r);
        PasswordChange body = r.bodyAs(PasswordChange.class);
        if (body.currentPassword() == null || body.newPassword() == null) {
            throw ApiException.badRequest("currentPassword and newPassword are required");
        }
        boolean current = accounts.passwordHash(p.userId()).map(h -> hasher.matches(body.currentPassword(), h))
                .orElseGet(() -> hasher.matchesNothing(body.currentPassword()));
        if (!current) throw ApiException.badRequest("currentPassword is wrong");
        String password = acceptable(rules, p.login(), body.newPassword());
        accounts.setPassword(p.userId(), hasher.hash(password), clock.instant()); // ends every session of the user
        audit.record(entries.of(p, r, "password.changed", "user " + p.userId(), Map.of()));
        if (p.via() != Principal.Via.SESSION) return ApiResponse.noContent();
        // the browser that changed it goes on, in a session of its own
        String fresh = sessions.open(p.userId(), entries.client(r));
        return sessionAnswer(fresh, p.userId(), credentials(r));
    }

    /** {@code password} for {@code login} when it meets the rules; else a 400 saying which it breaks. */
    static String acceptable(PasswordRules rules, String login, String password) {
        Optional<String> problem = rules.problem(login, password);
        if (problem.isPresent()) throw ApiException.badRequest(problem.get());
        return password;
    }

    private static Optional<String> sessionToken(ApiRequest r, Principal p) {
        return p.via() == Principal.Via.SESSION ? SessionCookie.in(r.header("cookie")) : Optional.empty();
    }

    private static Credentials credentials(ApiRequest r) {
        return new Credentials(r.method(), r.headers(), r.remoteAddress());
    }

    /** A principal as the API shows it. */
    static Map<String, Object> describe(Principal p) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("userId", p.userId());
        out.put("login", p.login());
        out.put("role", p.role().dbValue());
        out.put("grants", UserRoutes.grants(p.grants().values()));
        out.put("via", p.via().name().toLowerCase(java.util.Locale.ROOT));
        out.put("onlySites", p.onlySites().map(s -> s.stream().sorted().toList()).orElse(null));
        out.put("readOnly", p.readOnly());
        return out;
    }
}
