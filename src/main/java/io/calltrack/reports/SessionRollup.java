package io.calltrack.reports;

import io.calltrack.platform.db.Jdbc;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

/**
 * Daily visit counts for closed site days, per report dimension, so reports over millions of sessions read a few
 * thousand rows. A day is closed once it ended {@link #GRACE} ago in the site's zone: sessions are stamped with
 * their start time when created, so no visit can join a closed day later. Days are materialised on first use.
 */
public final class SessionRollup {
    static final Duration GRACE = Duration.ofHours(1);

    private final Jdbc jdbc;
    private final Clock clock;

    public SessionRollup(Jdbc jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /** The last closed day of the site: days up to it come from the rollup, later days from raw sessions. */
    public LocalDate lastClosedDay(ZoneId zone) {
        return clock.instant().minus(GRACE).atZone(zone).toLocalDate().minusDays(1);
    }

    /** Makes sure every closed day in [from, to] is materialised; returns the last day the rollup covers. */
    public LocalDate ensure(long siteId, ZoneId zone, LocalDate from, LocalDate to) {
        LocalDate last = lastClosedDay(zone);
        LocalDate end = to.isAfter(last) ? last : to;
        if (!end.isBefore(from)) missingDays(siteId, from, end).forEach(day -> materialise(siteId, day));
        return end;
    }

    private List<LocalDate> missingDays(long siteId, LocalDate from, LocalDate to) {
        return jdbc.withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement("""
                    SELECT d::date FROM generate_series(CAST(? AS date), CAST(? AS date), interval '1 day') d
                     WHERE NOT EXISTS (SELECT 1 FROM session_rollup_day r WHERE r.site_id = ? AND r.day = d::date)""")) {
                ps.setObject(1, from);
                ps.setObject(2, to);
                ps.setLong(3, siteId);
                List<LocalDate> days = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) days.add(rs.getObject(1, LocalDate.class));
                }
                return days;
            }
        });
    }

    private void materialise(long siteId, LocalDate day) {
        jdbc.inTransaction(c -> {
            try (PreparedStatement claim = c.prepareStatement(
                    "INSERT INTO session_rollup_day (site_id, day) VALUES (?, ?) ON CONFLICT DO NOTHING")) {
                claim.setLong(1, siteId);
                claim.setObject(2, day);
                // Another request materialised (or is materialising) the day: its row lock makes us wait for it.
                if (claim.executeUpdate() == 0) return null;
            }
            try (PreparedStatement ps = c.prepareStatement(INSERT_DAY)) {
                ps.setObject(1, day);
                ps.setLong(2, siteId);
                ps.setLong(3, siteId);
                ps.executeUpdate();
            }
            return null;
        });
    }

    /**
     * One day's visit counts for every rollup dimension: each report dimension under either touch (a name once when
     * both touches give the same key), and the whole site ('none').
     */
    private static final String INSERT_DAY = insertDay();

    private static String insertDay() {
        List<String> names = new ArrayList<>();
        List<String> keys = new ArrayList<>();
        for (Dimension d : Dimension.values()) {
            if (d == Dimension.NONE) continue;
            for (AttributionModel m : AttributionModel.values()) {
                if (names.contains(d.rollupName(m))) continue;
                names.add(d.rollupName(m));
                keys.add(d.sessionKey(m));
            }
        }
        StringBuilder dimension = new StringBuilder("CASE");
        StringBuilder columns = new StringBuilder();
        StringBuilder sets = new StringBuilder();
        for (int i = 0; i < names.size(); i++) {
            dimension.append(" WHEN grouping(k.d").append(i).append(") = 0 THEN '").append(names.get(i)).append("'");
            columns.append(keys.get(i)).append(" AS d").append(i).append(", ");
            sets.append("(k.d").append(i).append("), ");
        }
        dimension.append(" ELSE 'none' END");
        String coalesced = String.join(", ", java.util.stream.IntStream.range(0, names.size())
                .mapToObj(i -> "k.d" + i).toList());
        return """
                INSERT INTO session_rollup (site_id, day, dimension, key, sessions)
                WITH lim AS (
                    SELECT CAST(? AS date) AS day, s.id AS site_id, s.time_zone AS tz FROM site s WHERE s.id = ?)
                SELECT lim.site_id, lim.day, g.dimension, g.key, g.sessions FROM lim, LATERAL (
                    SELECT %s AS dimension, coalesce(%s, '') AS key, count(*) AS sessions
                      FROM (SELECT %s1 AS one
                              FROM visitor_session v
                             WHERE v.site_id = ? AND NOT v.is_bot
                               AND v.started_at >= lim.day::timestamp AT TIME ZONE lim.tz
                               AND v.started_at < (lim.day + 1)::timestamp AT TIME ZONE lim.tz) k
                     GROUP BY GROUPING SETS (%s())
                    HAVING count(*) > 0
                ) g""".formatted(dimension, coalesced, columns, sets);
    }
}
