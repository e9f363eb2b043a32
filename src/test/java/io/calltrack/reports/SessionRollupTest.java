package io.calltrack.reports;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.calltrack.platform.db.Jdbc;
import io.calltrack.support.TestDatabase;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Visits of closed days come from the rollup, of open days from raw sessions; both must give the same report. */
class SessionRollupTest {
    static final ZoneId NY = ZoneId.of("America/New_York");
    static TestDatabase db;
    static Jdbc jdbc;
    static long site;

    @BeforeAll
    static void dataset() {
        db = TestDatabase.create();
        jdbc = new Jdbc(db.dataSource());
        ReportFixture fx = new ReportFixture(db.dataSource());
        site = fx.site("America/New_York");
        long ch = fx.channel(site, "Ads", "static");
        long other = fx.channel(site, "Other", "dynamic");
        fx.session(site).channel(ch).campaign("a").at("2026-03-07T15:00:00Z").insert();
        fx.session(site).channel(ch).campaign("a").clickedLater(other, "c", 10).at("2026-03-08T16:00:00Z").insert();
        fx.session(site).channel(ch).campaign("b").at("2026-03-08T06:30:00Z").insert();
        fx.session(site).campaign("b").at("2026-03-08T07:30:00Z").insert();
        fx.session(site).channel(ch).bot().at("2026-03-08T08:30:00Z").insert();
        fx.session(site).channel(ch).at("2026-03-09T03:30:00Z").insert(); // Mar 8 23:30 EDT
        fx.call(site).channel(ch).campaign("b").caller("+12125550001").at("2026-03-08T09:00:00Z")
                .answered(3, 60, "target").insert();
    }

    @AfterAll
    static void stop() {
        db.close();
    }

    private static List<ReportRow> run(String now, Dimension d, Period p) {
        return run(now, d, p, AttributionModel.LAST);
    }

    private static List<ReportRow> run(String now, Dimension d, Period p, AttributionModel m) {
        SessionRollup rollup = new SessionRollup(jdbc, Clock.fixed(Instant.parse(now), ZoneOffset.UTC));
        return new ReportQuery(jdbc, rollup).run(site, NY, LocalDate.of(2026, 3, 7), LocalDate.of(2026, 3, 9), d, p, m);
    }

    @Test
    void openDaysReadRawSessionsAndClosedDaysTheRollupWithTheSameResult() {
        for (AttributionModel m : AttributionModel.values()) {
            for (Dimension d : Dimension.values()) {
                for (Period p : new Period[] {Period.DAY, Period.WEEK, Period.TOTAL}) {
                    // Mar 7 10:00 local: nothing in the range is closed yet.
                    List<ReportRow> raw = run("2026-03-07T15:00:00Z", d, p, m);
                    // Mar 8 00:30 local: Mar 7 is not closed for another 30 minutes; at 02:00 it is.
                    List<ReportRow> mixed = run("2026-03-08T07:00:00Z", d, p, m);
                    List<ReportRow> rolled = run("2026-03-20T00:00:00Z", d, p, m);
                    assertEquals(raw, mixed, m + "/" + d + "/" + p);
                    assertEquals(raw, rolled, m + "/" + d + "/" + p);
                }
            }
        }
        long days = jdbc.withHandle(h -> h.createQuery("SELECT count(*) FROM session_rollup_day WHERE site_id = :site")
                .bind("site", site).mapTo(Long.class).one());
        assertEquals(3, days);
        ReportRow total = run("2026-03-20T00:00:00Z", Dimension.NONE, Period.TOTAL).get(0);
        assertEquals(5, total.sessions(), "bots are not visits");
        assertEquals(1, total.calls());
        List<String> lastCampaigns = run("2026-03-20T00:00:00Z", Dimension.CAMPAIGN, Period.TOTAL).stream()
                .map(r -> r.key() + "=" + r.sessions()).toList();
        assertEquals(List.of("=1", "a=1", "b=2", "c=1"), lastCampaigns, "the later click counts for its campaign");
        List<String> firstCampaigns = run("2026-03-20T00:00:00Z", Dimension.CAMPAIGN, Period.TOTAL,
                AttributionModel.FIRST).stream().map(r -> r.key() + "=" + r.sessions()).toList();
        assertEquals(List.of("=1", "a=2", "b=2"), firstCampaigns);
    }

    @Test
    void aRolledUpDayStartsWhenTheReportsDayDoesWhereMidnightHappensTwice() {
        // Havana falls back at 01:00 to 00:00 on 2026-11-01: the day starts at the first 00:00 (04:00Z), and a visit
        // at the first 00:30 is on Nov 1 whether the day is read raw or from the rollup.
        ZoneId havana = ZoneId.of("America/Havana");
        ReportFixture fx = new ReportFixture(db.dataSource());
        long cuban = fx.site(havana.getId());
        fx.session(cuban).at("2026-10-31T12:00:00Z").insert();
        fx.session(cuban).at("2026-11-01T04:30:00Z").insert();
        LocalDate from = LocalDate.of(2026, 10, 31);
        LocalDate to = LocalDate.of(2026, 11, 1);
        List<String> raw = daily(cuban, havana, from, to, "2026-10-31T12:30:00Z");
        assertEquals(List.of("2026-10-31=1", "2026-11-01=1"), raw);
        assertEquals(raw, daily(cuban, havana, from, to, "2026-11-20T00:00:00Z"));
    }

    private static List<String> daily(long siteId, ZoneId zone, LocalDate from, LocalDate to, String now) {
        SessionRollup rollup = new SessionRollup(jdbc, Clock.fixed(Instant.parse(now), ZoneOffset.UTC));
        return new ReportQuery(jdbc, rollup).run(siteId, zone, from, to, Dimension.NONE, Period.DAY,
                AttributionModel.LAST).stream().map(r -> r.period() + "=" + r.sessions()).toList();
    }

    @Test
    void poolHealthOfAClosedDayIsKeptAndEqualsTheLiveSweep() {
        ReportFixture fx = new ReportFixture(db.dataSource());
        long pooled = fx.site("America/New_York");
        long n1 = fx.number(pooled, "+12125559001", "pool", null);
        var s1 = fx.session(pooled).number(n1).at("2026-03-08T15:00:00Z").lastSeen("2026-03-08T15:10:00Z").insert();
        fx.session(pooled).noNumber().at("2026-03-08T15:05:00Z").lastSeen("2026-03-08T15:06:00Z").insert();
        fx.lease(n1, s1, "2026-03-08T15:00:00Z", "2026-03-08T15:25:00Z");
        LocalDate day = LocalDate.of(2026, 3, 8);

        PoolHealth.Report live = new PoolHealth(jdbc, new SessionRollup(jdbc,
                Clock.fixed(Instant.parse("2026-03-08T20:00:00Z"), ZoneOffset.UTC))).run(pooled, NY, day, day);
        PoolHealth later = new PoolHealth(jdbc, new SessionRollup(jdbc,
                Clock.fixed(Instant.parse("2026-04-01T00:00:00Z"), ZoneOffset.UTC)));
        assertEquals(live, later.run(pooled, NY, day, day));
        assertEquals(2, live.peakConcurrentSessions());
        assertEquals(25.0, live.minutesAtExhaustion());
        assertEquals(1, live.sessionsWithoutNumber());

        fx.execute("DELETE FROM number_lease");
        assertEquals(live, later.run(pooled, NY, day, day), "a closed day is read from pool_health_day");
    }
}
