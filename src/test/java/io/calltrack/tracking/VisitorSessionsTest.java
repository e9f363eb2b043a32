package io.calltrack.tracking;

import io.calltrack.support.MutableClock;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.zaxxer.hikari.HikariDataSource;
import io.calltrack.platform.db.DatabaseUnavailableException;
import io.calltrack.platform.db.Jdbc;
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
    /** tracking.unseen-lease-hold's default: a session that never heartbeat holds its pool number this long. */
    static final java.time.Duration UNSEEN = java.time.Duration.ofMinutes(2);
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
        return new VisitorSessions(new Jdbc(ds), leases(), new BotDetector(List.of("bot", "crawler")), new TrackIds(4),
                registry, clock, 1_000, UNSEEN);
    }

    static NumberLeases leases() {
        return new NumberLeases(NumberLeases.ReusePolicy.LEAST_RECENTLY_RELEASED, Duration.ofSeconds(10));
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
        assertEquals(clock.instant().plus(UNSEEN), a.expiresAt(), "until its page is seen (a heartbeat)");
        assertEquals(clock.instant().plusSeconds(HOLD), beat(a.sessionId()).orElseThrow().expiresAt());
        assertEquals(Duration.ofSeconds(HOLD), beat(a.sessionId()).orElseThrow().held());
        assertEquals(Optional.of(only.id()), sessions.find(a.sessionId()).orElseThrow().numberId());
        assertEquals(false, sessions.find(a.sessionId()).orElseThrow().noNumber());

        clock.advance(Duration.ofSeconds(HOLD - 1));
        VisitorSessions.Shown b = sessions.start(site, TrackingFixture.visit("b"));
        assertEquals(VisitorSessions.NumberSource.FALLBACK, b.source());
        assertEquals(true, sessions.find(b.sessionId()).orElseThrow().noNumber(), "pool health counts it as unserved");
        assertEquals(only.e164(), beat(a.sessionId()).orElseThrow().e164());
        sessions.end(site, a.sessionId()); // the visitor closed the page: the number stays theirs for the hold time

        clock.advance(Duration.ofSeconds(HOLD - 1));
        assertEquals(VisitorSessions.NumberSource.FALLBACK, sessions.start(site, TrackingFixture.visit("c")).source());

        clock.advance(Duration.ofSeconds(1));
        VisitorSessions.Shown d = sessions.start(site, TrackingFixture.visit("d"));
        assertEquals(only.e164(), d.e164());
        assertEquals(Optional.empty(), beat(a.sessionId()), "a's hold time has passed");
    }

    /**
     * One address took a whole pool in 0.2 s: 100 starts with fresh client ids from one IP now get at most the
     * address's share (4 here), counted as capped, and the pool still serves the other visitors.
     */
    @Test
    void oneAddressFloodingStartsGetsItsShareAndThePoolStillServesEveryoneElse() {
        fx.pool(site, 0, 20);
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        VisitorSessions capped = new VisitorSessions(new Jdbc(db.dataSource()), leases(),
                new BotDetector(List.of("bot")), new TrackIds(4), registry, clock, 4, UNSEEN);
        int pool = 0;
        for (int i = 0; i < 100; i++) {
            if (capped.start(site, TrackingFixture.visitFrom("scraper-" + i, "203.0.113.9")).source()
                    == VisitorSessions.NumberSource.POOL) pool++;
        }
        assertEquals(4, pool, "the flooding address holds its share, no more");
        assertEquals(96.0, registry.get("calltrack.pool.capped").counter().count());
        for (int i = 0; i < 16; i++) {
            assertEquals(VisitorSessions.NumberSource.POOL,
                    capped.start(site, TrackingFixture.visitFrom("real-" + i, "198.51.100." + i)).source(),
                    "visitor " + i + " from another address gets a number");
        }
        assertTrue(registry.find("calltrack.pool.exhausted").counter() == null, "capping is not exhaustion");
    }

    @Test
    void aVisitorShownTheFallbackGetsAPoolNumberOnAHeartbeatOnceOneIsFree() {
        TrackedNumber only = fx.pool(site, 0, 1).get(0);
        beat(sessions.start(site, TrackingFixture.visit("a")).sessionId()); // then a's page is closed: no more heartbeats
        VisitorSessions.Shown b = sessions.start(site, TrackingFixture.visit("b"));
        assertEquals(VisitorSessions.NumberSource.FALLBACK, b.source());

        clock.advance(Duration.ofSeconds(HOLD - 1));
        assertEquals(VisitorSessions.NumberSource.FALLBACK, beat(b.sessionId()).orElseThrow()
                .source(), "a still holds the only number");
        clock.advance(Duration.ofSeconds(1));
        VisitorSessions.Shown later = beat(b.sessionId()).orElseThrow();
        assertEquals(VisitorSessions.NumberSource.POOL, later.source());
        assertEquals(only.e164(), later.e164());
        assertEquals(only.e164(), beat(b.sessionId()).orElseThrow().e164(), "and keeps it");
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
        List.of(a, b, c).forEach(s -> beat(s.sessionId())); // their pages were seen
        clock.advance(Duration.ofSeconds(10));
        beat(a.sessionId());
        clock.advance(Duration.ofSeconds(10));
        beat(b.sessionId());
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

    /**
     * A session started and never heartbeat (no page of it was ever visible: a script's start, a prerendered page
     * nobody opened) gives its number back after the unseen-lease hold, not the site's; once it heartbeat it keeps
     * the full hold. Its late heartbeat never takes the number from the visitor who has it now.
     */
    @Test
    void aSessionThatNeverHeartbeatGivesItsNumberBackAfterTheUnseenHold() {
        TrackedNumber only = fx.pool(site, 0, 1).get(0);
        var unseen = sessions.start(site, TrackingFixture.visit("unseen"));
        assertEquals(only.e164(), unseen.e164());
        assertEquals(UNSEEN, unseen.held());
        clock.advance(UNSEEN.minusSeconds(1));
        assertEquals(VisitorSessions.NumberSource.FALLBACK, sessions.start(site, TrackingFixture.visit("early")).source());
        clock.advance(Duration.ofSeconds(1));
        var next = sessions.start(site, TrackingFixture.visit("next"));
        assertEquals(only.e164(), next.e164(), "free after the unseen hold, not after " + HOLD + " s");
        assertEquals(Optional.of(next.sessionId()), holders(only.id(), clock.instant()).stream().findFirst());
        assertEquals(List.of(unseen.sessionId()), holders(only.id(), clock.instant().minusSeconds(1)));

        var late = beat(unseen.sessionId()).orElseThrow();
        assertEquals(VisitorSessions.NumberSource.FALLBACK, late.source(), "never another visitor's number");
        beat(next.sessionId());
        clock.advance(Duration.ofSeconds(HOLD - 1));
        assertEquals(VisitorSessions.NumberSource.FALLBACK, sessions.start(site, TrackingFixture.visit("later")).source(),
                "a session that heartbeat holds the full hold after its last heartbeat");
        assertEquals(only.e164(), beat(next.sessionId()).orElseThrow().e164());
    }

    /** A returning visitor whose unseen lease lapsed gets their number back if it is free, else a free one. */
    @Test
    void aReturningVisitorGetsTheirLapsedNumberBackIfFreeElseAFreeOneNeverAnotherVisitors() {
        List<TrackedNumber> pool = fx.pool(site, 0, 3);
        var v = sessions.start(site, TrackingFixture.visit("returning"));
        assertEquals(pool.get(0).e164(), v.e164());
        clock.advance(UNSEEN.plusSeconds(1));
        var back = sessions.start(site, TrackingFixture.visit("returning"));
        assertTrue(back.resumed());
        assertEquals(v.sessionId(), back.sessionId());
        assertEquals(pool.get(0).e164(), back.e164(), "their own number, though never-used ones are free too");

        clock.advance(UNSEEN.plusSeconds(1));
        var w = sessions.start(site, TrackingFixture.visit("w"));
        var x = sessions.start(site, TrackingFixture.visit("x"));
        var y = sessions.start(site, TrackingFixture.visit("y"));
        assertEquals(pool.get(0).e164(), y.e164(), "the lapsed number went to the next visitor once the pool ran out");
        TrackedNumber added = fx.pool(site, 3, 1).get(0);
        var again = sessions.start(site, TrackingFixture.visit("returning"));
        assertEquals(v.sessionId(), again.sessionId());
        assertEquals(added.e164(), again.e164(), "a free number, not y's");
        assertEquals(pool.get(0).e164(), beat(y.sessionId()).orElseThrow().e164(), "y keeps theirs");
        assertEquals(3, java.util.stream.Stream.of(w, x, y).map(VisitorSessions.Shown::e164).distinct().count());
    }

    /**
     * Two live sessions of a site never show the same Track ID: a caller's code must name one visit. With one-digit
     * codes (nine of them) six live sessions would share a code by chance nine times in ten.
     */
    @Test
    void liveSessionsOfASiteShowDifferentTrackIds() {
        VisitorSessions oneDigit = new VisitorSessions(new Jdbc(db.dataSource()), leases(),
                new BotDetector(List.of("bot")), new TrackIds(1), metrics, clock, 1_000, UNSEEN);
        fx.pool(site, 0, 6);
        List<String> codes = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            codes.add(oneDigit.start(site, TrackingFixture.visit("visitor-" + i)).trackId().orElseThrow());
        }
        assertEquals(6, new java.util.HashSet<>(codes).size(), codes.toString());
    }

    @Test
    void aReturningVisitorKeepsSessionNumberAndTrackIdWithinTheHoldTime() {
        fx.pool(site, 0, 2);
        var first = sessions.start(site, TrackingFixture.visit("visitor"));
        sessions.end(site, first.sessionId());
        assertTrue(sessions.find(first.sessionId()).orElseThrow().endedAt().isPresent());
        clock.advance(Duration.ofSeconds(HOLD - 1));
        var second = sessions.start(site, new VisitorSessions.Visit("visitor", Optional.of("https://shop.example/contact"),
                Optional.empty(), VisitorSession.Utm.NONE, ClickIds.NONE, AnalyticsIds.NONE, Optional.of(BROWSER),
                Optional.empty()));
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
    void aReturningVisitorsNewPaidClickBecomesTheLastTouchAndTheSessionKeepsItsNumber() {
        fx.pool(site, 0, 2);
        Channel ads = fx.channel(site, "google-ads", Channel.Tracking.DYNAMIC, "google");
        var direct = sessions.start(site, TrackingFixture.visitTo("visitor", "https://shop.example/", null));
        beat(direct.sessionId());
        clock.advance(Duration.ofMinutes(5));
        String ad = "https://shop.example/sofas?utm_source=google&utm_medium=cpc&utm_campaign=spring&gclid=A1";
        var paid = sessions.start(site, TrackingFixture.visitTo("visitor", ad, "https://www.google.com/"));
        assertTrue(paid.resumed());
        assertEquals(direct.sessionId(), paid.sessionId());
        assertEquals(direct.e164(), paid.e164(), "the number stays");
        assertEquals(direct.trackId(), paid.trackId());

        VisitorSession stored = sessions.find(paid.sessionId()).orElseThrow();
        Touch first = stored.touches().first();
        assertEquals(Optional.of("https://shop.example/"), first.landingPage());
        assertEquals(VisitorSession.Utm.NONE, first.utm());
        assertEquals(Optional.of(clock.instant().minus(Duration.ofMinutes(5))), first.at());
        Touch last = stored.lastTouch().orElseThrow();
        assertEquals(Optional.of(clock.instant()), last.at());
        assertEquals(Optional.of(ads.id()), last.channelId());
        assertEquals(Optional.of("spring"), last.campaign());
        assertEquals(Optional.of("A1"), last.clickIds().gclid());
        assertEquals(Optional.of(ad), last.landingPage());

        // the next pages of the visit, or a direct visit, change nothing: the paid click keeps the session's calls
        clock.advance(Duration.ofMinutes(1));
        sessions.start(site, TrackingFixture.visitTo("visitor", "https://shop.example/contact", "https://shop.example/sofas"));
        sessions.start(site, TrackingFixture.visitTo("visitor", ad, "https://www.google.com/"));
        assertEquals(Optional.of(last), sessions.find(paid.sessionId()).orElseThrow().lastTouch());
        assertEquals(1L, count("SELECT count(*) FROM number_lease"), "one lease all along");
    }

    @Test
    void aPaidClickByAStaticChannelKeepsThePoolNumberTheVisitorIsShown() {
        List<TrackedNumber> pool = fx.pool(site, 0, 1);
        Channel billboard = fx.channel(site, "billboard-north", Channel.Tracking.STATIC, "billboard");
        fx.staticNumber(site, billboard, "+13125559999");
        var first = sessions.start(site, TrackingFixture.visitTo("visitor", "https://shop.example/", null));
        var back = sessions.start(site, TrackingFixture.visitTo("visitor", "https://shop.example/?utm_source=billboard", null));
        assertEquals(pool.get(0).e164(), back.e164());
        assertEquals(pool.get(0).e164(), beat(first.sessionId()).orElseThrow().e164(), "heartbeats keep it too");
        assertEquals(Optional.of(billboard.id()),
                sessions.find(first.sessionId()).orElseThrow().lastTouch().orElseThrow().channelId());
    }

    @Test
    void anAdNetworksClickIdWithoutUtmParametersIsThatNetworksPaidClickNotOrganic() {
        fx.pool(site, 0, 1);
        Channel ads = fx.channel(site, "google-ads", Channel.Tracking.DYNAMIC, "google");
        fx.channel(site, Channel.ORGANIC, Channel.Tracking.DYNAMIC, null);
        var s = sessions.start(site, TrackingFixture.visitTo("visitor", "https://shop.example/?gclid=Cj0KCQ", "https://www.google.com/"));
        VisitorSession stored = sessions.find(s.sessionId()).orElseThrow();
        assertEquals(Optional.of(ads.id()), stored.channelId());
        assertEquals(Optional.of("google"), stored.utm().source());
        assertEquals(Optional.of("cpc"), stored.utm().medium());
        assertEquals(Optional.of("Cj0KCQ"), stored.clickIds().gclid());
    }

    @Test
    void aHeartbeatNotesASinglePageNavigationAndCookiesSetLateAndAnEmptyOneKeepsThem() {
        fx.pool(site, 0, 1);
        var s = sessions.start(site, TrackingFixture.visitTo("visitor", "https://shop.example/", null));
        assertEquals(AnalyticsIds.NONE, sessions.find(s.sessionId()).orElseThrow().analyticsIds());
        AnalyticsIds late = AnalyticsIds.fromCookies("GA1.1.1234567890.1700000000", "1700000000123456789");
        var kept = sessions.heartbeat(site, s.sessionId(),
                new VisitorSessions.Heartbeat(Optional.of("https://shop.example/cart"), late)).orElseThrow();
        assertEquals(s.e164(), kept.e164());
        VisitorSession stored = sessions.find(s.sessionId()).orElseThrow();
        assertEquals(Optional.of("https://shop.example/cart"), stored.currentPage());
        assertEquals(Optional.of("1234567890.1700000000"), stored.analyticsIds().gaClientId());
        assertEquals(Optional.of("1700000000123456789"), stored.analyticsIds().ymClientId());

        clock.advance(Duration.ofSeconds(30));
        beat(s.sessionId());
        sessions.start(site, TrackingFixture.visitTo("visitor", "https://shop.example/checkout", null));
        VisitorSession later = sessions.find(s.sessionId()).orElseThrow();
        assertEquals(late, later.analyticsIds(), "a page that does not report them keeps them");
        assertEquals(Optional.of("https://shop.example/checkout"), later.currentPage());
        assertEquals(clock.instant(), later.lastSeenAt());
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
                VisitorSession.Utm.NONE, ClickIds.NONE, AnalyticsIds.NONE, Optional.empty(), Optional.empty()));
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
        var kept = beat(fromBillboard.sessionId()).orElseThrow();
        assertEquals(VisitorSessions.NumberSource.STATIC, kept.source());
        assertEquals(billboardNumber.e164(), kept.e164());
        var nextPage = sessions.start(site, visit("a", BROWSER, null));
        assertTrue(nextPage.resumed());
        assertEquals(billboardNumber.e164(), nextPage.e164());
        assertEquals(1L, count("SELECT count(*) FROM number_lease"));
    }

    @Test
    void trackIdsHaveTheConfiguredLengthAndAreUniqueAmongLiveSessions() {
        VisitorSessions threeDigits = new VisitorSessions(new Jdbc(db.dataSource()), leases(),
                new BotDetector(List.of("bot")), new TrackIds(3), metrics, clock, 1_000, UNSEEN);
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
                ClickIds.NONE, AnalyticsIds.NONE, Optional.ofNullable(userAgent), Optional.of("192.0.2.1"));
    }

    /** A heartbeat that brings no news. */
    Optional<VisitorSessions.Shown> beat(java.util.UUID session) {
        return sessions.heartbeat(site, session, VisitorSessions.Heartbeat.NONE);
    }

    /** Who held the number at {@code at} by the whole lease history: the test's own reading, not the server's. */
    List<java.util.UUID> holders(long numberId, Instant at) {
        return new Jdbc(db.dataSource()).withHandle(h -> h.createQuery("""
                        SELECT session_id FROM number_lease
                         WHERE number_id = :numberId AND leased_at <= :at AND held_until > :at ORDER BY id""")
                .bind("numberId", numberId).bind("at", at).mapTo(java.util.UUID.class).list());
    }

    static double exhausted(SimpleMeterRegistry registry) {
        return registry.find("calltrack.pool.exhausted").counters().stream().mapToDouble(c -> c.count()).sum();
    }

    long count(String sql) {
        return new Jdbc(db.dataSource()).withHandle(h -> h.createQuery(sql).mapTo(Long.class).one());
    }
}
