package io.calltrack.access;

import io.calltrack.platform.db.Jdbc;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The only owner of {@code login_failure}: at most {@code perAccount} failed logins of one login and
 * {@code perIp} from one address within {@code window}; beyond them logins are refused until the oldest failure
 * leaves the window. Counted in the database, so several instances sharing it count together; refused attempts
 * are not counted (a flood does not push the end of the wait further out). Concurrent attempts checked before any
 * of them is recorded can pass the limit by their number.
 */
public final class LoginThrottle {
    private final Jdbc jdbc;
    private final int perAccount;
    private final int perIp;
    private final Duration window;

    public LoginThrottle(Jdbc jdbc, int perAccount, int perIp, Duration window) {
        this.jdbc = jdbc;
        this.perAccount = perAccount;
        this.perIp = perIp;
        this.window = window;
    }

    /** How long a login for {@code login} from {@code ip} must wait, or empty when it may be tried now. */
    public Optional<Duration> waitFor(String login, String ip, Instant now) {
        record Count(String key, long failures, Instant oldest) {}
        List<Count> counts = jdbc.withHandle(h -> h.createQuery("""
                        SELECT key, count(*), min(failed_at) FROM login_failure
                         WHERE key IN (:account, :ip) AND failed_at > :since GROUP BY key""")
                .bind("account", accountKey(login)).bind("ip", ipKey(ip))
                .bind("since", Timestamp.from(now.minus(window)))
                .map((rs, ctx) -> new Count(rs.getString(1), rs.getLong(2), rs.getTimestamp(3).toInstant()))
                .list());
        return counts.stream()
                .filter(c -> c.failures() >= (c.key().equals(accountKey(login)) ? perAccount : perIp))
                .map(c -> Duration.between(now, c.oldest().plus(window)))
                .max(Duration::compareTo)
                .map(d -> d.isNegative() ? Duration.ZERO : d);
    }

    /** Counts a failed login against the login and the address; forgets failures older than the window. */
    public void failed(String login, String ip, Instant now) {
        jdbc.inHandleTransaction(h -> {
            h.createUpdate("DELETE FROM login_failure WHERE failed_at <= :since")
                    .bind("since", Timestamp.from(now.minus(window))).execute();
            return h.createUpdate("INSERT INTO login_failure (key, failed_at) VALUES (:account, :now), (:ip, :now)")
                    .bind("account", accountKey(login)).bind("ip", ipKey(ip)).bind("now", Timestamp.from(now))
                    .execute();
        });
    }

    /** A login that succeeded clears its account's failures (not its address's: one good password opens no door). */
    public void succeeded(String login) {
        jdbc.withHandle(h -> h.createUpdate("DELETE FROM login_failure WHERE key = :account")
                .bind("account", accountKey(login)).execute());
    }

    private static String accountKey(String login) {
        return "account:" + login.toLowerCase(Locale.ROOT);
    }

    private static String ipKey(String ip) {
        return "ip:" + ip;
    }
}
