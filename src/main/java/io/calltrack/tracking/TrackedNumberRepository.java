package io.calltrack.tracking;

import io.calltrack.platform.db.Jdbc;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.jdbi.v3.core.statement.SqlStatement;

/** A site's static and pool numbers in PostgreSQL (the lease columns belong to {@link NumberLeases}). */
public final class TrackedNumberRepository {
    private static final String COLUMNS = "id, site_id, e164, kind, channel_id, trackid_entry";

    private final Jdbc jdbc;
    private final SiteRows<TrackedNumber> rows;

    public TrackedNumberRepository(Jdbc jdbc) {
        this.jdbc = jdbc;
        this.rows = new SiteRows<>(jdbc, (rs, ctx) -> map(rs));
    }

    public record NumberData(String e164, TrackedNumber.Kind kind, Optional<Long> channelId, boolean trackIdEntry) {}

    public TrackedNumber create(long siteId, NumberData d) {
        return jdbc.withHandle(h -> insert(h, siteId, d));
    }

    /** Stores all of them in one transaction: every number, or none (a unique violation rolls all back). */
    public List<TrackedNumber> createAll(long siteId, List<NumberData> numbers) {
        return jdbc.inHandleTransaction(h -> numbers.stream().map(d -> insert(h, siteId, d)).toList());
    }

    private static TrackedNumber insert(org.jdbi.v3.core.Handle h, long siteId, NumberData d) {
        return bind(h.createQuery("""
                        INSERT INTO tracked_number (site_id, e164, kind, channel_id, trackid_entry)
                        VALUES (:siteId, :e164, :kind, :channelId, :trackIdEntry)
                        RETURNING\s""" + COLUMNS), d)
                .bind("siteId", siteId)
                .map((rs, ctx) -> map(rs)).one();
    }

    public Optional<TrackedNumber> update(long siteId, long id, NumberData d) {
        return rows.one("""
                        UPDATE tracked_number SET e164 = :e164, kind = :kind, channel_id = :channelId,
                               trackid_entry = :trackIdEntry
                         WHERE site_id = :siteId AND id = :id
                        RETURNING\s""" + COLUMNS, siteId, id, q -> bind(q, d));
    }

    public Optional<TrackedNumber> find(long siteId, long id) {
        return rows.one("SELECT " + COLUMNS + " FROM tracked_number WHERE site_id = :siteId AND id = :id", siteId, id);
    }

    public Optional<TrackedNumber> findByE164(String e164) {
        return jdbc.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM tracked_number WHERE e164 = :e164")
                .bind("e164", e164)
                .map((rs, ctx) -> map(rs)).findOne());
    }

    public List<TrackedNumber> ofSite(long siteId) {
        return rows.ofSite("SELECT " + COLUMNS + " FROM tracked_number WHERE site_id = :siteId ORDER BY id", siteId);
    }

    public boolean delete(long siteId, long id) {
        return rows.delete("DELETE FROM tracked_number WHERE site_id = :siteId AND id = :id", siteId, id);
    }

    private static <S extends SqlStatement<S>> S bind(S statement, NumberData d) {
        return statement.bind("e164", d.e164())
                .bind("kind", d.kind().name().toLowerCase(Locale.ROOT))
                .bind("channelId", d.channelId().orElse(null))
                .bind("trackIdEntry", d.trackIdEntry());
    }

    private static TrackedNumber map(ResultSet rs) throws SQLException {
        return new TrackedNumber(rs.getLong("id"), rs.getLong("site_id"), rs.getString("e164"),
                TrackedNumber.Kind.valueOf(rs.getString("kind").toUpperCase(Locale.ROOT)), Rows.id(rs, "channel_id"),
                rs.getBoolean("trackid_entry"));
    }
}
