package io.calltrack.reports;

import io.calltrack.platform.db.Jdbc;
import io.calltrack.support.TestDatabase;
import java.sql.Connection;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Supplier;

/**
 * Fills a month of a busy site (default 2,000,000 sessions and 100,000 calls, March 2026 in America/New_York)
 * with generate_series and times every report. Run by scripts/bench-reports; not a test.
 * Arguments: [sessions] [calls] [runs per query].
 */
public final class ReportBenchmark {
    public static void main(String[] args) throws Exception {
        long sessions = args.length > 0 ? Long.parseLong(args[0]) : 2_000_000;
        long calls = args.length > 1 ? Long.parseLong(args[1]) : 100_000;
        int runs = args.length > 2 ? Integer.parseInt(args[2]) : 7;
        try (TestDatabase db = TestDatabase.create()) {
            long t0 = System.nanoTime();
            fill(db, sessions, calls);
            System.out.printf("filled %,d sessions and %,d calls in %.1f s%n", sessions, calls, (System.nanoTime() - t0) / 1e9);
            Jdbc jdbc = new Jdbc(db.dataSource());
            SessionRollup rollup = new SessionRollup(jdbc, java.time.Clock.systemUTC());
            ReportQuery reports = new ReportQuery(jdbc, rollup);
            java.time.ZoneId zone = java.time.ZoneId.of("America/New_York");
            PoolHealth pool = new PoolHealth(jdbc, rollup);
            LocalDate from = LocalDate.of(2026, 3, 1);
            LocalDate to = LocalDate.of(2026, 3, 31);
            long r0 = System.nanoTime();
            rollup.ensure(1, zone, from, to);
            pool.run(1, zone, from, to);
            System.out.printf("first reports of the month materialised 31 rollup days in %.1f s%n",
                    (System.nanoTime() - r0) / 1e9);
            System.out.printf("%-32s %6s %9s %9s%n", "query (March 2026)", "rows", "p50 ms", "max ms");
            for (Dimension d : Dimension.values()) {
                for (Period p : new Period[] {Period.DAY, Period.MONTH}) {
                    time("report " + d.apiName() + "/" + p.name().toLowerCase(), runs,
                            () -> reports.run(1, zone, from, to, d, p, AttributionModel.LAST).size());
                }
            }
            time("pool-health", runs, () -> { pool.run(1, zone, from, to); return 1; });
        }
    }

    private static void time(String name, int runs, Supplier<Integer> query) {
        query.get(); // warm the cache and the plan once
        List<Double> ms = new ArrayList<>();
        int rows = 0;
        for (int i = 0; i < runs; i++) {
            long t = System.nanoTime();
            rows = query.get();
            ms.add((System.nanoTime() - t) / 1e6);
        }
        Collections.sort(ms);
        System.out.printf("%-32s %6d %9.0f %9.0f%n", name, rows, ms.get(ms.size() / 2), ms.get(ms.size() - 1));
    }

