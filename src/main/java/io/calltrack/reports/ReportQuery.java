package io.calltrack.reports;

import io.calltrack.platform.db.Jdbc;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;

/**
 * The marketing report: sessions from visitor_session, calls from call, spend from ad_cost, joined on
 * (period, key). Everything is bucketed by the site's calendar: a session or call belongs to the local day it
 * started on (a call crossing midnight counts on the day it rang), so DST days simply have 23 or 25 hours.
 * Bot sessions are not visits. The median talk time is over answered calls only. Sessions and calls are credited to
 * their last touch or their first ({@link AttributionModel}), both the same way, so conversion compares like with like.
 */
public final class ReportQuery {
    private final Jdbc jdbc;
    private final SessionRollup rollup;

    public ReportQuery(Jdbc jdbc, SessionRollup rollup) {
        this.jdbc = jdbc;
        this.rollup = rollup;
    }

    /**
     * Buckets: {@code :unit} is the period's date_trunc unit, none for TOTAL (date_trunc of NULL is NULL, so every
     * row falls in the range's first day). Keys: {@code <sessionKey>}, {@code <callKey>} and {@code <costKey>} come
     * from {@link DimensionKeys} only. Time bounds go in as values (not expressions) so the planner can use the
     * (site_id, started_at) indexes. Where spend is not known at the dimension's level, {@code :spendKnown} is false
     * and ad_cost is not read.
     */
    private static final String REPORT = """
            WITH sess AS (
                SELECT bucket, key, sum(n) AS sessions FROM (
                    SELECT coalesce(date_trunc(:unit, r.day::timestamp)::date, :fromDay) AS bucket, r.key,
                           r.sessions AS n
                      FROM session_rollup r
                     WHERE r.site_id = :siteId AND r.dimension = :rollupDimension
                       AND r.day >= :fromDay AND r.day <= :rolledUpTo
                    UNION ALL
                    SELECT coalesce(date_trunc(:unit, v.started_at AT TIME ZONE :tz)::date, :fromDay),
                           coalesce(<sessionKey>, ''), 1
                      FROM visitor_session v
                     WHERE v.site_id = :siteId AND NOT v.is_bot AND v.started_at >= :rawFrom AND v.started_at < :hi
                ) x GROUP BY 1, 2),
            calls AS (
                SELECT coalesce(date_trunc(:unit, c.started_at AT TIME ZONE :tz)::date, :fromDay) AS bucket,
                       coalesce(<callKey>, '') AS key,
                       count(*) AS calls,
                       count(DISTINCT c.caller_number) AS unique_callers,
                       count(*) FILTER (WHERE c.first_time_caller) AS first_time,
                       count(*) FILTER (WHERE c.class = 'target') AS target,
                       count(*) FILTER (WHERE c.class = 'non_target') AS non_target,
                       count(*) FILTER (WHERE c.class = 'unanswered') AS unanswered,
                       count(*) FILTER (WHERE c.repeat_call) AS repeat,
                       percentile_cont(0.5) WITHIN GROUP (ORDER BY c.ring_seconds) AS median_ring,
                       percentile_cont(0.5) WITHIN GROUP (ORDER BY c.talk_seconds)
                           FILTER (WHERE c.class IN ('target', 'non_target')) AS median_talk,
                       sum(c.deal_amount) AS revenue
                  FROM call c
                 WHERE c.site_id = :siteId AND c.started_at >= :lo AND c.started_at < :hi
                 GROUP BY 1, 2),
            costs AS (
                SELECT coalesce(date_trunc(:unit, a.day::timestamp)::date, :fromDay) AS bucket,
                       coalesce(<costKey>, '') AS key, sum(a.amount) AS cost
                  FROM ad_cost a
                 WHERE :spendKnown AND a.site_id = :siteId AND a.day >= :fromDay AND a.day <= :toDay
                 GROUP BY 1, 2)
            SELECT r.*,
                   CASE :dimension
                       WHEN 'channel' THEN (SELECT name FROM channel WHERE id = nullif(r.key, '')::bigint)
                       WHEN 'number' THEN (SELECT e164 FROM tracked_number WHERE id = nullif(r.key, '')::bigint)
                       WHEN 'none' THEN 'all'
                       ELSE r.key
                   END AS label
              FROM (
                SELECT coalesce(s.bucket, k.bucket, m.bucket) AS bucket, coalesce(s.key, k.key, m.key) AS key,
                       coalesce(s.sessions, 0) AS sessions, coalesce(k.calls, 0) AS calls,
                       coalesce(k.unique_callers, 0) AS unique_callers, coalesce(k.first_time, 0) AS first_time,
                       coalesce(k.target, 0) AS target, coalesce(k.non_target, 0) AS non_target,
                       coalesce(k.unanswered, 0) AS unanswered, coalesce(k.repeat, 0) AS repeat,
                       k.median_ring, k.median_talk, k.revenue, m.cost
                  FROM sess s
                  FULL JOIN calls k ON k.bucket = s.bucket AND k.key = s.key
                  FULL JOIN costs m ON m.bucket = coalesce(s.bucket, k.bucket) AND m.key = coalesce(s.key, k.key)
              ) r
             ORDER BY r.bucket, r.key""";

