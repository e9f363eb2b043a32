package io.calltrack.access;

import io.calltrack.platform.db.Jdbc;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Handle;

/**
 * The only owner of {@code app_user}, {@code user_grant} and {@code api_token}. Whatever must end a user's browser
 * sessions (a new password, disabling) bumps their {@code session_generation}, which every session lookup checks.
 */
public final class AccountStore {
    /** A token's last use is written at most this often: a busy script must not turn every read into a write. */
    private static final Duration LAST_USED_GRANULARITY = Duration.ofMinutes(1);
    private static final String USER_COLUMNS =
            "id, login, role, disabled_at, created_at, password_changed_at";

    private final Jdbc jdbc;
    private final ApiTokens tokens;

    public AccountStore(Jdbc jdbc, ApiTokens tokens) {
        this.jdbc = jdbc;
        this.tokens = tokens;
    }

    /** What a login needs: the user, their hash (empty: no password set) and whether they are disabled. */
    public record LoginRow(long userId, String login, UserRole role, Optional<String> passwordHash,
                           boolean disabled) {}

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

    /**
     * The first owner, only while there is no user at all; empty when there is one (also when another instance
     * starting on the same database created it a moment earlier).
     */
    public Optional<Long> createFirstOwner(String login, String passwordHash, Instant now) {
        return jdbc.inHandleTransaction(h -> {
            h.execute("LOCK TABLE app_user IN SHARE ROW EXCLUSIVE MODE"); // two instances starting at once
            return h.createUpdate("""
                            INSERT INTO app_user (login, password_hash, role, created_at, password_changed_at)
                            SELECT :login, :hash, 'owner', :now, :now WHERE NOT EXISTS (SELECT 1 FROM app_user)""")
                    .bind("login", login).bind("hash", passwordHash).bind("now", Timestamp.from(now))
                    .executeAndReturnGeneratedKeys("id").mapTo(Long.class).findOne();
        });
    }

    public boolean anyUser() {
        return jdbc.withHandle(h -> h.createQuery("SELECT EXISTS (SELECT 1 FROM app_user)").mapTo(Boolean.class).one());
    }

    /** The user of a login (case ignored), disabled or not. */
    public Optional<LoginRow> forLogin(String login) {
        return jdbc.withHandle(h -> h.createQuery("""
                        SELECT id, login, role, password_hash, disabled_at IS NOT NULL
                          FROM app_user WHERE lower(login) = lower(:login)""")
                .bind("login", login)
                .map((rs, ctx) -> new LoginRow(rs.getLong(1), rs.getString(2), UserRole.fromDb(rs.getString(3)),
                        Optional.ofNullable(rs.getString(4)), rs.getBoolean(5)))
                .findOne());
    }

    /** The password hash of a user (empty: none set or no such user). */
    public Optional<String> passwordHash(long userId) {
        return jdbc.withHandle(h -> h.createQuery("SELECT password_hash FROM app_user WHERE id = :id")
                .bind("id", userId).mapTo(String.class).findOne().flatMap(Optional::ofNullable));
    }

    /** A new password: every session of the user ends (on every instance, at their next request). */
    public boolean setPassword(long userId, String passwordHash, Instant now) {
        return jdbc.withHandle(h -> h.createUpdate("""
                        UPDATE app_user SET password_hash = :hash, password_changed_at = :now,
                                            session_generation = session_generation + 1
                         WHERE id = :id""")
                .bind("id", userId).bind("hash", passwordHash).bind("now", Timestamp.from(now)).execute() == 1);
    }

    /** The same password hashed again with today's parameters; sessions go on. */
    public void rehash(long userId, String passwordHash) {
        jdbc.withHandle(h -> h.createUpdate("UPDATE app_user SET password_hash = :hash WHERE id = :id")
                .bind("id", userId).bind("hash", passwordHash).execute());
    }

