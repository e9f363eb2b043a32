package io.calltrack.access;

import java.util.Optional;
import java.util.Set;

/**
 * Browser sessions: the session cookie, looked up on every request; a change (POST, PUT, PATCH, DELETE) also needs
 * the session's CSRF token in {@code X-CSRF-Token} and must come from calltrack's own origin, or it is refused (403)
 * however valid the cookie.
 */
public final class SessionAuthenticator implements Authenticator {
    public static final String CSRF_HEADER = "X-CSRF-Token";
    private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS");

    private final SessionStore sessions;
    private final AccountStore accounts;
    private final BrowserRequests browsers;

    public SessionAuthenticator(SessionStore sessions, AccountStore accounts, BrowserRequests browsers) {
        this.sessions = sessions;
        this.accounts = accounts;
        this.browsers = browsers;
    }

    @Override
    public Optional<Principal> authenticate(Credentials credentials) {
        Optional<String> token = SessionCookie.in(credentials.header("cookie"));
        if (token.isEmpty()) return Optional.empty();
        Optional<SessionStore.SessionUser> user = sessions.user(token.get());
        if (user.isEmpty()) return Optional.empty();
        if (!SAFE_METHODS.contains(credentials.method())) {
            if (!browsers.sameOrigin(credentials)) {
                throw new AccessRefused("a change with the session cookie must come from calltrack's own pages "
                        + "(Origin / Sec-Fetch-Site say it does not)");
            }
            boolean csrf = credentials.header(CSRF_HEADER).map(t -> SessionTokens.isCsrfTokenOf(t.trim(), token.get()))
                    .orElse(false);
            if (!csrf) {
                throw new AccessRefused("a change with the session cookie needs the header " + CSRF_HEADER
                        + " with the session's csrfToken (GET /v1/session)");
            }
        }
        SessionStore.SessionUser u = user.get();
        return Optional.of(new Principal(u.userId(), u.login(), u.role(), accounts.grants(u.userId()),
                Principal.Via.SESSION, Optional.empty(), false));
    }
}
