package io.calltrack.tracking;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.calltrack.platform.db.Jdbc;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

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

    /** The site columns {@link #map} reads, qualified by {@code alias} for queries that join other tables. */
    static String columns(String alias) {
        return Arrays.stream(COLUMNS.split(", ")).map(c -> alias + "." + c)
                .collect(Collectors.joining(", "));
    }

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
        return jdbc.withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO site (name, time_zone, target_threshold_seconds, "
                    + "repeat_window_days, session_hold_seconds, fallback_number, allowed_origins, "
                    + "trackid_on_unattributed, closed_hours_destination, public_key) VALUES (?,?,?,?,?,?,?,?,?,?) "
                    + "RETURNING " + COLUMNS)) {
                bind(ps, d, c);
                ps.setString(10, publicKey);
                return one(ps).orElseThrow();
            }
        });
    }

    public Optional<Site> update(long id, SiteData d) {
        return jdbc.withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE site SET name=?, time_zone=?, "
                    + "target_threshold_seconds=?, repeat_window_days=?, session_hold_seconds=?, fallback_number=?, "
                    + "allowed_origins=?, trackid_on_unattributed=?, closed_hours_destination=? WHERE id=? "
                    + "RETURNING " + COLUMNS)) {
                bind(ps, d, c);
                ps.setLong(10, id);
                Optional<Site> updated = one(ps);
                byPublicKey.invalidateAll(); // after the change: sites change rarely, and any may be cached
                return updated;
            }
        });
    }

    public Optional<Site> find(long id) {
        return query("WHERE id = ?", id);
    }

    /** Unknown keys are not remembered: a site created on another server is found at once. */
    public Optional<Site> findByPublicKey(String key) {
        Site known = byPublicKey.getIfPresent(key);
        if (known != null) return Optional.of(known);
        Optional<Site> found = query("WHERE public_key = ?", key);
        found.ifPresent(site -> byPublicKey.put(key, site));
        return found;
    }

    public List<Site> all() {
        return jdbc.withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM site ORDER BY id");
                 ResultSet rs = ps.executeQuery()) {
                List<Site> out = new ArrayList<>();
                while (rs.next()) out.add(map(rs));
                return out;
            }
        });
    }

    public boolean delete(long id) {
        return jdbc.withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM site WHERE id = ?")) {
                ps.setLong(1, id);
                boolean deleted = ps.executeUpdate() == 1;
                byPublicKey.invalidateAll();
                return deleted;
            }
        });
    }

    private Optional<Site> query(String where, Object param) {
        return jdbc.withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM site " + where)) {
                ps.setObject(1, param);
                return one(ps);
            }
        });
    }

    private static void bind(PreparedStatement ps, SiteData d, java.sql.Connection c) throws SQLException {
        ps.setString(1, d.name());
        ps.setString(2, d.timeZone());
        ps.setInt(3, d.targetThresholdSeconds());
        ps.setInt(4, d.repeatWindowDays());
        ps.setInt(5, d.sessionHoldSeconds());
        ps.setString(6, d.fallbackNumber());
        ps.setArray(7, c.createArrayOf("text", d.allowedOrigins().toArray()));
        ps.setBoolean(8, d.trackIdOnUnattributed());
        Rows.setString(ps, 9, d.closedHoursDestination());
    }

    private static Optional<Site> one(PreparedStatement ps) throws SQLException {
        try (ResultSet rs = ps.executeQuery()) {
            return rs.next() ? Optional.of(map(rs)) : Optional.empty();
        }
    }

    static Site map(ResultSet rs) throws SQLException {
        return new Site(rs.getLong("id"), rs.getString("name"), rs.getString("public_key"), rs.getString("time_zone"),
                rs.getInt("target_threshold_seconds"), rs.getInt("repeat_window_days"),
                rs.getInt("session_hold_seconds"), rs.getString("fallback_number"),
                List.copyOf(Arrays.asList((String[]) rs.getArray("allowed_origins").getArray())),
                rs.getBoolean("trackid_on_unattributed"), Rows.string(rs, "closed_hours_destination"));
    }
}