    /**
     * Rows for site days {@code from}..{@code to} (inclusive), ordered by period then key. Visits of closed days
     * come from the daily rollup, visits of the current day from visitor_session.
     */
    public List<ReportRow> run(long siteId, ZoneId zone, LocalDate from, LocalDate to, Dimension group, Period period,
                               AttributionModel model) {
        LocalDate rolledUpTo = rollup.ensure(siteId, zone, from, to);
        Timestamp lo = Timestamp.from(from.atStartOfDay(zone).toInstant());
        Timestamp hi = Timestamp.from(to.plusDays(1).atStartOfDay(zone).toInstant());
        Timestamp rawFrom = Timestamp.from(rolledUpTo.plusDays(1).atStartOfDay(zone).toInstant());
        boolean spendKnown = DimensionKeys.spendKnown(group);
        return jdbc.withHandle(h -> h.createQuery(REPORT)
                .define("sessionKey", DimensionKeys.sessionKey(group, model))
                .define("callKey", DimensionKeys.callKey(group, model))
                .define("costKey", DimensionKeys.costKey(group))
                .bind("siteId", siteId)
                .bind("tz", zone.getId())
                .bind("unit", period.truncUnit().orElse(null))
                .bind("fromDay", from)
                .bind("toDay", to)
                .bind("rolledUpTo", rolledUpTo)
                .bind("rawFrom", rawFrom.after(lo) ? rawFrom : lo)
                .bind("lo", lo)
                .bind("hi", hi)
                .bind("rollupDimension", DimensionKeys.rollupName(group, model))
                .bind("spendKnown", spendKnown)
                .bind("dimension", group.apiName())
                .map((rs, ctx) -> read(rs, spendKnown))
                .list());
    }

    private static ReportRow read(ResultSet rs, boolean spendKnown) throws SQLException {
        long sessions = rs.getLong("sessions");
        long calls = rs.getLong("calls");
        long target = rs.getLong("target");
        BigDecimal cost = rs.getBigDecimal("cost");
        BigDecimal revenue = rs.getBigDecimal("revenue");
        if (cost == null && spendKnown) cost = BigDecimal.ZERO.setScale(2);
        return new ReportRow(
                rs.getObject("bucket", LocalDate.class), rs.getString("key"), rs.getString("label"),
                sessions, calls, rs.getLong("unique_callers"), rs.getLong("first_time"), target,
                rs.getLong("non_target"), rs.getLong("unanswered"), rs.getLong("repeat"),
                ratio(BigDecimal.valueOf(target), sessions, 4),
                decimal(rs, "median_ring"), decimal(rs, "median_talk"),
                cost, cost == null ? null : ratio(cost, calls, 2), cost == null ? null : ratio(cost, target, 2),
                revenue == null ? BigDecimal.ZERO.setScale(2) : revenue,
                cost == null || cost.signum() == 0 ? null
                        : (revenue == null ? BigDecimal.ZERO : revenue).subtract(cost).divide(cost, 4, RoundingMode.HALF_UP));
    }

    private static BigDecimal ratio(BigDecimal numerator, long denominator, int scale) {
        return denominator == 0 ? null : numerator.divide(BigDecimal.valueOf(denominator), scale, RoundingMode.HALF_UP);
    }

    private static BigDecimal decimal(ResultSet rs, String col) throws SQLException {
        double v = rs.getDouble(col);
        return rs.wasNull() ? null : BigDecimal.valueOf(v).setScale(1, RoundingMode.HALF_UP);
    }
}
