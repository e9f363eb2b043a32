package io.calltrack.tracking.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.calltrack.support.Http;
import io.calltrack.support.MutableClock;
import io.calltrack.support.TestServer;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A scripted drain over the visitor API, on a clock the test moves: one address sends starts with a browser's user
 * agent and fresh client ids, faster than its start limit, and never heartbeats, while real visitors from other
 * addresses come one every two minutes, heartbeat as the snippet does (at the answer's {@code heartbeatSeconds}) and leave
 * after three minutes. Behind a trusted proxy, so X-Forwarded-For tells the addresses apart.
 */
class PoolDrainTest {
    static final ObjectMapper json = new ObjectMapper();
    static final String BROWSER = "Mozilla/5.0 (X11; Linux x86_64; rv:120.0) Gecko/20100101 Firefox/120.0";
    static final String DRAINER = "203.0.113.9";
    static final int POOL = 20;
    static final int HOLD = 900;
    static final Duration UNSEEN = Duration.ofMinutes(2);
    static final Duration STEP = Duration.ofSeconds(10);

    final MutableClock clock = new MutableClock(Instant.parse("2026-12-02T10:00:00Z"));
    TestServer server;
    Http http;
    String key;
    long siteId;

    @BeforeEach
    void start() throws Exception {
        server = TestServer.start(Map.of("tracking.client-ip-header", "X-Forwarded-For",
                "tracking.trusted-proxies", "127.0.0.1"), clock);
        http = new Http(server.baseUrl());
        JsonNode site = json.readTree(http.adminPost("/v1/sites", """
                {"name":"Shop","timeZone":"UTC","fallbackNumber":"+12125550100","sessionHoldSeconds":%d}"""
                .formatted(HOLD)).body());
        key = site.get("publicKey").asText();
        siteId = site.get("id").asLong();
        for (int i = 0; i < POOL; i++) {
            http.adminPost("/v1/sites/" + siteId + "/numbers", "{\"number\":\"+1312555%04d\",\"kind\":\"pool\"}"
                    .formatted(i));
        }
    }

    @AfterEach
    void stop() {
        server.close();
    }

    /** A real visitor: when they came, their session, the number they were shown first, when to heartbeat next. */
    static final class Visitor {
        final Instant arrived;
        final String ip;
        final String session;
        final String number;
        Instant nextBeat;
        boolean keptNumber = true;

        Visitor(Instant arrived, String ip, JsonNode started) {
            this.arrived = arrived;
            this.ip = ip;
            this.session = started.get("sessionId").asText();
            this.number = started.at("/number/e164").asText();
            this.nextBeat = arrived.plusSeconds(started.get("heartbeatSeconds").asLong());
        }
    }

    @Test
    void oneAddressStartingWithoutHeartbeatsHoldsFewNumbersBrieflyAndRealVisitorsAreServed() throws Exception {
        Instant begin = clock.instant();
        Instant drainEnds = begin.plus(Duration.ofMinutes(12));
        int tried = 0, accepted = 0, refused = 0, drainerShownPool = 0, realServed = 0, realTotal = 0;
        int maxHeld = 0;
        Map<Long, Integer> heldByMinute = new TreeMap<>();
        List<Visitor> visitors = new ArrayList<>();
        for (int step = 0; clock.instant().isBefore(drainEnds); step++) {
            Instant now = clock.instant();
            // 12 starts every 10 s: 72 a minute against a limit of 60
            for (int i = 0; i < 12; i++) {
                tried++;
                var r = start(DRAINER, "drain-" + step + "-" + i);
                if (r.statusCode() == 429) {
                    refused++;
                    continue;
                }
                assertEquals(200, r.statusCode(), r.body());
                accepted++;
                if (json.readTree(r.body()).get("source").asText().equals("pool")) drainerShownPool++;
            }
            if (step % 12 == 0) {
                String ip = "198.51.100." + (step / 12 + 1);
                var r = start(ip, "real-" + step);
                assertEquals(200, r.statusCode(), r.body());
                realTotal++;
                Visitor v = new Visitor(now, ip, json.readTree(r.body()));
                if (json.readTree(r.body()).get("source").asText().equals("pool")) realServed++;
                visitors.add(v);
            }
            for (Visitor v : visitors) {
                if (now.isBefore(v.nextBeat) || !now.isBefore(v.arrived.plus(Duration.ofMinutes(3)))) continue;
                var r = heartbeat(v);
                assertEquals(200, r.statusCode(), r.body());
                JsonNode b = json.readTree(r.body());
                if (!b.at("/number/e164").asText().equals(v.number)) v.keptNumber = false;
                v.nextBeat = now.plusSeconds(b.get("heartbeatSeconds").asLong());
            }
            int held = heldBy(DRAINER, now);
            maxHeld = Math.max(maxHeld, held);
            if (step % 6 == 0) heldByMinute.put(Duration.between(begin, now).toMinutes(), held);
            clock.advance(STEP);
        }
        Instant stopped = clock.instant();
        clock.advance(UNSEEN);
        int heldAfter = heldBy(DRAINER, clock.instant());

        System.out.printf("pool drain: %d starts tried by %s, %d accepted (%d shown a pool number), %d refused (429); "
                        + "numbers held by it per minute %s, at most %d; %d after it stopped + %s; real visitors served "
                        + "%d of %d, all kept their number: %b; longest drainer lease %s%n", tried, DRAINER, accepted,
                drainerShownPool, refused, heldByMinute.values(), maxHeld, heldAfter, UNSEEN, realServed, realTotal,
                visitors.stream().allMatch(v -> v.keptNumber), longestLease(DRAINER));

        assertTrue(refused > 0 && accepted <= 60 * 12, "the start limit holds: " + accepted + " accepted");
        assertTrue(maxHeld <= 4, "the address holds its share (tracking.pool-leases-per-ip) at most: " + maxHeld);
        assertTrue(longestLease(DRAINER).compareTo(UNSEEN) <= 0,
                "no lease of a session that never heartbeat outlasts the unseen hold: " + longestLease(DRAINER));
        assertEquals(0, heldAfter, "its numbers are back in the pool within the unseen hold of its last start "
                + "(stopped at " + stopped + ")");
        String metrics = http.adminGet("/metrics").body();
        assertTrue(metrics.contains("calltrack_pool_capped_total{site=\"" + siteId + "\"}"), "the refused starts "
                + "are counted as an address over its share");
        assertTrue(!metrics.contains("calltrack_pool_exhausted_total"), "not as a pool too small");
        assertEquals(realTotal, realServed, "every real visitor was shown a pool number");
        assertTrue(visitors.stream().allMatch(v -> v.keptNumber), "and kept it while their page heartbeat");
        for (Visitor v : visitors.subList(0, 3)) {
            // left after 3 minutes: the number is still theirs for the full hold after their last heartbeat
            assertTrue(longestLeaseOf(v.session).compareTo(Duration.ofSeconds(HOLD)) > 0, v.ip + " kept it "
                    + longestLeaseOf(v.session));
        }
    }

    private HttpResponse<String> start(String ip, String clientId) {
        return http.send(http.builder("/v1/visitor/" + key + "/sessions").header("User-Agent", BROWSER)
                .header("X-Forwarded-For", ip).POST(HttpRequest.BodyPublishers.ofString(
                        "{\"clientId\":\"" + clientId + "\",\"page\":\"https://shop.example/\"}")), false);
    }

    private HttpResponse<String> heartbeat(Visitor v) {
        return http.send(http.builder("/v1/visitor/" + key + "/sessions/" + v.session + "/heartbeat")
                .header("User-Agent", BROWSER).header("X-Forwarded-For", v.ip)
                .POST(HttpRequest.BodyPublishers.ofString("")), false);
    }

    /** Pool numbers whose lease, at {@code at}, belongs to a session from {@code ip}. */
    private int heldBy(String ip, Instant at) throws Exception {
        try (var c = server.db().dataSource().getConnection(); var ps = c.prepareStatement("""
                SELECT count(*) FROM tracked_number t JOIN visitor_session s ON s.id = t.held_by
                 WHERE t.site_id = ? AND s.ip = ? AND t.held_until > ?""")) {
            ps.setLong(1, siteId);
            ps.setString(2, ip);
            ps.setTimestamp(3, Timestamp.from(at));
            try (var rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    /** The longest lease in the history of sessions from {@code ip}. */
    private Duration longestLease(String ip) throws Exception {
        return longest("JOIN visitor_session s ON s.id = l.session_id WHERE s.ip = ?", ip);
    }

    private Duration longestLeaseOf(String session) throws Exception {
        return longest("WHERE l.session_id = ?::uuid", session);
    }

    private Duration longest(String where, String param) throws Exception {
        try (var c = server.db().dataSource().getConnection(); var ps = c.prepareStatement(
                "SELECT coalesce(max(extract(epoch FROM l.held_until - l.leased_at)), 0) FROM number_lease l " + where)) {
            ps.setString(1, param);
            try (var rs = ps.executeQuery()) {
                rs.next();
                return Duration.ofMillis(Math.round(rs.getDouble(1) * 1000));
            }
        }
    }
}
