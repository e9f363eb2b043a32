package io.calltrack.access;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logging in with a login and a password: throttled per login and per address, every outcome logged (failures at
 * WARN, without the password) and written to the audit trail ({@code login.ok}, {@code login.failed}).
 */
public final class Logins {
    private static final Logger log = LoggerFactory.getLogger(Logins.class);

    private final AccountStore accounts;
    private final SessionStore sessions;
    private final LoginThrottle throttle;
    private final PasswordHasher hasher;
    private final AuditTrail audit;
    private final Clock clock;

    public Logins(AccountStore accounts, SessionStore sessions, LoginThrottle throttle, PasswordHasher hasher,
                  AuditTrail audit, Clock clock) {
        this.accounts = accounts;
        this.sessions = sessions;
        this.throttle = throttle;
        this.hasher = hasher;
        this.audit = audit;
        this.clock = clock;
    }

    /** A session just opened: the cookie value and whose it is. */
    public record LoggedIn(String sessionToken, long userId) {}

    /** The login failed; the message is the same for every reason, so it does not tell which logins exist. */
    public static final class LoginFailed extends RuntimeException {
        LoginFailed() {
            super("wrong login or password");
        }
    }

    /** Too many failures lately: try again after {@code retryAfter}. */
    public static final class TooManyLogins extends RuntimeException {
        private final Duration retryAfter;

        TooManyLogins(Duration retryAfter) {
            super("too many failed logins; try again in " + Math.max(1, retryAfter.toSeconds()) + " s");
            this.retryAfter = retryAfter;
        }

        public Duration retryAfter() {
            return retryAfter;
        }
    }

    public LoggedIn login(String login, String password, String remoteAddress) {
        Instant now = clock.instant();
        Optional<Duration> wait = throttle.waitFor(login, remoteAddress, now);
        Optional<AccountStore.LoginRow> user = accounts.forLogin(login);
        if (wait.isPresent()) {
            failed(login, user, remoteAddress, "too many failed logins, refused without checking the password");
            throw new TooManyLogins(wait.get());
        }
        boolean matches = user.flatMap(AccountStore.LoginRow::passwordHash)
                .map(hash -> hasher.matches(password, hash))
                .orElseGet(() -> hasher.matchesNothing(password));
        if (!matches || user.get().disabled()) {
            throttle.failed(login, remoteAddress, now);
            failed(login, user, remoteAddress, user.isEmpty() ? "no such login"
                    : !matches ? "wrong password" : "the user is disabled");
            throw new LoginFailed();
        }
        AccountStore.LoginRow row = user.get();
        throttle.succeeded(login);
        if (hasher.outdated(row.passwordHash().orElseThrow())) accounts.rehash(row.userId(), hasher.hash(password));
        String session = sessions.open(row.userId(), remoteAddress);
        log.info("{} ({}) logged in from {}", row.login(), row.role().dbValue(), remoteAddress);
        audit.record(new AuditEntry(Optional.of(row.userId()), row.login(), "login.ok", Optional.empty(),
                "user " + row.userId(), Map.of(), remoteAddress));
        return new LoggedIn(session, row.userId());
    }

    private void failed(String login, Optional<AccountStore.LoginRow> user, String remoteAddress, String reason) {
        log.warn("Failed login as '{}' from {}: {}", printable(login), remoteAddress, reason);
        audit.record(new AuditEntry(user.map(AccountStore.LoginRow::userId), login, "login.failed", Optional.empty(),
                user.map(u -> "user " + u.userId()).orElse("login " + login), Map.of("reason", reason),
                remoteAddress));
    }

    /** A login as typed, cut and without control characters: it is the client's text going into our log. */
    private static String printable(String login) {
        String cut = login.length() > 100 ? login.substring(0, 100) + "..." : login;
        return cut.replaceAll("\\p{Cntrl}", "?");
    }
}
