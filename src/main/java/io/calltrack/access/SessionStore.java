package io.calltrack.access;

import io.calltrack.platform.db.Jdbc;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The only owner of {@code user_session}: browser sessions, looked up in the database on every request (no cache),
 * so that logging out, disabling a user or a new password ends a session at once on every instance sharing the
 * database. A session is live while its user is enabled and has not had their sessions ended since it began
 * ({@code session_generation}), within {@code idleTimeout} of its last request and {@code maxAge} of its login.
 */
public final class SessionStore {
    private final Jdbc jdbc;
    private final SessionTokens tokens;
    private final Duration idleTimeout;
    private final Duration maxAge;
    /** A session's last request is written at most this often (a tenth of the idle timeout, at most a minute). */
    private final Duration lastSeenGranularity;
    private final Clock clock;

    public SessionStore(Jdbc jdbc, SessionTokens tokens, Duration idleTimeout, Duration maxAge, Clock clock) {
        this.jdbc = jdbc;
        this.tokens = tokens;
        this.idleTimeout = idleTimeout;
        this.maxAge = maxAge;
        Duration tenth = idleTimeout.dividedBy(10);
        this.lastSeenGranularity = tenth.compareTo(Duration.ofMinutes(1)) < 0 ? tenth : Duration.ofMinutes(1);
        this.clock = clock;
    }

    /** Who a live session is: the user's id, login and role. */
    public record SessionUser(long userId, String login, UserRole role) {}

    /** A new session of the user; the answer is the cookie value, shown to the browser only. */
    public String open(long userId, String remoteAddress) {
        String token = tokens.generate();
        Instant now = clock.instant();
        jdbc.withHandle(h -> {
            // the ended ones of everybody go when somebody logs in: no job of their own needed
            h.createUpdate("DELETE FROM user_session WHERE last_seen_at < :idle OR created_at < :old")
                    .bind("idle", Timestamp.from(now.minus(idleTimeout)))
                    .bind("old", Timestamp.from(now.minus(maxAge))).execute();
            return h.createUpdate("""
                            INSERT INTO user_session (user_id, token_sha256, generation, created_at, last_seen_at,
                                                      remote_address)
                            SELECT id, :hash, session_generation, :now, :now, :remote FROM app_user WHERE id = :user""")
                    .bind("user", userId).bind("hash", ApiTokens.sha256(token)).bind("now", Timestamp.from(now))
                    .bind("remote", remoteAddress).execute();
        });
        return token;
    }

    /** The session's user while the session is live; notes the request (which keeps it from going idle). */
    public Optional<SessionUser> user(String token) {
        Instant now = clock.instant();
        return jdbc.withHandle(h -> h.createQuery("""
                        UPDATE user_session s SET last_seen_at = CASE WHEN s.last_seen_at < :stale THEN :now
                                                                      ELSE s.last_seen_at END
                          FROM app_user u
                         WHERE s.token_sha256 = :hash AND u.id = s.user_id AND u.disabled_at IS NULL
                           AND s.generation = u.session_generation
                           AND s.last_seen_at > :idle AND s.created_at > :old
                        RETURNING u.id, u.login, u.role""")
                .bind("hash", ApiTokens.sha256(token)).bind("now", Timestamp.from(now))
                .bind("stale", Timestamp.from(now.minus(lastSeenGranularity)))
                .bind("idle", Timestamp.from(now.minus(idleTimeout)))
                .bind("old", Timestamp.from(now.minus(maxAge)))
                .map((rs, ctx) -> new SessionUser(rs.getLong(1), rs.getString(2), UserRole.fromDb(rs.getString(3))))
                .findOne());
    }

    /** Logout: the session ends everywhere. */
    public void end(String token) {
        jdbc.withHandle(h -> h.createUpdate("DELETE FROM user_session WHERE token_sha256 = :hash")
                .bind("hash", ApiTokens.sha256(token)).execute());
    }

    /** How long a new session's cookie may live in the browser: its absolute age. */
    public Duration maxAge() {
        return maxAge;
    }
}
