package io.calltrack.reports;

import io.calltrack.platform.db.Jdbc;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

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
            WITH pool AS (SELECT id FROM tracked_number WHERE site_id = :siteId AND kind = 'pool'),
            dyn AS (
                SELECT v.started_at AS s, greatest(coalesce(v.ended_at, v.last_seen_at), v.started_at) AS e, v.no_number
                  FROM visitor_session v
                 WHERE v.site_id = :siteId AND v.started_at >= :lo AND v.started_at < :hi AND NOT v.is_bot
                   AND (v.no_number OR v.number_id IN (SELECT id FROM pool))),
            sess_level AS (
                SELECT sum(d) OVER (ORDER BY t, d ROWS UNBOUNDED PRECEDING) AS level
                  FROM (SELECT s AS t, 1 AS d FROM dyn UNION ALL SELECT e, -1 FROM dyn) ev),
            leases AS (
                SELECT greatest(l.leased_at, CAST(:lo AS timestamptz)) AS s,
                       least(l.held_until, CAST(:hi AS timestamptz)) AS e
                  FROM number_lease l
                 WHERE l.number_id IN (SELECT id FROM pool) AND l.leased_at < :hi AND l.held_until > :lo),
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
        Calls calls = callsAndPool(siteId, zone, from, to);
        return new Report(from, to, calls.poolSize(), peakSessions, peakLeases, Math.round(exhausted / 6.0) / 10.0,
                dynamic, noNumber, calls.unattributed(), calls.ambiguous());
    }

    private Day closedDay(long siteId, ZoneId zone, LocalDate day) {
        return jdbc.withHandle(h -> {
            Optional<Day> kept = h.createQuery("""
                            SELECT peak_sessions, peak_leases, exhausted_seconds, dynamic_sessions, no_number
                              FROM pool_health_day WHERE site_id = :siteId AND day = :day""")
                    .bind("siteId", siteId).bind("day", day).map((rs, ctx) -> day(rs)).findOne();
            if (kept.isPresent()) return kept.get();
            Day d = sweep(h, siteId, zone, day);
            h.createUpdate("""
                            INSERT INTO pool_health_day (site_id, day, peak_sessions, peak_leases, exhausted_seconds,
                                   dynamic_sessions, no_number)
                            VALUES (:siteId, :day, :peakSessions, :peakLeases, :exhaustedSeconds, :dynamicSessions,
                                    :noNumber)
                            ON CONFLICT DO NOTHING""")
                    .bind("siteId", siteId).bind("day", day).bind("peakSessions", d.peakSessions())
                    .bind("peakLeases", d.peakLeases()).bind("exhaustedSeconds", d.exhaustedSeconds())
                    .bind("dynamicSessions", d.dynamicSessions()).bind("noNumber", d.noNumber()).execute();
            return d;
        });
    }

    private Day sweep(long siteId, ZoneId zone, LocalDate day) {
        return jdbc.withHandle(h -> sweep(h, siteId, zone, day));
    }

    private static Day sweep(Handle h, long siteId, ZoneId zone, LocalDate day) {
        // bounds as values, not expressions, so the (site_id, started_at) index is used
        return h.createQuery(DAY_SQL).bind("siteId", siteId)
                .bind("lo", Timestamp.from(day.atStartOfDay(zone).toInstant()))
                .bind("hi", Timestamp.from(day.plusDays(1).atStartOfDay(zone).toInstant()))
                .map((rs, ctx) -> day(rs)).one();
    }

    private static Day day(ResultSet rs) throws SQLException {
        return new Day(rs.getLong("peak_sessions"), rs.getLong("peak_leases"), rs.getDouble("exhausted_seconds"),
                rs.getLong("dynamic_sessions"), rs.getLong("no_number"));
    }

    /** The range's pool size (now) and its calls that could not be attributed, or only ambiguously. */
    private record Calls(long poolSize, long unattributed, long ambiguous) {}

    private Calls callsAndPool(long siteId, ZoneId zone, LocalDate from, LocalDate to) {
        return jdbc.withHandle(h -> h.createQuery("""
                        SELECT (SELECT count(*) FROM tracked_number WHERE site_id = :siteId AND kind = 'pool')
                                   AS pool_size,
                               count(*) FILTER (WHERE attribution = 'unattributed') AS unattributed,
                               count(*) FILTER (WHERE attribution = 'ambiguous') AS ambiguous
                          FROM call WHERE site_id = :siteId AND started_at >= :lo AND started_at < :hi""")
                .bind("siteId", siteId)
                .bind("lo", Timestamp.from(from.atStartOfDay(zone).toInstant()))
                .bind("hi", Timestamp.from(to.plusDays(1).atStartOfDay(zone).toInstant()))
                .map((rs, ctx) -> new Calls(rs.getLong("pool_size"), rs.getLong("unattributed"),
                        rs.getLong("ambiguous")))
                .one());
    }
}
