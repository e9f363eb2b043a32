package io.calltrack.access;

import io.calltrack.platform.db.Jdbc;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/** The only owner of {@code app_user}, {@code user_grant} and {@code api_token}. */
public final class AccountStore {
    /** A token's last use is written at most this often: a busy script must not turn every read into a write. */
    private static final Duration LAST_USED_GRANULARITY = Duration.ofMinutes(1);

    private final Jdbc jdbc;
    private final ApiTokens tokens;

    public AccountStore(Jdbc jdbc, ApiTokens tokens) {
        this.jdbc = jdbc;
        this.tokens = tokens;
    }

    /** Creates a user; {@code passwordHash} empty: cannot log in with a password until one is set. */
    public long createUser(String login, UserRole role, Optional<String> passwordHash, Instant now) {
        return jdbc.withHandle(h -> h.createUpdate("""
                        INSERT INTO app_user (login, password_hash, role, created_at, password_changed_at)
                        VALUES (:login, :hash, :role, :now, :passwordSet)""")
                .bind("login", login).bind("hash", passwordHash.orElse(null)).bind("role", role.dbValue())
                .bind("now", Timestamp.from(now))
                .bind("passwordSet", passwordHash.isPresent() ? Timestamp.from(now) : null)
                .executeAndReturnGeneratedKeys("id").mapTo(Long.class).one());
    }

    /** Gives a member a site (or changes their role there). */
    public void grant(long userId, Grant grant) {
        jdbc.withHandle(h -> h.createUpdate("""
                        INSERT INTO user_grant (user_id, site_id, role, recordings)
                        VALUES (:user, :site, :role, :recordings)
                        ON CONFLICT (user_id, site_id) DO UPDATE SET role = excluded.role,
                                                                     recordings = excluded.recordings""")
                .bind("user", userId).bind("site", grant.siteId()).bind("role", grant.role().dbValue())
                .bind("recordings", grant.recordings()).execute());
    }

    /** A new API token for the user, as wide as the user or narrower; the token is in the answer only. */
    public IssuedToken issueToken(long userId, String name, Optional<Set<Long>> onlySites, boolean readOnly,
                                  Instant now) {
        String token = tokens.generate();
        long id = jdbc.withHandle(h -> h.createUpdate("""
                        INSERT INTO api_token (user_id, name, token_sha256, only_sites, read_only, created_at)
                        VALUES (:user, :name, :hash, :sites, :readOnly, :now)""")
                .bind("user", userId).bind("name", name).bind("hash", ApiTokens.sha256(token))
                .bind("sites", onlySites.map(s -> s.toArray(Long[]::new)).orElse(null))
                .bind("readOnly", readOnly).bind("now", Timestamp.from(now))
                .executeAndReturnGeneratedKeys("id").mapTo(Long.class).one());
        return new IssuedToken(id, token);
    }

    /** Who a token belongs to, if it is live (not revoked) and its user is not disabled; notes its use. */
    public Optional<Principal> principalForToken(String token, Instant now) {
        return jdbc.withHandle(h -> {
            Optional<TokenRow> row = h.createQuery("""
                            UPDATE api_token t SET last_used_at = CASE
                                       WHEN t.last_used_at IS NULL OR t.last_used_at < :stale THEN :now
                                       ELSE t.last_used_at END
                              FROM app_user u
                             WHERE t.token_sha256 = :hash AND t.revoked_at IS NULL
                               AND u.id = t.user_id AND u.disabled_at IS NULL
                            RETURNING u.id, u.login, u.role, t.only_sites, t.read_only""")
                    .bind("hash", ApiTokens.sha256(token)).bind("now", Timestamp.from(now))
                    .bind("stale", Timestamp.from(now.minus(LAST_USED_GRANULARITY)))
                    .map((rs, ctx) -> new TokenRow(rs.getLong(1), rs.getString(2), UserRole.fromDb(rs.getString(3)),
                            rs.getArray(4) == null ? Optional.<Set<Long>>empty()
                                    : Optional.of(Set.of((Long[]) rs.getArray(4).getArray())),
                            rs.getBoolean(5)))
                    .findOne();
            return row.map(r -> new Principal(r.userId, r.login, r.role, grants(h, r.userId), Principal.Via.API_TOKEN,
                    r.onlySites, r.readOnly));
        });
    }

    /** A user's grants by site id. */
    public Map<Long, Grant> grants(long userId) {
        return jdbc.withHandle(h -> grants(h, userId));
    }

    private static Map<Long, Grant> grants(org.jdbi.v3.core.Handle h, long userId) {
        List<Grant> all = h.createQuery("SELECT site_id, role, recordings FROM user_grant WHERE user_id = :user")
                .bind("user", userId)
                .map((rs, ctx) -> new Grant(rs.getLong(1), SiteRole.fromDb(rs.getString(2)), rs.getBoolean(3)))
                .list();
        return all.stream().collect(Collectors.toMap(Grant::siteId, g -> g, (a, b) -> a, HashMap::new));
    }

    private record TokenRow(long userId, String login, UserRole role, Optional<Set<Long>> onlySites,
                            boolean readOnly) {}
}
