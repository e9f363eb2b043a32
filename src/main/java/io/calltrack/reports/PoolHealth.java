package io.calltrack.reports;

import io.calltrack.db.Jdbc;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.time.ZoneId;

/**
 * How well a site's dynamic pool fits its traffic over site days {@code from}..{@code to}: the pool size, the peak
 * of visits wanting a pool number at once (sessions from start to last heartbeat that got a pool number or none),
 * the peak of numbers leased at once, the minutes all numbers were leased, and what that cost: visits left
 * without a number and calls that could not be attributed, or only ambiguously.
 */
public final class PoolHealth {
    public record Report(LocalDate from, LocalDate to, long poolSize, long peakConcurrentSessions,
                         long peakLeasedNumbers, double minutesAtExhaustion, long dynamicSessions,
                         long sessionsWithoutNumber, long unattributedCalls, long ambiguousCalls) {}

    private static final String SQL = """
            WITH lim AS (SELECT CAST(? AS timestamptz) AS lo, CAST(? AS timestamptz) AS hi),
            pool AS (SELECT id FROM tracked_number WHERE site_id = ? AND kind = 'pool'),
            dyn AS (
                SELECT v.started_at AS s, greatest(coalesce(v.ended_at, v.last_seen_at), v.started_at) AS e, v.no_number
                  FROM visitor_session v, lim
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
                WINDOW w AS (ORDER BY t, d ROWS UNBOUNDED PRECEDING)),
            calls AS (
                SELECT count(*) FILTER (WHERE c.attribution = 'unattributed') AS unattributed,
                       count(*) FILTER (WHERE c.attribution = 'ambiguous') AS ambiguous
                  FROM call c WHERE c.site_id = ? AND c.started_at >= ? AND c.started_at < ?)
            SELECT (SELECT count(*) FROM pool) AS pool_size,
                   coalesce((SELECT max(level) FROM sess_level), 0) AS peak_sessions,
                   coalesce((SELECT max(level) FROM lease_level), 0) AS peak_leases,
                   coalesce((SELECT sum(extract(epoch FROM next_t - t)) FROM lease_level
                              WHERE level >= (SELECT count(*) FROM pool) AND (SELECT count(*) FROM pool) > 0), 0)
                       / 60.0 AS minutes_exhausted,
                   (SELECT count(*) FROM dyn) AS dynamic_sessions,
                   (SELECT count(*) FROM dyn WHERE no_number) AS no_number,
                   calls.unattributed, calls.ambiguous
              FROM calls""";

    private final Jdbc jdbc;

    public PoolHealth(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    public Report run(long siteId, ZoneId zone, LocalDate from, LocalDate to) {
        // bounds as values, not expressions, so the (site_id, started_at) indexes are used
        Timestamp lo = Timestamp.from(from.atStartOfDay(zone).toInstant());
        Timestamp hi = Timestamp.from(to.plusDays(1).atStartOfDay(zone).toInstant());
        return jdbc.withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement(SQL)) {
                int i = 0;
                ps.setTimestamp(++i, lo);
                ps.setTimestamp(++i, hi);
                ps.setLong(++i, siteId);
                ps.setLong(++i, siteId);
                ps.setTimestamp(++i, lo);
                ps.setTimestamp(++i, hi);
                ps.setLong(++i, siteId);
                ps.setTimestamp(++i, lo);
                ps.setTimestamp(++i, hi);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return new Report(from, to, rs.getLong("pool_size"), rs.getLong("peak_sessions"),
                            rs.getLong("peak_leases"), Math.round(rs.getDouble("minutes_exhausted") * 10) / 10.0,
                            rs.getLong("dynamic_sessions"), rs.getLong("no_number"), rs.getLong("unattributed"),
                            rs.getLong("ambiguous"));
                }
            }
        });
    }
}
