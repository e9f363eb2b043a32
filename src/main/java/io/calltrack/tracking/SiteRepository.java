package io.calltrack.tracking;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.calltrack.platform.db.Jdbc;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.statement.SqlStatement;

/**
 * Sites in PostgreSQL. Input is validated by the caller; this class only stores and loads.
 * Lookups by public key (every visitor request) are remembered for {@link #KEY_LOOKUP_TTL}: a change made here is
 * seen at once, a change made by another server process (or by SQL) within that time.
 */
public final class SiteRepository {
    static final Duration KEY_LOOKUP_TTL = Duration.ofSeconds(2);

    private static final String COLUMNS = "id, name, public_key, time_zone, target_threshold_seconds, "
            + "repeat_window_days, session_hold_seconds, fallback_number, allowed_origins, trackid_on_unattributed, "
            + "closed_hours_destination";

    private final Jdbc jdbc;
    private final Cache<String, Site> byPublicKey = Caffeine.newBuilder()
            .expireAfterWrite(KEY_LOOKUP_TTL).maximumSize(10_000).build();

    public SiteRepository(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    /** What a client may set on a site; the id and public key are the server's. */
    public record SiteData(String name, String timeZone, int targetThresholdSeconds, int repeatWindowDays,
                           int sessionHoldSeconds, String fallbackNumber, List<String> allowedOrigins,
                           boolean trackIdOnUnattributed, Optional<String> closedHoursDestination) {}

    public Site create(SiteData d, String publicKey) {
        return jdbc.withHandle(h -> bind(h.createQuery("""
                        INSERT INTO site (name, time_zone, target_threshold_seconds, repeat_window_days,
                                          session_hold_seconds, fallback_number, allowed_origins,
                                          trackid_on_unattributed, closed_hours_destination, public_key)
                        VALUES (:name, :timeZone, :targetThresholdSeconds, :repeatWindowDays, :sessionHoldSeconds,
                                :fallbackNumber, :allowedOrigins, :trackIdOnUnattributed, :closedHoursDestination,
                                :publicKey)
                        RETURNING\s""" + COLUMNS), d)
                .bind("publicKey", publicKey)
                .map((rs, ctx) -> map(rs)).one());
    }

    public Optional<Site> update(long id, SiteData d) {
        Optional<Site> updated = jdbc.withHandle(h -> bind(h.createQuery("""
                        UPDATE site SET name = :name, time_zone = :timeZone,
                               target_threshold_seconds = :targetThresholdSeconds,
                               repeat_window_days = :repeatWindowDays, session_hold_seconds = :sessionHoldSeconds,
                               fallback_number = :fallbackNumber, allowed_origins = :allowedOrigins,
                               trackid_on_unattributed = :trackIdOnUnattributed,
                               closed_hours_destination = :closedHoursDestination
                         WHERE id = :id
                        RETURNING\s""" + COLUMNS), d)
                .bind("id", id)
                .map((rs, ctx) -> map(rs)).findOne());
        byPublicKey.invalidateAll(); // after the change: sites change rarely, and any may be cached
        return updated;
    }

    public Optional<Site> find(long id) {
        return jdbc.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM site WHERE id = :id")
                .bind("id", id).map((rs, ctx) -> map(rs)).findOne());
    }

    /** Unknown keys are not remembered: a site created on another server is found at once. */
    public Optional<Site> findByPublicKey(String key) {
        Site known = byPublicKey.getIfPresent(key);
        if (known != null) return Optional.of(known);
        Optional<Site> found = jdbc.withHandle(h -> h.createQuery(
                        "SELECT " + COLUMNS + " FROM site WHERE public_key = :key")
                .bind("key", key).map((rs, ctx) -> map(rs)).findOne());
        found.ifPresent(site -> byPublicKey.put(key, site));
        return found;
    }

    /**
     * The one site whose fallback number is {@code e164} (visitors see it when the pool is exhausted, so a call to it
     * belongs to that site); empty when none or several sites share it (which one cannot be told).
     */
    public Optional<Site> byFallbackNumber(String e164) {
        List<Site> found = jdbc.withHandle(h -> h.createQuery(
                        "SELECT " + COLUMNS + " FROM site WHERE fallback_number = :e164 LIMIT 2")
                .bind("e164", e164).map((rs, ctx) -> map(rs)).list());
        return found.size() == 1 ? Optional.of(found.get(0)) : Optional.empty();
    }

    public List<Site> all() {
        return jdbc.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM site ORDER BY id")
                .map((rs, ctx) -> map(rs)).list());
    }

    public boolean delete(long id) {
        boolean deleted = jdbc.withHandle(h -> h.createUpdate("DELETE FROM site WHERE id = :id").bind("id", id)
                .execute() == 1);
        byPublicKey.invalidateAll();
        return deleted;
    }

    private static <S extends SqlStatement<S>> S bind(S statement, SiteData d) {
        return statement.bind("name", d.name())
                .bind("timeZone", d.timeZone())
                .bind("targetThresholdSeconds", d.targetThresholdSeconds())
                .bind("repeatWindowDays", d.repeatWindowDays())
                .bind("sessionHoldSeconds", d.sessionHoldSeconds())
                .bind("fallbackNumber", d.fallbackNumber())
                .bindArray("allowedOrigins", String.class, d.allowedOrigins())
                .bind("trackIdOnUnattributed", d.trackIdOnUnattributed())
                .bind("closedHoursDestination", d.closedHoursDestination().orElse(null));
    }

    static Site map(ResultSet rs) throws SQLException {
        return new Site(rs.getLong("id"), rs.getString("name"), rs.getString("public_key"), rs.getString("time_zone"),
                rs.getInt("target_threshold_seconds"), rs.getInt("repeat_window_days"),
                rs.getInt("session_hold_seconds"), rs.getString("fallback_number"),
                List.copyOf(Arrays.asList((String[]) rs.getArray("allowed_origins").getArray())),
                rs.getBoolean("trackid_on_unattributed"), Rows.string(rs, "closed_hours_destination"));
    }
}
