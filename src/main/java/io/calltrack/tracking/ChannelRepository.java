package io.calltrack.tracking;

import io.calltrack.platform.db.Jdbc;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.SqlStatement;

/** A site's channels in PostgreSQL. */
public final class ChannelRepository {
    private static final String COLUMNS =
            "id, site_id, name, tracking, utm_source, utm_medium, utm_campaign, referrer_host, priority";

    private final Jdbc jdbc;
    private final SiteRows<Channel> rows;

    public ChannelRepository(Jdbc jdbc) {
        this.jdbc = jdbc;
        this.rows = new SiteRows<>(jdbc, (rs, ctx) -> map(rs));
    }

    public record ChannelData(String name, Channel.Tracking tracking, Optional<String> utmSource,
                              Optional<String> utmMedium, Optional<String> utmCampaign,
                              Optional<String> referrerHost, int priority) {}

    public Channel create(long siteId, ChannelData d) {
        return jdbc.withHandle(h -> bind(h.createQuery("""
                        INSERT INTO channel (site_id, name, tracking, utm_source, utm_medium, utm_campaign,
                                             referrer_host, priority)
                        VALUES (:siteId, :name, :tracking, :utmSource, :utmMedium, :utmCampaign, :referrerHost,
                                :priority)
                        RETURNING\s""" + COLUMNS), d)
                .bind("siteId", siteId)
                .map((rs, ctx) -> map(rs)).one());
    }

    public Optional<Channel> update(long siteId, long id, ChannelData d) {
        return rows.one("""
                        UPDATE channel SET name = :name, tracking = :tracking, utm_source = :utmSource,
                               utm_medium = :utmMedium, utm_campaign = :utmCampaign, referrer_host = :referrerHost,
                               priority = :priority
                         WHERE site_id = :siteId AND id = :id
                        RETURNING\s""" + COLUMNS, siteId, id, q -> bind(q, d));
    }

    public Optional<Channel> find(long siteId, long id) {
        return rows.one("SELECT " + COLUMNS + " FROM channel WHERE site_id = :siteId AND id = :id", siteId, id);
    }

    /** The site's channels in matching order: lower priority first, then oldest. */
    public List<Channel> ofSite(long siteId) {
        return jdbc.withHandle(h -> ofSite(h, siteId));
    }

    /** The site's channels in recognition order, on the caller's handle (inside its transaction). */
    static List<Channel> ofSite(Handle h, long siteId) {
        return h.createQuery("SELECT " + COLUMNS + " FROM channel WHERE site_id = :siteId ORDER BY priority, id")
                .bind("siteId", siteId)
                .map((rs, ctx) -> map(rs)).list();
    }

    public boolean delete(long siteId, long id) {
        return rows.delete("DELETE FROM channel WHERE site_id = :siteId AND id = :id", siteId, id);
    }

    private static <S extends SqlStatement<S>> S bind(S statement, ChannelData d) {
        return statement.bind("name", d.name())
                .bind("tracking", d.tracking().name().toLowerCase(Locale.ROOT))
                .bind("utmSource", d.utmSource().orElse(null))
                .bind("utmMedium", d.utmMedium().orElse(null))
                .bind("utmCampaign", d.utmCampaign().orElse(null))
                .bind("referrerHost", d.referrerHost().orElse(null))
                .bind("priority", d.priority());
    }

    private static Channel map(ResultSet rs) throws SQLException {
        return new Channel(rs.getLong("id"), rs.getLong("site_id"), rs.getString("name"),
                Channel.Tracking.valueOf(rs.getString("tracking").toUpperCase(Locale.ROOT)),
                Rows.string(rs, "utm_source"), Rows.string(rs, "utm_medium"), Rows.string(rs, "utm_campaign"),
                Rows.string(rs, "referrer_host"), rs.getInt("priority"));
    }
}
