package io.calltrack.bench;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The call log at a million calls: fills {@code call} with one INSERT ... SELECT over generate_series (five sites of
 * very different sizes, a year of calls, channels, campaigns, keywords, classes, recordings, repeat callers), then
 * times the first page of typical console filters over HTTP on loopback (what a browser's request costs the server:
 * parsing, the query, JSON), and a whole CSV export. Run by scripts/bench-call-log; not a test.
 * Arguments: base URL, admin token, JDBC URL, calls, runs per filter, and optionally rounds of the caller-digits
 * index's A/B ({@link CallerDigitsIndexAb}).
 */
public final class CallLogBench {
    private static final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    public static void main(String[] args) throws Exception {
        String base = args[0];
        String token = args[1];
        String jdbc = args[2];
        long calls = Long.parseLong(args[3]);
        int runs = Integer.parseInt(args[4]);
        int abRounds = args.length > 5 ? Integer.parseInt(args[5]) : 0;
        List<Long> sites = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            String body = "{\"name\":\"site " + i + "\",\"timeZone\":\"Europe/Moscow\",\"fallbackNumber\":\"+7495100000"
                    + i + "\"}";
            String created = send(base, token, HttpRequest.newBuilder(URI.create(base + "/v1/sites"))
                    .POST(HttpRequest.BodyPublishers.ofString(body)).header("Content-Type", "application/json")).body();
            sites.add(Long.parseLong(created.replaceAll(".*\"id\":(\\d+).*", "$1")));
        }
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        try (Connection c = DriverManager.getConnection(jdbc); Statement st = c.createStatement()) {
            long t0 = System.nanoTime();
            fill(st, sites, calls, now);
            System.out.printf("filled %,d calls over %d sites in %.1f s (VACUUM ANALYZE included)%n", calls,
                    sites.size(), (System.nanoTime() - t0) / 1e9);
            try (var rs = st.executeQuery("SELECT site_id, count(*) FROM call GROUP BY 1 ORDER BY 1")) {
                StringBuilder sizes = new StringBuilder("calls per site:");
                while (rs.next()) sizes.append(String.format(" %d=%,d", rs.getLong(1), rs.getLong(2)));
                System.out.println(sizes);
            }
        }
        long big = sites.get(0);
        long small = sites.get(4);
        String month = "&from=" + now.minus(30, ChronoUnit.DAYS) + "&to=" + now.plusSeconds(1);
        Map<String, String> filters = new LinkedHashMap<>();
        filters.put("all sites, newest", "");
        filters.put("big site, newest", "site=" + big);
        filters.put("big site, last 30 days", "site=" + big + month);
        filters.put("big site, channel", "site=" + big + "&channel=" + channelOf(jdbc, big));
        filters.put("big site, target first-time", "site=" + big + "&class=target&firstTime=true");
        filters.put("big site, campaign + keyword", "site=" + big + "&campaign=brand&keyword=" + enc("buy sofa"));
        filters.put("big site, rare keyword (0.1%)", "site=" + big + "&keyword=rare");
        filters.put("big site, has recording, 30 d", "site=" + big + "&hasRecording=true" + month);
        filters.put("big site, caller digits", "site=" + big + "&callerContains=12345");
        filters.put("big site, exact caller", "site=" + big + "&caller=" + enc("+79161234567"));
        filters.put("big site, oldest first", "site=" + big + "&sort=oldest");
        filters.put("big site, longest, 30 days", "site=" + big + "&sort=longest" + month);
        filters.put("small site, newest", "site=" + small);
        filters.put("three sites, newest", "site=" + sites.get(1) + "&site=" + sites.get(2) + "&site=" + sites.get(3));
        filters.put("three sites, unanswered", "site=" + sites.get(1) + "&site=" + sites.get(2) + "&site="
                + sites.get(3) + "&class=unanswered");
        String cursor = send(base, token, HttpRequest.newBuilder(URI.create(base + "/v1/calls?site=" + big
                + "&limit=50"))).body().replaceAll(".*\"nextCursor\":(\\d+).*", "$1");
        filters.put("big site, page 2 (cursor)", "site=" + big + "&cursor=" + cursor);
        System.out.printf("%-34s %5s %8s %8s %8s   (%d runs, first page of 50, HTTP on loopback)%n",
                "filter", "rows", "p50 ms", "p99 ms", "max ms", runs);
        for (var e : filters.entrySet()) time(base, token, e.getKey(), "/v1/calls?" + e.getValue(), runs);
        time(base, token, "live calls (all sites)", "/v1/calls/live", runs);
        time(base, token, "HTTP floor (GET /health)", "/health", runs);
        long t = System.nanoTime();
        HttpResponse<String> csv = send(base, token, HttpRequest.newBuilder(URI.create(base + "/v1/calls?site="
                + sites.get(4) + "&format=csv")));
        System.out.printf("CSV export of site %d (all its calls): %,d rows, %,d bytes in %.0f ms%n", sites.get(4),
                csv.body().split("\r\n").length - 1, csv.body().length(), (System.nanoTime() - t) / 1e6);
        if (abRounds > 0) {
            new CallerDigitsIndexAb(jdbc, big, () -> time(base, token, "big site, caller digits",
                    "/v1/calls?" + filters.get("big site, caller digits"), runs)).run(abRounds);
        }
    }

    /**
     * Site sizes 50/25/13/8/4 %, one call every ~30 s on average over a year ending now (ids grow with time, as
     * calltrack records them), realistic mixes of channels, campaigns, classes, repeat callers, recordings.
     */
    private static void fill(Statement st, List<Long> sites, long calls, Instant now) throws Exception {
        for (long site : sites) {
            st.execute("INSERT INTO channel (site_id, name, tracking) SELECT " + site + ", n, 'dynamic' FROM "
                    + "unnest(ARRAY['Google Ads','Yandex Direct','Organic','Direct','Social']) n");
        }
        st.execute("ALTER TABLE call SET (autovacuum_enabled = false)");
        st.execute("""
                INSERT INTO call (linkedid, site_id, called_number, caller_number, attribution, channel_id,
                       channel_name, source, medium, campaign, keyword, landing_page, first_time_caller, repeat_call,
                       recording_path, state, started_at, answered_at, ended_at, ring_seconds, talk_seconds, class,
                       class_reason, first_channel_id, first_campaign, first_keyword)
                SELECT 'bench-' || g, s.site, '+7495200' || lpad((g % 1000)::text, 4, '0'),
                       '+7916' || lpad((hashint % 10000000)::text, 7, '0'), 'dynamic', ch.id, ch.name, 'google',
                       'cpc', (ARRAY['brand','sale','spring','retarget'])[1 + g % 4],
                       CASE WHEN g % 1000 = 0 THEN 'rare' ELSE (ARRAY['buy sofa','sofa price','red sofa'])[1 + g % 3] END,
                       'https://shop.example/landing/' || (g % 50), g % 3 <> 0, g % 3 = 0,
                       CASE WHEN g % 10 < 3 THEN 'rec/' || g || '.wav' END, 'completed', t.at,
                       CASE WHEN g % 5 <> 0 THEN t.at + interval '5 seconds' END,
                       t.at + interval '5 seconds' + make_interval(secs => (g % 5 <> 0)::int * (g % 600)),
                       5, CASE WHEN g % 5 <> 0 THEN g % 600 END,
                       CASE WHEN g % 5 = 0 THEN 'unanswered' WHEN g % 600 >= 30 THEN 'target' ELSE 'non_target' END,
                       'bench', ch.id, 'brand', 'buy sofa'
                  FROM generate_series(1, {CALLS}) g
                 CROSS JOIN LATERAL (SELECT abs(hashint4(g::int)) AS hashint) h
                 CROSS JOIN LATERAL (SELECT CASE WHEN hashint % 100 < 50 THEN {S0} WHEN hashint % 100 < 75 THEN {S1}
                                                 WHEN hashint % 100 < 88 THEN {S2} WHEN hashint % 100 < 96 THEN {S3}
                                                 ELSE {S4} END AS site) s
                 CROSS JOIN LATERAL (SELECT timestamptz '{NOW}' - make_interval(secs => ({CALLS} - g) * 31536000.0 / {CALLS}) AS at) t
                 CROSS JOIN LATERAL (SELECT id, name FROM channel WHERE site_id = s.site ORDER BY id
                                     OFFSET (hashint / 100) % 5 LIMIT 1) ch"""
                .replace("{CALLS}", Long.toString(calls)).replace("{NOW}", now.toString())
                .replace("{S0}", sites.get(0).toString()).replace("{S1}", sites.get(1).toString())
                .replace("{S2}", sites.get(2).toString()).replace("{S3}", sites.get(3).toString())
                .replace("{S4}", sites.get(4).toString()));
        st.execute("ALTER TABLE call RESET (autovacuum_enabled)");
        st.execute("VACUUM ANALYZE call");
    }

    private static long channelOf(String jdbc, long site) throws Exception {
        try (Connection c = DriverManager.getConnection(jdbc); Statement st = c.createStatement();
             var rs = st.executeQuery("SELECT min(id) FROM channel WHERE site_id = " + site)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static void time(String base, String token, String name, String path, int runs) throws Exception {
        for (int i = 0; i < 3; i++) send(base, token, HttpRequest.newBuilder(URI.create(base + path))); // warm up
        List<Double> ms = new ArrayList<>();
        int rows = 0;
        for (int i = 0; i < runs; i++) {
            long t = System.nanoTime();
            HttpResponse<String> r = send(base, token, HttpRequest.newBuilder(URI.create(base + path)));
            ms.add((System.nanoTime() - t) / 1e6);
            if (r.statusCode() != 200) throw new IllegalStateException(path + ": " + r.statusCode() + " " + r.body());
            rows = r.body().split("\"id\":", -1).length - 1 + r.body().split("\"callId\":", -1).length - 1;
        }
        Collections.sort(ms);
        System.out.printf("%-34s %5d %8.1f %8.1f %8.1f%n", name, rows, ms.get(ms.size() / 2),
                ms.get((int) Math.ceil(ms.size() * 0.99) - 1), ms.get(ms.size() - 1));
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static HttpResponse<String> send(String base, String token, HttpRequest.Builder b) throws Exception {
        return client.send(b.header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
    }
}
