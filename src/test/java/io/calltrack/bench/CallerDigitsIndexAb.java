package io.calltrack.bench;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.calltrack.Json;
import io.calltrack.calls.CallRepository;
import io.calltrack.calls.NewCall;
import io.calltrack.platform.db.Jdbc;
import io.calltrack.routing.RoutingRepository;
import io.calltrack.tracking.Attribution;
import io.calltrack.tracking.CreditedVisit;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Random;

/**
 * What the caller-digits index (V38, {@value #INDEX}) gains and costs, in rounds of: built with GIN's pending list
 * (fastupdate on), built without it, dropped; each time the first page of the big site's {@code callerContains}
 * filter, and the intake path, {@link CallRepository#open} (the statement FastAGI runs for each ringing call),
 * recording {@value #CALLS} calls one after another into the big site: calls/s and per call p50/p99/max (the
 * machine's speed, shared), and WAL bytes per call (the same on any machine). Ends with the index as it was.
 */
final class CallerDigitsIndexAb {
    private static final String INDEX = "call_caller_digits";
    private static final int CALLS = 20_000;

    /** Times the filter's page and prints its row. */
    @FunctionalInterface
    interface PageTimer {
        void time() throws Exception;
    }

    private final String jdbcUrl;
    private final long site;
    private final PageTimer page;
    private final Random random = new Random(38);

    CallerDigitsIndexAb(String jdbcUrl, long site, PageTimer page) {
        this.jdbcUrl = jdbcUrl;
        this.site = site;
        this.page = page;
    }

    void run(int rounds) throws Exception {
        HikariConfig hc = new HikariConfig();
        hc.setJdbcUrl(jdbcUrl);
        hc.setMaximumPoolSize(1);
        try (HikariDataSource ds = new HikariDataSource(hc); Connection c = DriverManager.getConnection(jdbcUrl);
             Statement st = c.createStatement()) {
            Jdbc jdbc = new Jdbc(ds);
            CallRepository calls = new CallRepository(jdbc, Json.mapper(), new RoutingRepository(jdbc, Json.mapper()));
            String definition = single(st, "SELECT indexdef FROM pg_indexes WHERE indexname = '" + INDEX + "'");
            String plain = definition.replaceAll(" WITH \\(.*\\)$", "");
            // a GIN index collects new entries in a pending list by default, merged into the index by the insert
            // that fills it (gin_pending_list_limit): fastupdate off writes each call's entries into it instead
            Map<String, Optional<String>> sides = new LinkedHashMap<>();
            sides.put("with the index (fastupdate on)", Optional.of(plain + " WITH (fastupdate = on)"));
            sides.put("with the index, fastupdate off", Optional.of(plain + " WITH (fastupdate = off)"));
            sides.put("without the index", Optional.empty());
            System.out.printf("%nA/B of %s, %d rounds; intake: %,d calls one after another per side%n", INDEX, rounds,
                    CALLS);
            for (int round = 1; round <= rounds; round++) {
                int n = 0;
                for (var side : sides.entrySet()) {
                    System.out.println("round " + round + ", " + side.getKey() + ":");
                    st.execute("DROP INDEX IF EXISTS " + INDEX);
                    if (side.getValue().isPresent()) build(st, side.getValue().get());
                    page.time();
                    intake(calls, st, round + "-" + ++n);
                }
            }
            build(st, definition);
        }
    }

    private static void build(Statement st, String definition) throws Exception {
        long t = System.nanoTime();
        st.execute(definition);
        System.out.printf("  %s: built in %.1f s, %,d kB%n", definition, (System.nanoTime() - t) / 1e9,
                Long.parseLong(single(st, "SELECT pg_relation_size('" + INDEX + "') / 1024")));
    }

    private void intake(CallRepository calls, Statement st, String tag) throws Exception {
        Attribution attribution = new Attribution(Attribution.Kind.UNATTRIBUTED,
                new Attribution.CalledNumber(Optional.of(site), Optional.empty(), "+74952000001", false, false),
                CreditedVisit.NONE);
        Instant start = Instant.now();
        String lsn = single(st, "SELECT pg_current_wal_lsn()");
        double[] ms = new double[CALLS];
        long t0 = System.nanoTime();
        for (int i = 0; i < CALLS; i++) {
            String caller = String.format("+7916%07d", random.nextInt(10_000_000));
            long t = System.nanoTime();
            calls.open(new NewCall("ab-" + tag + "-" + i, "agi", start.plusMillis(i), Optional.of(caller), attribution,
                    OptionalInt.of(30)), 30);
            ms[i] = (System.nanoTime() - t) / 1e6;
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        long wal = Long.parseLong(single(st, "SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), '" + lsn + "')"));
        Arrays.sort(ms);
        System.out.printf("  intake: %,.0f calls/s; per call p50 %.2f ms, p99 %.2f ms, p99.9 %.1f ms, max %.1f ms, "
                        + "%,d WAL bytes%n", CALLS / seconds, ms[CALLS / 2], ms[(int) Math.ceil(CALLS * 0.99) - 1],
                ms[(int) Math.ceil(CALLS * 0.999) - 1], ms[CALLS - 1], wal / CALLS);
    }

    private static String single(Statement st, String sql) throws Exception {
        try (ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
