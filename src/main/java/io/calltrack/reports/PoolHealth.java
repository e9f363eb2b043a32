package io.calltrack.reports;

import io.calltrack.platform.db.Jdbc;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.time.ZoneId;

/**
 * How well a site's dynamic pool fits its traffic over site days {@code from}..{@code to}: the pool size, the peak
 * of visits wanting a pool number at once (sessions from start to last heartbeat that got a pool number or none),
 * the peak of numbers leased at once, the minutes all numbers were leased, and what that cost: visits left
 * without a number and calls that could not be attributed, or only ambiguously.
 * Each day is swept on its own (sessions by start day, leases clipped to the day) and closed days are kept in
 * pool_health_day, so a month costs 31 small reads; the range's peak is the highest daily peak.
 */
public final class PoolHealth {
    public record Report(LocalDate from, LocalDate to, long poolSize, long peakConcurrentSessions,
                         long peakLeasedNumbers, double minutesAtExhaustion, long dynamicSessions,
                         long sessionsWithoutNumber, long unattributedCalls, long ambiguousCalls) {}

    /** One day's sweep over [lo, hi). */
    private record Day(long peakSessions, long peakLeases, double exhaustedSeconds, long dynamicSessions,
                       long noNumber) {}

    private static final String DAY_SQL = """
            WITH lim AS (SELECT CAST(? AS timestamptz) AS lo, CAST(? AS timestamptz) AS hi),
            pool AS (SELECT id FROM tracked_number WHERE site_id = ? AND kind = 'pool'),
            dyn AS (
                SELECT v.started_at AS s, greatest(coalesce(v.ended_at, v.last_seen_at), v.started_at) AS e, v.no_number
                  FROM visitor_session v
                 WHERE v.site_id = ? AND v.started_at >= ? AND v.started_at < ? AND NOT v.is_bot
                   AND (v.no_number OR v.number_id IN (SELECT id FROM pool))),
            sess_level AS (
                SELECT sum(d) OVER (ORDER BY t, d ROWS UNBOUNDED PRECEDING) AS level
                  FROM (SELECT s AS t, 1 AS d FROM dyn UNION ALL SELECT e, -1 FROM dyn) ev),
            leases AS (
                SELECT greatest(l.leased_at, lim.lo) AS s, least(l.held_until, lim.hi) AS e
                  FROM number_lease l, lim
                 WHERE l.number_id IN (SELECT id FROM pool) AND l.leased_at < lim.hi AND l.held_until > lim.lo),
            lease_level AS (
                SELECT t, sum(d) OVER w AS level, lead(t) OVER w AS next_t
                  FROM (SELECT s AS t, 1 AS d FROM leases UNION ALL SELECT e, -1 FROM leases) ev
                WINDOW w AS (ORDER BY t, d ROWS UNBOUNDED PRECEDING))
            SELECT coalesce((SELECT max(level) FROM sess_level), 0) AS peak_sessions,
                   coalesce((SELECT max(level) FROM lease_level), 0) AS peak_leases,
                   coalesce((SELECT sum(extract(epoch FROM next_t - t)) FROM lease_level
                              WHERE level >= (SELECT count(*) FROM pool) AND (SELECT count(*) FROM pool) > 0), 0)
                       AS exhausted_seconds,
                   (SELECT count(*) FROM dyn) AS dynamic_sessions,
                   (SELECT count(*) FROM dyn WHERE no_number) AS no_number""";

    private final Jdbc jdbc;
    private final SessionRollup closedDays;

    public PoolHealth(Jdbc jdbc, SessionRollup closedDays) {
        this.jdbc = jdbc;
        this.closedDays = closedDays;
    }

