package io.calltrack.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RoutingEngineTest {
    static final ZoneId NEW_YORK = ZoneId.of("America/New_York");
    static final ZoneId MOSCOW = ZoneId.of("Europe/Moscow");
    static final Schedule WEEKDAYS_9_TO_18 = new Schedule(
            Set.of(DayOfWeek.MONDAY, DayOfWeek.TUESDAY, DayOfWeek.WEDNESDAY, DayOfWeek.THURSDAY, DayOfWeek.FRIDAY),
            List.of(new Schedule.HourRange(LocalTime.of(9, 0), LocalTime.of(18, 0))), Set.of());

    final Map<Long, Long> turns = new HashMap<>();
    final RoutingEngine engine = new RoutingEngine(d -> turns.merge(d.id(), 1L, Long::sum) - 1,
            Duration.ofSeconds(30));

    static Manager manager(long id, long dept, String dial) {
        return new Manager(id, dept, "m" + id, Optional.of(dial), Optional.empty(), true, 20, Optional.empty(),
                Optional.empty());
    }

    /** A manager the SIP redirect reaches at {@code sipUri}; with a {@code dial} string Asterisk reaches them too. */
    static Manager sipManager(long id, String dial, String sipUri) {
        return new Manager(id, 1, "m" + id, Optional.ofNullable(dial), Optional.of(sipUri), true, 20, Optional.empty(),
                Optional.empty());
    }

    static final Department SALES = new Department(1, "Sales", List.of(
            manager(11, 1, "PJSIP/101"), manager(12, 1, "PJSIP/102"), manager(13, 1, "PJSIP/103")));
    static final Department SUPPORT = new Department(2, "Support", List.of(manager(21, 2, "PJSIP/201")));

    static Rule rule(String name, Rule.Conditions when, Schedule schedule, Rule.Action then) {
        return new Rule(name.hashCode(), name, true, when, schedule, then);
    }

    static RoutingSnapshot site(Rule... rules) {
        return new RoutingSnapshot(List.of(rules), Map.of("Sales", SALES, "Support", SUPPORT));
    }

    static RouteRequest call(ZoneId zone, LocalDateTime local) {
        return new RouteRequest(1, zone, Optional.of("PJSIP/night-line"), Optional.of("+13125550001"),
                Optional.of("google-ads"),
                Optional.of("spring"), Optional.of("google"), Optional.of("+16175550123"), false, Optional.empty(),
                local.atZone(zone).toInstant(), Telephony.ASTERISK);
    }

    /** The same call, arriving as an INVITE at the SIP redirect. */
    static RouteRequest redirect(RouteRequest c) {
        return new RouteRequest(c.siteId(), c.siteZone(), c.closedHoursDestination(), c.trackedNumber(),
                c.channelName(), c.campaign(), c.source(), c.callerE164(), c.repeatCaller(), c.lastManagerId(), c.at(),
                Telephony.SIP_REDIRECT);
    }

    /** Each destination's one address (a phone, a number or a mailbox). */
    static List<String> dials(RoutePlan plan) {
        return plan.destinations().stream().map(d -> {
            assertEquals(1, d.endpoints().size(), d.toString());
            return d.endpoints().get(0).address();
        }).toList();
    }

    /** Each destination's endpoints' addresses: several for a ring-all group. */
    static List<List<String>> phones(RoutePlan plan) {
        return plan.destinations().stream().map(Destination::addresses).toList();
    }

    static Rule.Action sales(Strategy s, Rule.Overflow... overflow) {
        return new Rule.Action("Sales", s, List.of(overflow));
    }

    @Test
    void theFirstMatchingRuleWinsAndConditionsNarrowIt() {
        RoutingSnapshot site = site(
                rule("brand campaign", new Rule.Conditions(Set.of(), Set.of(), Set.of("brand"), Set.of(), List.of(),
                        Rule.CallerKind.ANY), Schedule.ALWAYS, new Rule.Action("Support", Strategy.ROUND_ROBIN, List.of())),
                rule("everything else", Rule.Conditions.ANY, Schedule.ALWAYS, sales(Strategy.LEAST_RECENTLY_CALLED)));
        RoutePlan plan = engine.plan(call(NEW_YORK, LocalDateTime.of(2026, 11, 23, 10, 0)), site);
        assertEquals(Optional.of("everything else"), plan.ruleName());
        assertEquals(List.of("PJSIP/101", "PJSIP/102", "PJSIP/103"), dials(plan));
    }

    @Test
    void callerPrefixAndRepeatConditions() {
        RoutingSnapshot site = site(
                rule("Boston repeat callers", new Rule.Conditions(Set.of(), Set.of(), Set.of(), Set.of(),
                        List.of("+1617"), Rule.CallerKind.REPEAT), Schedule.ALWAYS,
                        new Rule.Action("Support", Strategy.ROUND_ROBIN, List.of())));
        RouteRequest first = call(NEW_YORK, LocalDateTime.of(2026, 11, 23, 10, 0));
        assertEquals(RoutePlan.NONE, engine.plan(first, site), "a first-time caller does not match a repeat rule");
        RouteRequest repeat = new RouteRequest(1, NEW_YORK, first.closedHoursDestination(), first.trackedNumber(),
                first.channelName(), first.campaign(), first.source(), first.callerE164(), true, Optional.empty(),
                first.at(), Telephony.ASTERISK);
        assertEquals(List.of("PJSIP/201"), dials(engine.plan(repeat, site)));
    }

    @Test
    void roundRobinStartsOneFurtherOnEachCall() {
        RoutingSnapshot site = site(rule("all", Rule.Conditions.ANY, Schedule.ALWAYS, sales(Strategy.ROUND_ROBIN)));
        RouteRequest c = call(NEW_YORK, LocalDateTime.of(2026, 11, 23, 10, 0));
        assertEquals(List.of("PJSIP/101", "PJSIP/102", "PJSIP/103"), dials(engine.plan(c, site)));
        assertEquals(List.of("PJSIP/102", "PJSIP/103", "PJSIP/101"), dials(engine.plan(c, site)));
        assertEquals(List.of("PJSIP/103", "PJSIP/101", "PJSIP/102"), dials(engine.plan(c, site)));
        assertEquals(List.of("PJSIP/101", "PJSIP/102", "PJSIP/103"), dials(engine.plan(c, site)));
    }

    @Test
    void leastRecentlyCalledPutsTheLongestWaitingManagerFirst() {
        Instant now = Instant.parse("2026-11-23T15:00:00Z");
        Department sales = new Department(1, "Sales", List.of(
                manager(11, 1, "PJSIP/101").with(new Manager.Live(true, Optional.empty(), Optional.of(now.minusSeconds(60)))),
                manager(12, 1, "PJSIP/102").with(new Manager.Live(true, Optional.empty(), Optional.of(now.minusSeconds(3600)))),
                manager(13, 1, "PJSIP/103")));
        RoutingSnapshot site = new RoutingSnapshot(
                List.of(rule("all", Rule.Conditions.ANY, Schedule.ALWAYS, sales(Strategy.LEAST_RECENTLY_CALLED))),
                Map.of("Sales", sales));
        assertEquals(List.of("PJSIP/103", "PJSIP/102", "PJSIP/101"),
                dials(engine.plan(call(NEW_YORK, LocalDateTime.of(2026, 11, 23, 10, 0)), site)));
    }

    @Test
    void stickyReturnsARepeatCallerToTheirLastManager() {
        RoutingSnapshot site = site(rule("all", Rule.Conditions.ANY, Schedule.ALWAYS, sales(Strategy.STICKY)));
        RouteRequest c = call(NEW_YORK, LocalDateTime.of(2026, 11, 23, 10, 0));
        RouteRequest repeat = new RouteRequest(1, NEW_YORK, c.closedHoursDestination(), c.trackedNumber(),
                c.channelName(), c.campaign(), c.source(), c.callerE164(), true, Optional.of(13L), c.at(),
                Telephony.ASTERISK);
        assertEquals(List.of("PJSIP/103", "PJSIP/101", "PJSIP/102"), dials(engine.plan(repeat, site)));
        RouteRequest lastManagerLeft = new RouteRequest(1, NEW_YORK, c.closedHoursDestination(), c.trackedNumber(),
                c.channelName(), c.campaign(), c.source(), c.callerE164(), true, Optional.of(99L), c.at(),
                Telephony.ASTERISK);
        assertEquals(List.of("PJSIP/101", "PJSIP/102", "PJSIP/103"), dials(engine.plan(lastManagerLeft, site)));
    }

    @Test
    void ringAllDialsEveryAvailableManagerAtOnce() {
        RoutingSnapshot site = site(rule("all", Rule.Conditions.ANY, Schedule.ALWAYS, sales(Strategy.RING_ALL)));
        RoutePlan plan = engine.plan(call(NEW_YORK, LocalDateTime.of(2026, 11, 23, 10, 0)), site);
        assertEquals(List.of(List.of("PJSIP/101", "PJSIP/102", "PJSIP/103")), phones(plan), "one destination");
        assertEquals(Destination.Kind.RING_ALL, plan.destinations().get(0).kind());
        assertEquals(Optional.empty(), plan.destinations().get(0).managerId(), "whoever answers takes the call");
    }

    @Test
    void inactiveAndUnreachableManagersAreSkipped() {
        Department sales = new Department(1, "Sales", List.of(
                manager(11, 1, "PJSIP/101").with(new Manager.Live(false, Optional.empty(), Optional.empty())),
                sipManager(12, null, "sip:102@pbx").with(new Manager.Live(true, Optional.of(false), Optional.empty())),
                sipManager(13, null, "sip:103@pbx").with(new Manager.Live(true, Optional.of(true), Optional.empty()))));
        RoutingSnapshot site = new RoutingSnapshot(
                List.of(rule("all", Rule.Conditions.ANY, Schedule.ALWAYS, sales(Strategy.ROUND_ROBIN))),
                Map.of("Sales", sales));
        assertEquals(List.of("sip:103@pbx"), dials(engine.plan(redirect(call(NEW_YORK, LocalDateTime.of(2026, 11, 23, 10, 0))), site)));
    }

    @Test
    void overflowGoesToAnotherDepartmentThenOutsideThenVoicemailOfferingNobodyTwice() {
        RoutingSnapshot site = site(rule("all", Rule.Conditions.ANY, Schedule.ALWAYS, sales(Strategy.ROUND_ROBIN,
                new Rule.Overflow.ToDepartment("Support", Strategy.ROUND_ROBIN),
                new Rule.Overflow.ToDepartment("Sales", Strategy.RING_ALL),
                new Rule.Overflow.ToExternal("PJSIP/trunk/+12125550199", 25),
                new Rule.Overflow.ToVoicemail("100@default"))));
        RoutePlan plan = engine.plan(call(NEW_YORK, LocalDateTime.of(2026, 11, 23, 10, 0)), site);
        assertEquals(List.of("PJSIP/101", "PJSIP/102", "PJSIP/103", "PJSIP/201", "PJSIP/trunk/+12125550199",
                "100@default"), dials(plan));
        assertEquals(Destination.Kind.VOICEMAIL, plan.destinations().get(5).kind());
        assertEquals(25, plan.destinations().get(4).timeoutSeconds());
    }

    @Test
    void asteriskDialsWhatAManagerHasForItAndSkipsRedirectOnlyManagers() {
        Department sales = new Department(1, "Sales", List.of(sipManager(11, null, "sip:ann@10.0.0.5"),
                sipManager(12, "PJSIP/102", "sip:102@10.0.0.6"), manager(13, 1, "PJSIP/103")));
        RoutingSnapshot site = new RoutingSnapshot(List.of(rule("all", Rule.Conditions.ANY, Schedule.ALWAYS,
                sales(Strategy.ROUND_ROBIN, new Rule.Overflow.ToExternal("sip:+12125550199@carrier.example.com", 30),
                        new Rule.Overflow.ToExternal("PJSIP/trunk/+12125550199", 30),
                        new Rule.Overflow.ToVoicemail("100@default")))), Map.of("Sales", sales));
        RouteRequest c = call(NEW_YORK, LocalDateTime.of(2026, 11, 23, 10, 0));

        assertEquals(List.of("PJSIP/102", "PJSIP/103", "PJSIP/trunk/+12125550199", "100@default"),
                dials(engine.plan(c, site)), "Ann has no dial string; the SIP external is for the redirect");
        assertEquals(List.of("sip:102@10.0.0.6", "sip:ann@10.0.0.5", "sip:+12125550199@carrier.example.com"),
                dials(engine.plan(redirect(c), site)), "round robin turned once; Asterisk destinations and voicemail "
                        + "cannot be redirected to");
    }

    @Test
    void ringAllRingsTheManagersEachTelephonyReaches() {
        Department sales = new Department(1, "Sales", List.of(sipManager(11, "PJSIP/101", "sip:101@10.0.0.5"),
                manager(12, 1, "PJSIP/102"), sipManager(13, null, "sip:103@10.0.0.7")));
        RoutingSnapshot site = new RoutingSnapshot(List.of(rule("all", Rule.Conditions.ANY, Schedule.ALWAYS,
                sales(Strategy.RING_ALL))), Map.of("Sales", sales));
        RouteRequest c = call(NEW_YORK, LocalDateTime.of(2026, 11, 23, 10, 0));

        assertEquals(List.of(List.of("PJSIP/101", "PJSIP/102")), phones(engine.plan(c, site)));
        RoutePlan redirected = engine.plan(redirect(c), site);
        assertEquals(List.of(List.of("sip:101@10.0.0.5", "sip:103@10.0.0.7")), phones(redirected));
        assertEquals(List.of(Optional.of(11L), Optional.of(13L)), redirected.destinations().get(0).endpoints().stream()
                .map(Destination.Endpoint::managerId).toList(), "each phone keeps its manager");
    }

    @Test
    void aClosedHoursDestinationServesTheTelephonyItIsWrittenFor() {
        RoutingSnapshot site = site(rule("office", Rule.Conditions.ANY, WEEKDAYS_9_TO_18, sales(Strategy.ROUND_ROBIN)));
        RouteRequest c = call(NEW_YORK, LocalDateTime.of(2026, 11, 21, 10, 0));
        RouteRequest saturday = new RouteRequest(c.siteId(), c.siteZone(), Optional.of("sip:night@pbx.example.com"),
                c.trackedNumber(), c.channelName(), c.campaign(), c.source(), c.callerE164(), c.repeatCaller(),
                c.lastManagerId(), c.at(), c.telephony());
        assertEquals(List.of("sip:night@pbx.example.com"), dials(engine.plan(redirect(saturday), site)));
        RoutePlan asterisk = engine.plan(saturday, site);
        assertEquals(List.of(), dials(asterisk), "Asterisk cannot dial a SIP URI: the fallback takes the call");
        assertTrue(asterisk.closedHours());
    }

    @Test
    void closedHoursGoToTheSitesClosedHoursDestination() {
        RoutingSnapshot site = site(rule("office", Rule.Conditions.ANY, WEEKDAYS_9_TO_18, sales(Strategy.ROUND_ROBIN)));
        RoutePlan saturday = engine.plan(call(NEW_YORK, LocalDateTime.of(2026, 11, 21, 10, 0)), site);
        assertTrue(saturday.closedHours());
        assertEquals(List.of("PJSIP/night-line"), dials(saturday));
        RoutePlan evening = engine.plan(call(NEW_YORK, LocalDateTime.of(2026, 11, 23, 18, 0)), site);
        assertTrue(evening.closedHours(), "18:00 is after a 09:00-18:00 day");
        assertFalse(engine.plan(call(NEW_YORK, LocalDateTime.of(2026, 11, 23, 17, 59)), site).closedHours());
    }

    @Test
    void theClosedHoursDestinationRingsForTheConfiguredTime() {
        RoutingSnapshot site = site(rule("office", Rule.Conditions.ANY, WEEKDAYS_9_TO_18, sales(Strategy.ROUND_ROBIN)));
        RoutingEngine fortyFive = new RoutingEngine(d -> 0, Duration.ofSeconds(45));
        RoutePlan saturday = fortyFive.plan(call(NEW_YORK, LocalDateTime.of(2026, 11, 21, 10, 0)), site);
        assertEquals(45, saturday.destinations().get(0).timeoutSeconds());
    }

    @Test
    void schedulesFollowTheSitesWallClockAcrossDaylightSavingChanges() {
        RoutingSnapshot site = site(rule("office", Rule.Conditions.ANY, WEEKDAYS_9_TO_18, sales(Strategy.ROUND_ROBIN)));
        // Monday after the spring change (2026-03-08): 09:00 local is 13:00 UTC, one hour earlier than in winter
        assertFalse(at(site, NEW_YORK, Instant.parse("2026-03-09T13:00:00Z")).closedHours());
        assertTrue(at(site, NEW_YORK, Instant.parse("2026-03-09T12:59:00Z")).closedHours());
        // the Friday before: 09:00 local is 14:00 UTC
        assertTrue(at(site, NEW_YORK, Instant.parse("2026-03-06T13:30:00Z")).closedHours());
        assertFalse(at(site, NEW_YORK, Instant.parse("2026-03-06T14:00:00Z")).closedHours());
        // Monday after the autumn change (2026-11-01): back to 14:00 UTC
        assertTrue(at(site, NEW_YORK, Instant.parse("2026-11-02T13:30:00Z")).closedHours());
        assertFalse(at(site, NEW_YORK, Instant.parse("2026-11-02T14:00:00Z")).closedHours());
    }

    @Test
    void aZoneWithoutDaylightSavingKeepsTheSameUtcHoursAllYear() {
        RoutingSnapshot site = site(rule("office", Rule.Conditions.ANY, WEEKDAYS_9_TO_18, sales(Strategy.ROUND_ROBIN)));
        for (String monday : List.of("2026-03-09", "2026-07-06", "2026-11-02")) {
            Instant nineMoscow = Instant.parse(monday + "T06:00:00Z"); // UTC+3 all year
            assertFalse(at(site, MOSCOW, nineMoscow).closedHours(), monday);
            assertTrue(at(site, MOSCOW, nineMoscow.minusSeconds(60)).closedHours(), monday);
        }
    }

    @Test
    void anHourRangeCrossingMidnightBelongsToTheDayItStarts() {
        Schedule fridayNight = new Schedule(Set.of(DayOfWeek.FRIDAY),
                List.of(new Schedule.HourRange(LocalTime.of(22, 0), LocalTime.of(2, 0))), Set.of());
        assertTrue(fridayNight.isOpen(LocalDateTime.of(2026, 11, 20, 23, 30).atZone(NEW_YORK)));
        assertTrue(fridayNight.isOpen(LocalDateTime.of(2026, 11, 21, 1, 59).atZone(NEW_YORK)), "Saturday 01:59");
        assertFalse(fridayNight.isOpen(LocalDateTime.of(2026, 11, 21, 2, 0).atZone(NEW_YORK)));
        assertFalse(fridayNight.isOpen(LocalDateTime.of(2026, 11, 20, 1, 0).atZone(NEW_YORK)), "Friday 01:00 is Thursday's night");
    }

    @Test
    void holidaysAreClosedAllDay() {
        Schedule withHoliday = new Schedule(WEEKDAYS_9_TO_18.days(), WEEKDAYS_9_TO_18.hours(),
                Set.of(LocalDate.of(2026, 11, 26)));
        RoutingSnapshot site = site(rule("office", Rule.Conditions.ANY, withHoliday, sales(Strategy.ROUND_ROBIN)));
        assertTrue(engine.plan(call(NEW_YORK, LocalDateTime.of(2026, 11, 26, 11, 0)), site).closedHours());
        assertFalse(engine.plan(call(NEW_YORK, LocalDateTime.of(2026, 11, 27, 11, 0)), site).closedHours());
    }

    @Test
    void noMatchingRuleLeavesTheCallToTheFallback() {
        RoutingSnapshot site = site(rule("bing only", new Rule.Conditions(Set.of(), Set.of("bing-ads"), Set.of(),
                Set.of(), List.of(), Rule.CallerKind.ANY), Schedule.ALWAYS, sales(Strategy.ROUND_ROBIN)));
        RoutePlan plan = engine.plan(call(NEW_YORK, LocalDateTime.of(2026, 11, 23, 10, 0)), site);
        assertEquals(RoutePlan.NONE, plan);
        assertFalse(plan.closedHours());
    }

    private RoutePlan at(RoutingSnapshot site, ZoneId zone, Instant at) {
        RouteRequest c = call(zone, LocalDateTime.of(2026, 1, 1, 0, 0));
        return engine.plan(new RouteRequest(1, zone, c.closedHoursDestination(), c.trackedNumber(), c.channelName(),
                c.campaign(), c.source(),                c.callerE164(), false, Optional.empty(), at, Telephony.ASTERISK), site);
    }
}
