package io.calltrack.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;

/**
 * A month of past traffic for a benchmark site, then ANALYZE: a server in service has history and table statistics,
 * and PostgreSQL plans its statements against them. Without this a benchmark on a fresh database measures plans
 * made for empty tables (a sequential scan of the call table per ringing call) until autovacuum's first ANALYZE.
 * The past sessions' leases are spaced so no two of one number overlap.
 */
final class PastTraffic {
    private PastTraffic() {}

    static void seed(String jdbcUrl, long siteId, int rows) throws Exception {
        try (Connection c = DriverManager.getConnection(jdbcUrl)) {
            run(c, """
                    INSERT INTO visitor_session (id, site_id, client_id, first_page, started_at, last_seen_at, ended_at)
                    SELECT gen_random_uuid(), ?, 'past-' || i, 'https://shop.example/',
                           now() - interval '30 days' + i * interval '10 s',
                           now() - interval '30 days' + i * interval '10 s' + interval '2 min',
                           now() - interval '30 days' + i * interval '10 s' + interval '2 min'
                      FROM generate_series(1, ?) i""", siteId, rows);
            // statistics first: planned as the empty tables they were, the join below is a nested loop of
            // sessions x pool numbers (minutes for a pool of thousands)
            run(c, "ANALYZE visitor_session, tracked_number");
            run(c, """
                    INSERT INTO number_lease (number_id, session_id, leased_at, held_until)
                    SELECT n.id, s.id, s.started_at, s.last_seen_at
                      FROM (SELECT id, started_at, last_seen_at, row_number() OVER (ORDER BY started_at) AS k
                              FROM visitor_session WHERE site_id = ? AND client_id LIKE 'past-%') s
                      JOIN (SELECT id, row_number() OVER (ORDER BY id) - 1 AS k, count(*) OVER () AS pool
                              FROM tracked_number WHERE site_id = ? AND kind = 'pool') n ON n.k = s.k % n.pool""",
                    siteId, siteId);
            run(c, """
                    INSERT INTO call (linkedid, site_id, called_number, caller_number, attribution, started_at, state)
                    SELECT 'past-' || i, ?, '+13125559001', '+1555' || lpad((i * 7919 % 10000000)::text, 7, '0'),
                           'static', now() - interval '30 days' + i * interval '10 s', 'completed'
                      FROM generate_series(1, ?) i""", siteId, rows);
            run(c, "ANALYZE");
        }
    }

    private static void run(Connection c, String sql, Object... args) throws Exception {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) ps.setObject(i + 1, args[i]);
            ps.executeUpdate();
        }
    }
}
