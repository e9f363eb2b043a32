package io.calltrack.tracking;

import io.calltrack.support.MutableClock;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.zaxxer.hikari.HikariDataSource;
import io.calltrack.db.DatabaseUnavailableException;
import io.calltrack.db.Jdbc;
import io.calltrack.support.TestDatabase;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class VisitorSessionsTest {
    static final int HOLD = 900;
    static final String BROWSER = "Mozilla/5.0 (X11; Linux x86_64) Firefox/120.0";

    TestDatabase db;
    TrackingFixture fx;
    MutableClock clock = new MutableClock(Instant.parse("2026-03-02T10:00:00Z"));
    SimpleMeterRegistry metrics = new SimpleMeterRegistry();
    VisitorSessions sessions;
    Site site;

    @BeforeEach
    void setUp() {
        db = TestDatabase.create();
        fx = new TrackingFixture(db.dataSource());
        sessions = service(db.dataSource(), metrics);
        site = fx.site(HOLD);
    }

    @AfterEach
    void tearDown() {
        db.close();
    }

    VisitorSessions service(javax.sql.DataSource ds, SimpleMeterRegistry registry) {
        return new VisitorSessions(ds, new BotDetector(List.of("bot", "crawler")), new TrackIds(4), registry, clock,
                NumberLeases.ReusePolicy.LEAST_RECENTLY_RELEASED);
    }

    @Test
    void thousandConcurrentStartsFromTwoDataSourcesShareAPoolOfHundredExactly() throws Exception {
        fx.pool(site, 0, 100);
        SimpleMeterRegistry otherMetrics = new SimpleMeterRegistry();
        try (HikariDataSource other = TestDatabase.dataSource(db.url(), 10)) {
            // a second, independent pool of connections stands for a second server process
            VisitorSessions otherServer = service(other, otherMetrics);
            ExecutorService pool = Executors.newFixedThreadPool(32);
            List<Future<VisitorSessions.Shown>> started = new ArrayList<>();
            for (int i = 0; i < 1000; i++) {
                VisitorSessions server = i % 2 == 0 ? sessions : otherServer;
                String client = "client-" + i;
                started.add(pool.submit(() -> server.start(site, TrackingFixture.visit(client))));
            }
            List<VisitorSessions.Shown> shown = new ArrayList<>();
            for (Future<VisitorSessions.Shown> f : started) shown.add(f.get());
            pool.shutdown();

            List<VisitorSessions.Shown> leased = shown.stream()
                    .filter(s -> s.source() == VisitorSessions.NumberSource.POOL).toList();
            assertEquals(100, leased.size());
            assertEquals(100, leased.stream().map(VisitorSessions.Shown::e164).distinct().count());
            assertEquals(900, shown.stream().filter(s -> s.source() == VisitorSessions.NumberSource.FALLBACK
                    && s.e164().equals(TrackingFixture.FALLBACK)).count());
            assertEquals(900, exhausted(metrics) + exhausted(otherMetrics));
            assertEquals(900L, count("SELECT count(*) FROM visitor_session WHERE no_number AND number_id IS NULL"));
            assertEquals(100L, count("SELECT count(DISTINCT number_id) FROM number_lease"));
            assertEquals(100L, count("SELECT count(*) FROM number_lease"));
        }
    }

    @Test
    void numberIsReleasedOnlyAfterTheHoldTimeSinceTheLastHeartbeat() {
        TrackedNumber only = fx.pool(site, 0, 1).get(0);
        VisitorSessions.Shown a = sessions.start(site, TrackingFixture.visit("a"));
        assertEquals(only.e164(), a.e164());
        assertEquals(clock.instant().plusSeconds(HOLD), a.expiresAt());
        assertEquals(Optional.of(only.id()), sessions.find(a.sessionId()).orElseThrow().numberId());
        assertEquals(false, sessions.find(a.sessionId()).orElseThrow().noNumber());

        clock.advance(Duration.ofSeconds(HOLD - 1));
        VisitorSessions.Shown b = sessions.start(site, TrackingFixture.visit("b"));
        assertEquals(VisitorSessions.NumberSource.FALLBACK, b.source());
        assertEquals(true, sessions.find(b.sessionId()).orElseThrow().noNumber(), "pool health counts it as unserved");
        assertEquals(only.e164(), sessions.heartbeat(site, a.sessionId()).orElseThrow().e164());
        sessions.end(site, a.sessionId()); // the visitor closed the page: the number stays theirs for the hold time

        clock.advance(Duration.ofSeconds(HOLD - 1));
        assertEquals(VisitorSessions.NumberSource.FALLBACK, sessions.start(site, TrackingFixture.visit("c")).source());

        clock.advance(Duration.ofSeconds(1));
        VisitorSessions.Shown d = sessions.start(site, TrackingFixture.visit("d"));
        assertEquals(only.e164(), d.e164());
        assertEquals(Optional.empty(), sessions.heartbeat(site, a.sessionId()), "a's hold time has passed");
    }

    @Test
    void aVisitorShownTheFallbackGetsAPoolNumberOnAHeartbeatOnceOneIsFree() {
        TrackedNumber only = fx.pool(site, 0, 1).get(0);
        sessions.start(site, TrackingFixture.visit("a")); // then a's page is closed: no more heartbeats
        VisitorSessions.Shown b = sessions.start(site, TrackingFixture.visit("b"));
        assertEquals(VisitorSessions.NumberSource.FALLBACK, b.source());

        clock.advance(Duration.ofSeconds(HOLD - 1));
        assertEquals(VisitorSessions.NumberSource.FALLBACK, sessions.heartbeat(site, b.sessionId()).orElseThrow()
                .source(), "a still holds the only number");
        clock.advance(Duration.ofSeconds(1));
        VisitorSessions.Shown later = sessions.heartbeat(site, b.sessionId()).orElseThrow();
        assertEquals(VisitorSessions.NumberSource.POOL, later.source());
        assertEquals(only.e164(), later.e164());
        assertEquals(only.e164(), sessions.heartbeat(site, b.sessionId()).orElseThrow().e164(), "and keeps it");
    }

    @Test
    void poolChangesMadeElsewhereCountAtOnceNotWhenTheRememberedOrderAges() {
        List<TrackedNumber> pool = fx.pool(site, 0, 2);
        VisitorSessions otherServer = service(db.dataSource(), new SimpleMeterRegistry());
        assertEquals(pool.get(0).e164(), sessions.start(site, TrackingFixture.visit("a")).e164());
        // this server still remembers the second number as free; the other one takes it
        assertEquals(pool.get(1).e164(), otherServer.start(site, TrackingFixture.visit("b")).e164());
        assertEquals(VisitorSessions.NumberSource.FALLBACK, sessions.start(site, TrackingFixture.visit("c")).source(),
                "a number held by another server is never shown twice");
        TrackedNumber added = fx.pool(site, 2, 1).get(0);
        assertEquals(added.e164(), sessions.start(site, TrackingFixture.visit("d")).e164(),
                "a number added to a full pool is leased to the next visitor");
    }

    @Test
    void theNumberReleasedLongestAgoIsLeasedFirst() {
        List<TrackedNumber> pool = fx.pool(site, 0, 3);
        Instant t0 = clock.instant();
        var a = sessions.start(site, TrackingFixture.visit("a"));
        var b = sessions.start(site, TrackingFixture.visit("b"));
        var c = sessions.start(site, TrackingFixture.visit("c"));
        assertEquals(List.of(pool.get(0).e164(), pool.get(1).e164(), pool.get(2).e164()),
                List.of(a.e164(), b.e164(), c.e164()), "never-used numbers in creation order");
        clock.advance(Duration.ofSeconds(10));
        sessions.heartbeat(site, a.sessionId());
        clock.advance(Duration.ofSeconds(10));
        sessions.heartbeat(site, b.sessionId());
        // released: c's number at t0+H, a's at t0+10+H, b's at t0+20+H
        clock.advance(Duration.ofSeconds(HOLD + 30));
        var d = sessions.start(site, TrackingFixture.visit("d"));
        var e = sessions.start(site, TrackingFixture.visit("e"));
        var f = sessions.start(site, TrackingFixture.visit("f"));
        assertEquals(List.of(c.e164(), a.e164(), b.e164()), List.of(d.e164(), e.e164(), f.e164()));

        long n3 = pool.get(2).id();
        assertEquals(List.of(c.sessionId()), holders(n3, t0.plusSeconds(HOLD - 1)));
        assertEquals(List.of(), holders(n3, t0.plusSeconds(HOLD + 1)), "free between c's hold time and d's start");
        assertEquals(List.of(d.sessionId()), holders(n3, clock.instant()));
        assertEquals(List.of(a.sessionId()), holders(pool.get(0).id(), t0.plusSeconds(HOLD + 5)),
                "a's heartbeat at t0+10 kept the number until t0+10+H");
        assertEquals(List.of(), holders(pool.get(0).id(), t0.minusSeconds(1)), "nobody held it before the lease");
    }

    @Test
    void aReturningVisitorKeepsSessionNumberAndTrackIdWithinTheHoldTime() {
        fx.pool(site, 0, 2);
        var first = sessions.start(site, TrackingFixture.visit("visitor"));
        sessions.end(site, first.sessionId());
        assertTrue(sessions.find(first.sessionId()).orElseThrow().endedAt().isPresent());
        clock.advance(Duration.ofSeconds(HOLD - 1));
        var second = sessions.start(site, new VisitorSessions.Visit("visitor", Optional.of("https://shop.example/contact"),
                Optional.empty(), VisitorSession.Utm.NONE, Optional.of(BROWSER), Optional.empty()));
        VisitorSession stored = sessions.find(second.sessionId()).orElseThrow();
        assertEquals(Optional.of("https://shop.example/"), stored.firstPage());
        assertEquals(Optional.of("https://shop.example/contact"), stored.currentPage());
        assertEquals(Optional.empty(), stored.endedAt(), "the visitor is back");
        assertEquals(clock.instant(), stored.lastSeenAt());
        assertEquals(second.numberId(), stored.numberId());
        assertTrue(second.resumed());
        assertEquals(first.sessionId(), second.sessionId());
        assertEquals(first.e164(), second.e164());
        assertEquals(first.trackId(), second.trackId());

        clock.advance(Duration.ofSeconds(HOLD));
        var later = sessions.start(site, TrackingFixture.visit("visitor"));
        assertFalse(later.resumed(), "after the hold time the visit is a new session");
        assertNotEquals(first.sessionId(), later.sessionId());
    }

    @Test
    void botsGetTheFallbackOrStaticNumberAndNeverALease() {
        fx.pool(site, 0, 5);
        Channel billboard = fx.channel(site, "billboard-north", Channel.Tracking.STATIC, "billboard");
        TrackedNumber billboardNumber = fx.staticNumber(site, billboard, "+13125559999");
        var crawler = sessions.start(site, visit("crawler-1", "Mozilla/5.0 (compatible; Googlebot/2.1)", null));
        assertEquals(TrackingFixture.FALLBACK, crawler.e164());
        assertEquals(Optional.empty(), crawler.trackId());
        var noAgent = sessions.start(site, new VisitorSessions.Visit("x", Optional.empty(), Optional.empty(),
                VisitorSession.Utm.NONE, Optional.empty(), Optional.empty()));
        assertEquals(VisitorSessions.NumberSource.FALLBACK, noAgent.source());
        var billboardBot = sessions.start(site, visit("crawler-2", "SomeCrawler/1.0", "billboard"));
        assertEquals(billboardNumber.e164(), billboardBot.e164());
        assertEquals(0L, count("SELECT count(*) FROM number_lease"));
        assertEquals(3L, count("SELECT count(*) FROM visitor_session WHERE is_bot"));
        assertEquals(0, exhausted(metrics), "a bot is not an exhausted pool");
    }

    @Test
    void staticChannelVisitorsSeeTheChannelNumberWithoutALeaseOthersGetThePool() {
        List<TrackedNumber> pool = fx.pool(site, 0, 1);
        Channel billboard = fx.channel(site, "billboard-north", Channel.Tracking.STATIC, "billboard");
        fx.channel(site, "ads", Channel.Tracking.DYNAMIC, "google");
        TrackedNumber billboardNumber = fx.staticNumber(site, billboard, "+13125559999");
        var fromBillboard = sessions.start(site, visit("a", BROWSER, "billboard"));
        assertEquals(VisitorSessions.NumberSource.STATIC, fromBillboard.source());
        assertEquals(billboardNumber.e164(), fromBillboard.e164());
        var fromAds = sessions.start(site, visit("b", BROWSER, "google"));
        assertEquals(pool.get(0).e164(), fromAds.e164());
        // heartbeats and the next page keep the channel's number, still without a lease
        var kept = sessions.heartbeat(site, fromBillboard.sessionId()).orElseThrow();
        assertEquals(VisitorSessions.NumberSource.STATIC, kept.source());
        assertEquals(billboardNumber.e164(), kept.e164());
        var nextPage = sessions.start(site, visit("a", BROWSER, null));
        assertTrue(nextPage.resumed());
        assertEquals(billboardNumber.e164(), nextPage.e164());
        assertEquals(1L, count("SELECT count(*) FROM number_lease"));
    }

    @Test
    void trackIdsHaveTheConfiguredLengthAndAreUniqueAmongLiveSessions() {
        VisitorSessions threeDigits = new VisitorSessions(db.dataSource(), new BotDetector(List.of("bot")),
                new TrackIds(3), metrics, clock, NumberLeases.ReusePolicy.LEAST_RECENTLY_RELEASED);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 300; i++) ids.add(threeDigits.start(site, TrackingFixture.visit("v" + i)).trackId().orElseThrow());
        assertTrue(ids.stream().allMatch(id -> id.matches("[1-9][0-9]{2}")), ids.toString());
        Set<String> distinct = ids.stream().collect(Collectors.toSet());
        assertEquals(300, distinct.size());
    }

    @Test
    void aLostDatabaseIsReportedAsUnavailableNotAsAWrongNumber() {
        fx.pool(site, 0, 1);
        HikariDataSource gone = TestDatabase.dataSource(db.url(), 1);
        VisitorSessions cut = service(gone, metrics);
        gone.close();
        assertThrows(DatabaseUnavailableException.class,
                () -> cut.start(site, TrackingFixture.visit("a")));
        assertEquals(0L, count("SELECT count(*) FROM number_lease"), "nothing half-leased");
    }

    static VisitorSessions.Visit visit(String client, String userAgent, String utmSource) {
        return new VisitorSessions.Visit(client, Optional.of("https://shop.example/"), Optional.empty(),
                new VisitorSession.Utm(Optional.ofNullable(utmSource), Optional.empty(), Optional.empty(),
                        Optional.empty(), Optional.empty()),
                Optional.ofNullable(userAgent), Optional.of("192.0.2.1"));
    }

    /** Who held the number at {@code at} by the whole lease history: the test's own reading, not the server's. */
    List<java.util.UUID> holders(long numberId, Instant at) {
        return new Jdbc(db.dataSource()).withConnection(c -> {
            try (var ps = c.prepareStatement("SELECT session_id FROM number_lease "
                    + "WHERE number_id = ? AND leased_at <= ? AND held_until > ? ORDER BY id")) {
                ps.setLong(1, numberId);
                ps.setTimestamp(2, java.sql.Timestamp.from(at));
                ps.setTimestamp(3, java.sql.Timestamp.from(at));
                List<java.util.UUID> out = new ArrayList<>();
                try (var rs = ps.executeQuery()) {
                    while (rs.next()) out.add(rs.getObject(1, java.util.UUID.class));
                }
                return out;
            }
        });
    }

    static double exhausted(SimpleMeterRegistry registry) {
        return registry.find("calltrack.pool.exhausted").counters().stream().mapToDouble(c -> c.count()).sum();
    }

    long count(String sql) {
        return new Jdbc(db.dataSource()).withConnection(c -> {
            try (var rs = c.createStatement().executeQuery(sql)) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }
}
