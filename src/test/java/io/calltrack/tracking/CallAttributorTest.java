package io.calltrack.tracking;

import io.calltrack.support.MutableClock;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.calltrack.platform.db.Jdbc;
import io.calltrack.support.TestDatabase;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class CallAttributorTest {
    /** tracking.unseen-lease-hold's default: a session that never heartbeat holds its pool number this long. */
    static final java.time.Duration UNSEEN = java.time.Duration.ofMinutes(2);
    static final int HOLD = 600;

    TestDatabase db;
    TrackingFixture fx;
    MutableClock clock = new MutableClock(Instant.parse("2026-03-02T10:00:00Z"));
    VisitorSessions sessions;
    CallAttributor attributor;
    Site site;

    @BeforeEach
    void setUp() {
        db = TestDatabase.create();
        fx = new TrackingFixture(db.dataSource());
        sessions = new VisitorSessions(new Jdbc(db.dataSource()),
                new NumberLeases(NumberLeases.ReusePolicy.LEAST_RECENTLY_RELEASED, Duration.ofSeconds(10)),
                new BotDetector(List.of("bot")), new TrackIds(4), new SimpleMeterRegistry(), clock, 1_000, UNSEEN);
        attributor = new CallAttributor(new Jdbc(db.dataSource()), new SiteRepository(new Jdbc(db.dataSource())),
                new PhoneNumbers("US"));
        site = fx.site(HOLD);
    }

    @AfterEach
    void tearDown() {
        db.close();
    }

    @Test
    void aStaticNumberNamesItsChannel() {
        Channel billboard = fx.channel(site, "billboard-north", Channel.Tracking.STATIC, null);
        TrackedNumber n = fx.staticNumber(site, billboard, "+13125559999");
        Attribution a = attributor.attribute("(312) 555-9999", clock.instant());
        assertEquals(Attribution.Kind.STATIC, a.kind());
        assertEquals(Optional.of(site.id()), a.number().siteId());
        assertEquals(Optional.of(n.id()), a.number().numberId());
        assertEquals("+13125559999", a.number().e164());
        assertEquals(Optional.of("billboard-north"), a.channelName());
        assertEquals(Optional.empty(), a.visit().sessionId());
        assertEquals("static", a.kind().dbValue());
    }

    @Test
    void aPoolNumberNamesTheSessionThatHeldItIncludingTheHoldTime() {
        Channel ads = fx.channel(site, "google-ads", Channel.Tracking.DYNAMIC, "google");
        TrackedNumber n = fx.pool(site, 0, 1).get(0);
        VisitorSessions.Shown shown = sessions.start(site, new VisitorSessions.Visit("cid-1",
                Optional.of("https://shop.example/shoes?utm_source=google"), Optional.of("https://www.google.com/"),
                new VisitorSession.Utm(Optional.of("google"), Optional.of("cpc"), Optional.of("spring"),
                        Optional.of("red shoes"), Optional.empty()), ClickIds.NONE, AnalyticsIds.NONE,
                Optional.of("Mozilla/5.0 Firefox/120"), Optional.empty()));
        Instant start = clock.instant();
        sessions.heartbeat(site, shown.sessionId(), VisitorSessions.Heartbeat.NONE); // the page was seen

        Attribution during = attributor.attribute("13125550000", start.plusSeconds(60));
        assertEquals(Attribution.Kind.DYNAMIC, during.kind());
        assertEquals(Optional.of(shown.sessionId()), during.visit().sessionId());
        assertEquals(Optional.of(n.id()), during.number().numberId());
        assertEquals(Optional.of(ads.id()), during.visit().lastTouch().channelId());
        assertEquals(Optional.of("google-ads"), during.channelName());
        assertEquals(Optional.of("google"), during.source());
        assertEquals(Optional.of("cpc"), during.visit().lastTouch().medium());
        assertEquals(Optional.of("spring"), during.campaign());
        assertEquals(Optional.of("red shoes"), during.visit().lastTouch().keyword());
        assertEquals(Optional.of("https://shop.example/shoes?utm_source=google"), during.visit().lastTouch().landingPage());
        assertEquals(Optional.of("cid-1"), during.visit().clientId());

        assertEquals(Attribution.Kind.DYNAMIC, attributor.attribute("+13125550000", start.plusSeconds(HOLD - 1)).kind(),
                "the visitor left, but the number is theirs for the hold time");
        Attribution after = attributor.attribute("+13125550000", start.plusSeconds(HOLD + 1));
        assertEquals(Attribution.Kind.UNATTRIBUTED, after.kind());
        assertEquals(Optional.of(site.id()), after.number().siteId());
        assertEquals(Optional.empty(), after.visit().sessionId());
        assertEquals(Attribution.Kind.UNATTRIBUTED,
                attributor.attribute("+13125550000", start.minusSeconds(1)).kind(), "before any lease");
    }

    @Test
    void aCallIsCreditedToTheSessionsLastTouchAndKnowsItsFirstAndTheVisitorsAnalyticsIds() {
        fx.pool(site, 0, 1);
        Channel organic = fx.channel(site, Channel.ORGANIC, Channel.Tracking.DYNAMIC, null);
        Channel direct = fx.channel(site, "yandex-direct", Channel.Tracking.DYNAMIC, "yandex");
        VisitorSessions.Visit search = TrackingFixture.visitTo("cid-1", "https://shop.example/", "https://yandex.ru/search/");
        var shown = sessions.start(site, new VisitorSessions.Visit(search.clientId(), search.page(), search.referrer(),
                search.utm(), search.clickIds(), AnalyticsIds.fromCookies("GA1.1.111.222", "1700000000123456789"),
                search.userAgent(), search.ip()));
        Instant start = clock.instant();
        clock.advance(Duration.ofMinutes(3));
        sessions.start(site, TrackingFixture.visitTo("cid-1", "https://shop.example/?yclid=6812059218724716543",
                "https://yandex.ru/"));

        Attribution a = attributor.attribute(shown.e164(), clock.instant().plusSeconds(30));
        assertEquals(Optional.of(direct.id()), a.visit().lastTouch().channelId());
        assertEquals(Optional.of("yandex-direct"), a.channelName());
        assertEquals(Optional.of("yandex"), a.source(), "a yclid is a Yandex Direct click");
        assertEquals(Optional.of("6812059218724716543"), a.visit().touches().last().clickIds().yclid());
        assertEquals(Optional.of(clock.instant()), a.visit().touches().last().at());
        Touch first = a.visit().touches().first();
        assertEquals(Optional.of(organic.id()), first.channelId());
        assertEquals(Optional.of(Channel.ORGANIC), first.channelName());
        assertEquals(Optional.of(start), first.at());
        assertEquals(Optional.of("https://shop.example/"), first.landingPage());
        assertEquals(new AnalyticsIds(Optional.of("111.222"), Optional.of("1700000000123456789")), a.visit().analyticsIds());

        Attribution byCode = attributor.byTrackId(site.id(), shown.trackId().orElseThrow(), clock.instant())
                .orElseThrow();
        assertEquals(a.visit().touches(), byCode.visit().touches(), "a Track ID links the same touches");
        assertEquals(a.visit().analyticsIds(), byCode.visit().analyticsIds());
    }

    @Test
    void aCallAfterTheNumberWasReleasedAndReLeasedNamesTheNewHolder() {
        fx.pool(site, 0, 1);
        var first = sessions.start(site, TrackingFixture.visit("a"));
        sessions.heartbeat(site, first.sessionId(), VisitorSessions.Heartbeat.NONE); // the page was seen
        clock.advance(Duration.ofSeconds(HOLD + 5));
        var second = sessions.start(site, TrackingFixture.visit("b"));
        assertEquals(first.e164(), second.e164());
        assertEquals(Optional.of(first.sessionId()),
                attributor.attribute(first.e164(), clock.instant().minusSeconds(10)).visit().sessionId());
        assertEquals(Optional.of(second.sessionId()), attributor.attribute(first.e164(), clock.instant()).visit().sessionId());
    }

    @Test
    void overlappingLeasesAreAmbiguousNeverAGuess() {
        fx.pool(site, 0, 1);
        var held = sessions.start(site, TrackingFixture.visit("a"));
        var other = sessions.start(site, TrackingFixture.visit("b")); // fallback, no lease
        // history that overlaps (e.g. restored from a backup taken mid-lease): two candidates for one call
        new Jdbc(db.dataSource()).withHandle(h -> h.createUpdate("""
                        INSERT INTO number_lease (number_id, session_id, leased_at, held_until)
                        SELECT number_id, :other, leased_at, held_until FROM number_lease""")
                .bind("other", other.sessionId()).execute());
        Attribution a = attributor.attribute(held.e164(), clock.instant().plusSeconds(5));
        assertEquals(Attribution.Kind.AMBIGUOUS, a.kind());
        assertEquals(Optional.empty(), a.visit().sessionId());
        assertEquals(Optional.of(site.id()), a.number().siteId());
    }

    @Test
    void numbersOfNoSiteAreUnknownAndTheFallbackNumberBelongsToItsSite() {
        assertEquals(Attribution.Kind.UNKNOWN_NUMBER, attributor.attribute("+14155550123", clock.instant()).kind());
        Attribution garbage = attributor.attribute("anonymous", clock.instant());
        assertEquals(Attribution.Kind.UNKNOWN_NUMBER, garbage.kind());
        assertEquals("anonymous", garbage.number().e164());
        Attribution fallback = attributor.attribute(TrackingFixture.FALLBACK, clock.instant());
        assertEquals(Attribution.Kind.UNATTRIBUTED, fallback.kind());
        assertEquals(Optional.of(site.id()), fallback.number().siteId());
    }

    @Test
    void theSiteWishForATrackIdAndTheNumbersTrackIdEntryArePassedOn() {
        SiteRepository repo = new SiteRepository(new Jdbc(db.dataSource()));
        repo.update(site.id(), new SiteRepository.SiteData(site.name(), site.timeZone(), 30, 30, HOLD,
                site.fallbackNumber(), List.of(), true, Optional.empty()));
        new TrackedNumberRepository(new Jdbc(db.dataSource())).create(site.id(),
                new TrackedNumberRepository.NumberData("+13125550042", TrackedNumber.Kind.POOL, Optional.empty(), true));
        Attribution a = attributor.attribute("+13125550042", clock.instant());
        assertEquals(Attribution.Kind.UNATTRIBUTED, a.kind());
        assertTrue(a.number().askTrackIdWhenUnattributed());
        assertTrue(a.number().trackIdEntry());
    }

    @Test
    void aTrackIdFindsTheSessionThatShowedItWhileItWasLive() {
        fx.pool(site, 0, 1);
        var shown = sessions.start(site, TrackingFixture.visit("a"));
        String trackId = shown.trackId().orElseThrow();
        Attribution a = attributor.byTrackId(site.id(), trackId, clock.instant().plusSeconds(30)).orElseThrow();
        assertEquals(Attribution.Kind.TRACK_ID, a.kind());
        assertEquals(Optional.of(shown.sessionId()), a.visit().sessionId());
        assertEquals(Optional.of("a"), a.visit().clientId());
        assertFalse(attributor.byTrackId(site.id(), trackId, clock.instant().plusSeconds(HOLD + 1)).isPresent(),
                "no longer live");
        Site otherSite = fx.site(HOLD);
        assertFalse(attributor.byTrackId(otherSite.id(), trackId, clock.instant()).isPresent(), "other site");
    }
}