    /** Disables (every session ends, every token stops working) or enables a user. */
    public boolean setDisabled(long userId, boolean disabled, Instant now) {
        return jdbc.withHandle(h -> h.createUpdate("""
                        UPDATE app_user SET disabled_at = CASE WHEN :disabled THEN coalesce(disabled_at, :now) END,
                                            session_generation = session_generation + CASE WHEN :disabled THEN 1 ELSE 0 END
                         WHERE id = :id""")
                .bind("id", userId).bind("disabled", disabled).bind("now", Timestamp.from(now)).execute() == 1);
    }

    public boolean setRole(long userId, UserRole role) {
        return jdbc.withHandle(h -> h.createUpdate("UPDATE app_user SET role = :role WHERE id = :id")
                .bind("id", userId).bind("role", role.dbValue()).execute() == 1);
    }

    /** Owners who can still act (not disabled), for "the last owner cannot be demoted or disabled". */
    public long activeOwners() {
        return jdbc.withHandle(h -> h.createQuery(
                        "SELECT count(*) FROM app_user WHERE role = 'owner' AND disabled_at IS NULL")
                .mapTo(Long.class).one());
    }

    public List<User> users() {
        return jdbc.withHandle(h -> {
            List<User> bare = h.createQuery("SELECT " + USER_COLUMNS + " FROM app_user ORDER BY id")
                    .map((rs, ctx) -> user(rs, List.of())).list();
            Map<Long, List<Grant>> grants = new HashMap<>();
            h.createQuery("SELECT user_id, site_id, role, recordings FROM user_grant ORDER BY user_id, site_id")
                    .map((rs, ctx) -> Map.entry(rs.getLong(1), grant(rs, 2)))
                    .forEach(e -> grants.computeIfAbsent(e.getKey(), k -> new java.util.ArrayList<>()).add(e.getValue()));
            return bare.stream().map(u -> withGrants(u, grants.getOrDefault(u.id(), List.of()))).toList();
        });
    }

    public Optional<User> user(long id) {
        return jdbc.withHandle(h -> h.createQuery("SELECT " + USER_COLUMNS + " FROM app_user WHERE id = :id")
                .bind("id", id).map((rs, ctx) -> user(rs, List.of())).findOne()
                .map(u -> withGrants(u, grants(h, id).values().stream()
                        .sorted(java.util.Comparator.comparingLong(Grant::siteId)).toList())));
    }

    /** Gives a member a site (or changes their role there). */
    public void grant(long userId, Grant grant) {
        jdbc.withHandle(h -> insertGrant(h, userId, grant));
    }

    /** The member's sites become exactly {@code grants}. */
    public void replaceGrants(long userId, Collection<Grant> grants) {
        jdbc.inHandleTransaction(h -> {
            h.createUpdate("DELETE FROM user_grant WHERE user_id = :user").bind("user", userId).execute();
            for (Grant g : grants) insertGrant(h, userId, g);
            return null;
        });
    }

    private static int insertGrant(Handle h, long userId, Grant grant) {
        return h.createUpdate("""
                        INSERT INTO user_grant (user_id, site_id, role, recordings)
                        VALUES (:user, :site, :role, :recordings)
                        ON CONFLICT (user_id, site_id) DO UPDATE SET role = excluded.role,
                                                                     recordings = excluded.recordings""")
                .bind("user", userId).bind("site", grant.siteId()).bind("role", grant.role().dbValue())
                .bind("recordings", grant.recordings()).execute();
    }

    /** A new API token for the user, as wide as the user or narrower; the token is in the answer only. */
    public IssuedToken issueToken(long userId, String name, Optional<Set<Long>> onlySites, boolean readOnly,
                                  Instant now) {
        String token = tokens.generate();
        long id = jdbc.withHandle(h -> h.createUpdate("""
                        INSERT INTO api_token (user_id, name, token_sha256, only_sites, read_only, created_at)
                        VALUES (:user, :name, :hash, :sites, :readOnly, :now)""")
                .bind("user", userId).bind("name", name).bind("hash", ApiTokens.sha256(token))
                .bind("sites", onlySites.map(s -> s.stream().sorted().toArray(Long[]::new)).orElse(null))
                .bind("readOnly", readOnly).bind("now", Timestamp.from(now))
                .executeAndReturnGeneratedKeys("id").mapTo(Long.class).one());
        return new IssuedToken(id, token);
    }

