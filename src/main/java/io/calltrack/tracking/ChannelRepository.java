package io.calltrack.tracking;

import io.calltrack.platform.db.Jdbc;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** A site's channels in PostgreSQL. */
public final class ChannelRepository {
    private static final String COLUMNS =
            "id, site_id, name, tracking, utm_source, utm_medium, utm_campaign, referrer_host, priority";

    private final Jdbc jdbc;

    public ChannelRepository(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    public record ChannelData(String name, Channel.Tracking tracking, Optional<String> utmSource,
                              Optional<String> utmMedium, Optional<String> utmCampaign,
                              Optional<String> referrerHost, int priority) {}

    public Channel create(long siteId, ChannelData d) {
        return jdbc.withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO channel (name, tracking, utm_source, "
                    + "utm_medium, utm_campaign, referrer_host, priority, site_id) VALUES (?,?,?,?,?,?,?,?) "
                    + "RETURNING " + COLUMNS)) {
                bind(ps, d);
                ps.setLong(8, siteId);
                return one(ps).orElseThrow();
            }
        });
    }

    public Optional<Channel> update(long siteId, long id, ChannelData d) {
        return jdbc.withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE channel SET name=?, tracking=?, utm_source=?, "
                    + "utm_medium=?, utm_campaign=?, referrer_host=?, priority=? WHERE site_id=? AND id=? "
                    + "RETURNING " + COLUMNS)) {
                bind(ps, d);
                ps.setLong(8, siteId);
                ps.setLong(9, id);
                return one(ps);
            }
        });
    }

    public Optional<Channel> find(long siteId, long id) {
        return jdbc.withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT " + COLUMNS + " FROM channel WHERE site_id = ? AND id = ?")) {
                ps.setLong(1, siteId);
                ps.setLong(2, id);
                return one(ps);
            }
        });
    }

    /** The site's channels in matching order: lower priority first, then oldest. */
    public List<Channel> ofSite(long siteId) {
        return jdbc.withConnection(c -> ofSite(c, siteId));
    }

    /** The site's channels in recognition order, on the caller's connection (inside its transaction). */
    static List<Channel> ofSite(Connection c, long siteId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT " + COLUMNS + " FROM channel WHERE site_id = ? ORDER BY priority, id")) {
            ps.setLong(1, siteId);
            try (ResultSet rs = ps.executeQuery()) {
                List<Channel> out = new ArrayList<>();
                while (rs.next()) out.add(map(rs));
                return out;
            }
        }
    }

    public boolean delete(long siteId, long id) {
        return jdbc.withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM channel WHERE site_id = ? AND id = ?")) {
                ps.setLong(1, siteId);
                ps.setLong(2, id);
                return ps.executeUpdate() == 1;
            }
        });
    }

    private static void bind(PreparedStatement ps, ChannelData d) throws SQLException {
        ps.setString(1, d.name());
        ps.setString(2, d.tracking().name().toLowerCase(Locale.ROOT));
        Rows.setString(ps, 3, d.utmSource());
        Rows.setString(ps, 4, d.utmMedium());
        Rows.setString(ps, 5, d.utmCampaign());
        Rows.setString(ps, 6, d.referrerHost());
        ps.setInt(7, d.priority());
    }

    private static Optional<Channel> one(PreparedStatement ps) throws SQLException {
        try (ResultSet rs = ps.executeQuery()) {
            return rs.next() ? Optional.of(map(rs)) : Optional.empty();
        }
    }

    private static Channel map(ResultSet rs) throws SQLException {
        return new Channel(rs.getLong("id"), rs.getLong("site_id"), rs.getString("name"),
                Channel.Tracking.valueOf(rs.getString("tracking").toUpperCase(Locale.ROOT)),
                Rows.string(rs, "utm_source"), Rows.string(rs, "utm_medium"), Rows.string(rs, "utm_campaign"),
                Rows.string(rs, "referrer_host"), rs.getInt("priority"));
    }
}