    private static void fill(TestDatabase db, long sessions, long calls) throws Exception {
        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
            // generated rows are consistent by construction: skip the per-row foreign-key triggers while filling
            s.execute("SET session_replication_role = replica");
            s.execute("INSERT INTO site (id, name, public_key, time_zone, fallback_number) "
                    + "VALUES (1, 'busy', 'busy', 'America/New_York', '+12125550100')");
            s.execute("INSERT INTO site (id, name, public_key, time_zone, fallback_number) "
                    + "VALUES (2, 'other', 'other', 'UTC', '+12125550101')");
            s.execute("INSERT INTO channel (id, site_id, name, tracking) "
                    + "SELECT g, 1, 'channel ' || g, CASE WHEN g <= 5 THEN 'dynamic' ELSE 'static' END FROM generate_series(1, 20) g");
            s.execute("INSERT INTO tracked_number (id, site_id, e164, kind, channel_id) "
                    + "SELECT g, 1, '+1212555' || lpad(g::text, 4, '0'), CASE WHEN g <= 100 THEN 'pool' ELSE 'static' END, "
                    + "CASE WHEN g <= 100 THEN NULL ELSE g - 100 END FROM generate_series(1, 115) g");
            // Sessions spread evenly over March (local), 20 channels, 50 campaigns, 200 keywords, 100 landing pages.
            s.execute("""
                    INSERT INTO visitor_session (id, site_id, channel_id, client_id, first_page, utm_campaign, utm_term,
                           number_id, no_number, is_bot, started_at, last_seen_at)
                    SELECT md5(g::text)::uuid, 1, 1 + g % 20, 'cid' || (g % 700000), '/page/' || (g % 100),
                           'campaign ' || (g % 50), 'keyword ' || (g % 200),
                           CASE WHEN g % 20 < 5 AND g % 97 <> 0 THEN 1 + g % 100 END, g % 20 < 5 AND g % 97 = 0,
                           g % 50 = 0,
                           timestamptz '2026-03-01 05:00Z' + (g * (interval '31 days' / {N})),
                           timestamptz '2026-03-01 05:00Z' + (g * (interval '31 days' / {N})) + interval '3 minutes'
                      FROM generate_series(1, {N}) g""".replace("{N}", Long.toString(sessions)));
            // A second site's traffic must not slow the busy site's reports.
            s.execute("""
                    INSERT INTO visitor_session (id, site_id, client_id, started_at, last_seen_at)
                    SELECT md5('o' || g)::uuid, 2, 'o' || g, timestamptz '2026-03-01' + g * interval '10 seconds',
                           timestamptz '2026-03-01' + g * interval '10 seconds' FROM generate_series(1, 200000) g""");
            s.execute("""
                    INSERT INTO number_lease (number_id, session_id, leased_at, held_until)
                    SELECT number_id, id, started_at, last_seen_at + interval '15 minutes'
                      FROM visitor_session WHERE site_id = 1 AND number_id <= 100""");
            s.execute("""
                    INSERT INTO call (linkedid, site_id, number_id, called_number, caller_number, attribution, channel_id,
                           campaign, keyword, landing_page, first_time_caller, repeat_call, state, started_at,
                           answered_at, ended_at, ring_seconds, talk_seconds, class, deal_amount)
                    SELECT 'l' || g, 1, 1 + g % 115, '+12125550000', '+1917' || lpad((g % 60000)::text, 7, '0'),
                           CASE WHEN g % 50 = 0 THEN 'unattributed' WHEN g % 77 = 0 THEN 'ambiguous' ELSE 'dynamic' END,
                           1 + g % 20, 'campaign ' || (g % 50), 'keyword ' || (g % 200), '/page/' || (g % 100),
                           g <= 60000, g > 60000, 'completed',
                           timestamptz '2026-03-01 05:00Z' + (g * (interval '31 days' / {N})),
                           CASE WHEN g % 5 <> 0 THEN timestamptz '2026-03-01 05:00Z' + (g * (interval '31 days' / {N})) + interval '8 seconds' END,
                           timestamptz '2026-03-01 05:00Z' + (g * (interval '31 days' / {N})) + interval '3 minutes',
                           5 + g % 20, CASE WHEN g % 5 <> 0 THEN g % 400 END,
                           CASE WHEN g % 5 = 0 THEN 'unanswered' WHEN g % 400 >= 30 THEN 'target' ELSE 'non_target' END,
                           CASE WHEN g % 10 = 0 THEN 100 + g % 900 END
                      FROM generate_series(1, {N}) g""".replace("{N}", Long.toString(calls)));
            s.execute("""
                    INSERT INTO ad_cost (site_id, channel_id, campaign, day, amount)
                    SELECT 1, ch, 'campaign ' || cp, d::date, 10 + ch + cp
                      FROM generate_series(1, 20) ch, generate_series(0, 49) cp,
                           generate_series(date '2026-03-01', date '2026-03-31', interval '1 day') d""");
            s.execute("SET session_replication_role = DEFAULT");
            s.execute("VACUUM ANALYZE");
        }
    }
}