    /** Tokens of one user, or of everyone when {@code ofUser} is empty; revoked ones included, newest first. */
    public List<TokenInfo> tokens(Optional<Long> ofUser) {
        return jdbc.withHandle(h -> h.createQuery(TOKEN_QUERY + " WHERE :user::bigint IS NULL OR t.user_id = :user"
                        + " ORDER BY t.id DESC")
                .bind("user", ofUser.orElse(null)).map((rs, ctx) -> tokenInfo(rs)).list());
    }

    public Optional<TokenInfo> token(long id) {
        return jdbc.withHandle(h -> h.createQuery(TOKEN_QUERY + " WHERE t.id = :id")
                .bind("id", id).map((rs, ctx) -> tokenInfo(rs)).findOne());
    }

    private static final String TOKEN_QUERY = """
            SELECT t.id, t.user_id, u.login, t.name, t.only_sites, t.read_only, t.created_at, t.last_used_at,
                   t.revoked_at
              FROM api_token t JOIN app_user u ON u.id = t.user_id""";

    private static TokenInfo tokenInfo(ResultSet rs) throws SQLException {
        return new TokenInfo(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getString(4), sites(rs, 5),
                rs.getBoolean(6), rs.getTimestamp(7).toInstant(), instant(rs, 8), instant(rs, 9));
    }

    /** Revokes a live token; false when it was revoked already or does not exist. */
    public boolean revokeToken(long id, Instant now) {
        return jdbc.withHandle(h -> h.createUpdate(
                        "UPDATE api_token SET revoked_at = :now WHERE id = :id AND revoked_at IS NULL")
                .bind("id", id).bind("now", Timestamp.from(now)).execute() == 1);
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
                            sites(rs, 4), rs.getBoolean(5)))
                    .findOne();
            return row.map(r -> new Principal(r.userId, r.login, r.role, grants(h, r.userId), Principal.Via.API_TOKEN,
                    r.onlySites, r.readOnly));
        });
    }

    /** A user's grants by site id. */
    public Map<Long, Grant> grants(long userId) {
        return jdbc.withHandle(h -> grants(h, userId));
    }

    private static Map<Long, Grant> grants(Handle h, long userId) {
        List<Grant> all = h.createQuery("SELECT site_id, role, recordings FROM user_grant WHERE user_id = :user")
                .bind("user", userId)
                .map((rs, ctx) -> grant(rs, 1))
                .list();
        return all.stream().collect(Collectors.toMap(Grant::siteId, g -> g, (a, b) -> a, HashMap::new));
    }

    private static Grant grant(ResultSet rs, int first) throws SQLException {
        return new Grant(rs.getLong(first), SiteRole.fromDb(rs.getString(first + 1)), rs.getBoolean(first + 2));
    }

    private static User user(ResultSet rs, List<Grant> grants) throws SQLException {
        return new User(rs.getLong("id"), rs.getString("login"), UserRole.fromDb(rs.getString("role")),
                rs.getTimestamp("disabled_at") != null, rs.getTimestamp("created_at").toInstant(),
                instant(rs, rs.findColumn("password_changed_at")), grants);
    }

    private static User withGrants(User u, List<Grant> grants) {
        return new User(u.id(), u.login(), u.role(), u.disabled(), u.createdAt(), u.passwordChangedAt(), grants);
    }

    private static Optional<Instant> instant(ResultSet rs, int column) throws SQLException {
        Timestamp t = rs.getTimestamp(column);
        return t == null ? Optional.empty() : Optional.of(t.toInstant());
    }

    private static Optional<Set<Long>> sites(ResultSet rs, int column) throws SQLException {
        java.sql.Array a = rs.getArray(column);
        return a == null ? Optional.empty() : Optional.of(Set.of((Long[]) a.getArray()));
    }

    private record TokenRow(long userId, String login, UserRole role, Optional<Set<Long>> onlySites,
                            boolean readOnly) {}
}
