package io.calltrack.reports;

import io.calltrack.platform.db.Jdbc;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.statement.Update;

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
        if (!end.isBefore(from)) missingDays(siteId, from, end).forEach(day -> materialise(siteId, zone, day));
        return end;
    }

    private List<LocalDate> missingDays(long siteId, LocalDate from, LocalDate to) {
        return jdbc.withHandle(h -> h.createQuery("""
                        SELECT d::date FROM generate_series(CAST(:from AS date), CAST(:to AS date), interval '1 day') d
                         WHERE NOT EXISTS (SELECT 1 FROM session_rollup_day r
                                            WHERE r.site_id = :siteId AND r.day = d::date)""")
                .bind("from", from).bind("to", to).bind("siteId", siteId)
                .mapTo(LocalDate.class).list());
    }

    private void materialise(long siteId, ZoneId zone, LocalDate day) {
        jdbc.inHandleTransaction(h -> {
            // Another request materialised (or is materialising) the day: its row lock makes us wait for it.
            int claimed = h.createUpdate("""
                            INSERT INTO session_rollup_day (site_id, day) VALUES (:siteId, :day)
                            ON CONFLICT DO NOTHING""")
                    .bind("siteId", siteId).bind("day", day).execute();
            if (claimed == 0) return null;
            Update insert = h.createUpdate(INSERT_DAY);
            ROLLUP_KEYS.forEach(insert::define);
            insert.bind("siteId", siteId).bind("day", day)
                    .bind("lo", Timestamp.from(day.atStartOfDay(zone).toInstant()))
                    .bind("hi", Timestamp.from(day.plusDays(1).atStartOfDay(zone).toInstant()))
                    .execute();
            return null;
        });
    }

    /** The session key of every rollup dimension but the whole site's, defined into {@link #INSERT_DAY} by name. */
    private static final Map<String, String> ROLLUP_KEYS = DimensionKeys.rollupSessionKeys();

    /**
     * One day's visit counts for every rollup dimension ({@link #ROLLUP_KEYS}) and the whole site ('none'), in one
     * pass over the day's sessions. In each grouping set the other keys are null, so the first non-null one is the
     * set's key. The day's bounds are values (the (site_id, started_at) index is used) read from a MATERIALIZED
     * row: planned with their values, the planner sorts three of the sets instead of hashing all of them, several
     * times slower (measured with EXPLAIN ANALYZE).
     */
    private static final String INSERT_DAY = """
            INSERT INTO session_rollup (site_id, day, dimension, key, sessions)
            WITH lim AS MATERIALIZED (SELECT CAST(:lo AS timestamptz) AS lo, CAST(:hi AS timestamptz) AS hi)
            SELECT :siteId, :day, g.dimension, g.key, g.sessions FROM lim, LATERAL (
                SELECT CASE WHEN grouping(k.channel) = 0 THEN 'channel'
                            WHEN grouping(k.first_channel) = 0 THEN 'first_channel'
                            WHEN grouping(k.campaign) = 0 THEN 'campaign'
                            WHEN grouping(k.first_campaign) = 0 THEN 'first_campaign'
                            WHEN grouping(k.keyword) = 0 THEN 'keyword'
                            WHEN grouping(k.first_keyword) = 0 THEN 'first_keyword'
                            WHEN grouping(k.landing_page) = 0 THEN 'landing_page'
                            WHEN grouping(k.first_landing_page) = 0 THEN 'first_landing_page'
                            WHEN grouping(k.number) = 0 THEN 'number'
                            ELSE 'none' END AS dimension,
                       coalesce(k.channel, k.first_channel, k.campaign, k.first_campaign, k.keyword, k.first_keyword,
                                k.landing_page, k.first_landing_page, k.number, '') AS key,
                       count(*) AS sessions
                  FROM (SELECT <channel> AS channel, <first_channel> AS first_channel,
                               <campaign> AS campaign, <first_campaign> AS first_campaign,
                               <keyword> AS keyword, <first_keyword> AS first_keyword,
                               <landing_page> AS landing_page, <first_landing_page> AS first_landing_page,
                               <number> AS number
                          FROM visitor_session v
                         WHERE v.site_id = :siteId AND NOT v.is_bot
                           AND v.started_at >= lim.lo AND v.started_at < lim.hi) k
                 GROUP BY GROUPING SETS ((k.channel), (k.first_channel), (k.campaign), (k.first_campaign),
                                         (k.keyword), (k.first_keyword), (k.landing_page), (k.first_landing_page),
                                         (k.number), ())
                HAVING count(*) > 0
            ) g""";
}
