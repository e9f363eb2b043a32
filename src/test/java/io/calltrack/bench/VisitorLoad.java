package io.calltrack.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Drives {@code scripts/bench-visitors}: closed-loop visitors, each starting a new session (as a first page view
 * does) and sending one heartbeat, then starting the next. Reports session starts per second and start latency,
 * then checks in PostgreSQL that no pool number was held by two sessions at once.
 * Usage: {@code VisitorLoad <http base> <token> <jdbc url> <seconds> <concurrency> <pool size>}
 */
public final class VisitorLoad {
    private static final ObjectMapper json = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final Recorder latency = new Recorder(3);
    private final AtomicLong starts = new AtomicLong();
    private final AtomicLong errors = new AtomicLong();
    private final AtomicLong clients = new AtomicLong();
    private final String sessionsUrl;
    private volatile boolean running = true;
    private volatile boolean measuring;

    VisitorLoad(String sessionsUrl) {
        this.sessionsUrl = sessionsUrl;
    }

    public static void main(String[] args) throws Exception {
        String base = args[0];
        int seconds = Integer.parseInt(args[3]);
        int concurrency = Integer.parseInt(args[4]);
        int pool = Integer.parseInt(args[5]);
        JsonNode site = AgiBench.call("POST", base + "/v1/sites", args[1], """
                {"name":"Visitors","timeZone":"UTC","fallbackNumber":"+12125550100","allowedOrigins":["*"]}""");
        for (int i = 0; i < pool; i++) {
            AgiBench.call("POST", base + "/v1/sites/" + site.get("id").asLong() + "/numbers", args[1],
                    "{\"number\":\"" + String.format("+1646555%04d", i) + "\",\"kind\":\"pool\"}");
        }
        VisitorLoad load = new VisitorLoad(base + "/v1/visitor/" + site.get("publicKey").asText() + "/sessions");
        for (int i = 0; i < concurrency; i++) load.visit();
        Thread.sleep(5_000);
        load.latency.reset();
        load.starts.set(0);
        load.errors.set(0);
        load.measuring = true;
        long t0 = System.nanoTime();
        Thread.sleep(seconds * 1000L);
        load.measuring = false;
        double elapsed = (System.nanoTime() - t0) / 1e9;
        Histogram h = load.latency.getIntervalHistogram();
        load.running = false;
        System.out.printf("visitor API: %d concurrent visitors, %d session starts in %.1f s = %.0f starts/s "
                        + "(each followed by a heartbeat), errors %d, start latency p50 %.2f ms, p99 %.2f ms, max %.2f ms%n",
                concurrency, load.starts.get(), elapsed, load.starts.get() / elapsed, load.errors.get(),
                h.getValueAtPercentile(50) / 1000.0, h.getValueAtPercentile(99) / 1000.0, h.getMaxValue() / 1000.0);
        Thread.sleep(1_000);
        System.out.println(doubleLeases(args[2]));
        System.exit(0);
    }

    /** One visitor's loop: start a session, heartbeat it, start the next visitor's. */
    private void visit() {
        if (!running) return;
        String body = "{\"clientId\":\"v-" + clients.incrementAndGet() + "\",\"page\":\"https://shop.example/?utm_source=google\"}";
        long t0 = System.nanoTime();
        send(sessionsUrl, body).thenCompose(start -> {
            boolean ok = start.statusCode() == 200;
            if (measuring) {
                if (ok) {
                    latency.recordValue(Math.max(1, (System.nanoTime() - t0) / 1000));
                    starts.incrementAndGet();
                } else {
                    errors.incrementAndGet();
                }
            }
            if (!ok) return CompletableFuture.completedFuture(null);
            try {
                String id = json.readTree(start.body()).get("sessionId").asText();
                return send(sessionsUrl + "/" + id + "/heartbeat", "{}").thenApply(r -> null);
            } catch (Exception e) {
                return CompletableFuture.completedFuture(null);
            }
        }).whenComplete((r, failure) -> {
            if (failure != null && measuring) errors.incrementAndGet();
            visit();
        });
    }

    private CompletableFuture<HttpResponse<String>> send(String url, String body) {
        return http.sendAsync(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json").header("Origin", "https://shop.example")
                .header("User-Agent", "Mozilla/5.0 (X11; Linux x86_64) Firefox/120.0")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Leases whose hold periods overlap on one number: must be none. */
    private static String doubleLeases(String jdbcUrl) throws Exception {
        try (Connection c = DriverManager.getConnection(jdbcUrl, "postgres", "");
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("""
                     SELECT count(*), (SELECT count(*) FROM number_lease)
                     FROM number_lease a JOIN number_lease b
                       ON a.number_id = b.number_id AND a.id < b.id
                      AND a.leased_at < b.held_until AND b.leased_at < a.held_until""")) {
            rs.next();
            long overlaps = rs.getLong(1);
            return (overlaps == 0 ? "PASS" : "FAIL") + ": " + overlaps + " overlapping leases among "
                    + rs.getLong(2) + " leases (no number may be held by two sessions at once)";
        }
    }
}
