package io.calltrack.tracking;

import io.calltrack.platform.db.Jdbc;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** A site's static and pool numbers in PostgreSQL (the lease columns belong to {@link NumberLeases}). */
public final class TrackedNumberRepository {
    private static final String COLUMNS = "id, site_id, e164, kind, channel_id, trackid_entry";

    private final Jdbc jdbc;

    public TrackedNumberRepository(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    public record NumberData(String e164, TrackedNumber.Kind kind, Optional<Long> channelId, boolean trackIdEntry) {}

    public TrackedNumber create(long siteId, NumberData d) {
        return jdbc.withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO tracked_number (e164, kind, channel_id, "
                    + "trackid_entry, site_id) VALUES (?,?,?,?,?) RETURNING " + COLUMNS)) {
                bind(ps, d);
                ps.setLong(5, siteId);
                return one(ps).orElseThrow();
            }
        });
    }

    /** Stores all of them in one transaction: every number, or none (a unique violation rolls all back). */
    public List<TrackedNumber> createAll(long siteId, List<NumberData> numbers) {
        return jdbc.inTransaction(c -> {
            List<TrackedNumber> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO tracked_number (e164, kind, channel_id, "
                    + "trackid_entry, site_id) VALUES (?,?,?,?,?) RETURNING " + COLUMNS)) {
                for (NumberData d : numbers) {
                    bind(ps, d);
                    ps.setLong(5, siteId);
                    out.add(one(ps).orElseThrow());
                }
            }
            return out;
        });
    }

    public Optional<TrackedNumber> update(long siteId, long id, NumberData d) {
        return jdbc.withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE tracked_number SET e164=?, kind=?, channel_id=?, "
                    + "trackid_entry=? WHERE site_id=? AND id=? RETURNING " + COLUMNS)) {
                bind(ps, d);
                ps.setLong(5, siteId);
                ps.setLong(6, id);
                return one(ps);
            }
        });
    }

    public Optional<TrackedNumber> find(long siteId, long id) {
        return jdbc.withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT " + COLUMNS + " FROM tracked_number WHERE site_id = ? AND id = ?")) {
                ps.setLong(1, siteId);
                ps.setLong(2, id);
                return one(ps);
            }
        });
    }

    public Optional<TrackedNumber> findByE164(String e164) {
        return jdbc.withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM tracked_number WHERE e164 = ?")) {
                ps.setString(1, e164);
                return one(ps);
            }
        });
    }

    public List<TrackedNumber> ofSite(long siteId) {
        return jdbc.withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT " + COLUMNS + " FROM tracked_number WHERE site_id = ? ORDER BY id")) {
                ps.setLong(1, siteId);
                try (ResultSet rs = ps.executeQuery()) {
                    List<TrackedNumber> out = new ArrayList<>();
                    while (rs.next()) out.add(map(rs));
                    return out;
                }
            }
        });
    }

    public boolean delete(long siteId, long id) {
        return jdbc.withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM tracked_number WHERE site_id = ? AND id = ?")) {
                ps.setLong(1, siteId);
                ps.setLong(2, id);
                return ps.executeUpdate() == 1;
            }
        });
    }

    private static void bind(PreparedStatement ps, NumberData d) throws SQLException {
        ps.setString(1, d.e164());
        ps.setString(2, d.kind().name().toLowerCase(Locale.ROOT));
        Rows.setId(ps, 3, d.channelId());
        ps.setBoolean(4, d.trackIdEntry());
    }

    private static Optional<TrackedNumber> one(PreparedStatement ps) throws SQLException {
        try (ResultSet rs = ps.executeQuery()) {
            return rs.next() ? Optional.of(map(rs)) : Optional.empty();
        }
    }

    private static TrackedNumber map(ResultSet rs) throws SQLException {
        return new TrackedNumber(rs.getLong("id"), rs.getLong("site_id"), rs.getString("e164"),
                TrackedNumber.Kind.valueOf(rs.getString("kind").toUpperCase(Locale.ROOT)), Rows.id(rs, "channel_id"),
                rs.getBoolean("trackid_entry"));
    }
}