    public Report run(long siteId, ZoneId zone, LocalDate from, LocalDate to) {
        LocalDate lastClosed = closedDays.lastClosedDay(zone);
        long peakSessions = 0, peakLeases = 0, dynamic = 0, noNumber = 0;
        double exhausted = 0;
        for (LocalDate day = from; !day.isAfter(to); day = day.plusDays(1)) {
            Day d = day.isAfter(lastClosed) ? sweep(siteId, zone, day) : closedDay(siteId, zone, day);
            peakSessions = Math.max(peakSessions, d.peakSessions());
            peakLeases = Math.max(peakLeases, d.peakLeases());
            exhausted += d.exhaustedSeconds();
            dynamic += d.dynamicSessions();
            noNumber += d.noNumber();
        }
        long[] calls = callsAndPool(siteId, zone, from, to);
        return new Report(from, to, calls[0], peakSessions, peakLeases, Math.round(exhausted / 6.0) / 10.0,
                dynamic, noNumber, calls[1], calls[2]);
    }

    private Day closedDay(long siteId, ZoneId zone, LocalDate day) {
        return jdbc.withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement("""
                    SELECT peak_sessions, peak_leases, exhausted_seconds, dynamic_sessions, no_number
                      FROM pool_health_day WHERE site_id = ? AND day = ?""")) {
                ps.setLong(1, siteId);
                ps.setObject(2, day);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) return new Day(rs.getLong(1), rs.getLong(2), rs.getDouble(3), rs.getLong(4), rs.getLong(5));
                }
            }
            Day d = sweep(c, siteId, zone, day);
            try (PreparedStatement ps = c.prepareStatement("""
                    INSERT INTO pool_health_day (site_id, day, peak_sessions, peak_leases, exhausted_seconds,
                           dynamic_sessions, no_number) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING""")) {
                ps.setLong(1, siteId);
                ps.setObject(2, day);
                ps.setLong(3, d.peakSessions());
                ps.setLong(4, d.peakLeases());
                ps.setDouble(5, d.exhaustedSeconds());
                ps.setLong(6, d.dynamicSessions());
                ps.setLong(7, d.noNumber());
                ps.executeUpdate();
            }
            return d;
        });
    }

    private Day sweep(long siteId, ZoneId zone, LocalDate day) {
        return jdbc.withConnection(c -> sweep(c, siteId, zone, day));
    }

    private static Day sweep(Connection c, long siteId, ZoneId zone, LocalDate day) throws SQLException {
        // bounds as values, not expressions, so the (site_id, started_at) index is used
        Timestamp lo = Timestamp.from(day.atStartOfDay(zone).toInstant());
        Timestamp hi = Timestamp.from(day.plusDays(1).atStartOfDay(zone).toInstant());
        try (PreparedStatement ps = c.prepareStatement(DAY_SQL)) {
            ps.setTimestamp(1, lo);
            ps.setTimestamp(2, hi);
            ps.setLong(3, siteId);
            ps.setLong(4, siteId);
            ps.setTimestamp(5, lo);
            ps.setTimestamp(6, hi);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return new Day(rs.getLong(1), rs.getLong(2), rs.getDouble(3), rs.getLong(4), rs.getLong(5));
            }
        }
    }

    /** [pool size now, unattributed calls, ambiguous calls] of the range. */
    private long[] callsAndPool(long siteId, ZoneId zone, LocalDate from, LocalDate to) {
        return jdbc.withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement("""
                    SELECT (SELECT count(*) FROM tracked_number WHERE site_id = ? AND kind = 'pool'),
                           count(*) FILTER (WHERE attribution = 'unattributed'),
                           count(*) FILTER (WHERE attribution = 'ambiguous')
                      FROM call WHERE site_id = ? AND started_at >= ? AND started_at < ?""")) {
                ps.setLong(1, siteId);
                ps.setLong(2, siteId);
                ps.setTimestamp(3, Timestamp.from(from.atStartOfDay(zone).toInstant()));
                ps.setTimestamp(4, Timestamp.from(to.plusDays(1).atStartOfDay(zone).toInstant()));
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return new long[] {rs.getLong(1), rs.getLong(2), rs.getLong(3)};
                }
            }
        });
    }
}
