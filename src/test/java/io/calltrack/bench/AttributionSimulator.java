package io.calltrack.bench;

import io.calltrack.support.MutableClock;
import io.calltrack.platform.db.Jdbc;
import io.calltrack.tracking.Attribution;
import io.calltrack.tracking.BotDetector;
import io.calltrack.tracking.CallAttributor;

import io.calltrack.tracking.NumberLeases;
import io.calltrack.tracking.NumberLeases.ReusePolicy;
import io.calltrack.tracking.PhoneNumbers;
import io.calltrack.tracking.Site;
import io.calltrack.tracking.SiteRepository;
import io.calltrack.tracking.TrackIds;
import io.calltrack.tracking.TrackedNumber;
import io.calltrack.tracking.TrackedNumberRepository;
import io.calltrack.tracking.AnalyticsIds;
import io.calltrack.tracking.ClickIds;
import io.calltrack.tracking.VisitorSession;
import io.calltrack.tracking.VisitorSessions;
import io.calltrack.tracking.VisitorSessions;
import io.calltrack.tracking.VisitorSessions.NumberSource;
import io.calltrack.tracking.VisitorSessions.Shown;
import io.calltrack.tracking.VisitorSessions.Visit;
import io.calltrack.support.TestDatabase;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.Set;
import java.util.UUID;

/**
 * Drives the real leasing code ({@link VisitorSessions}, {@link CallAttributor}) on a real PostgreSQL with a
 * simulated day of website traffic, and checks every call's attribution against the ground truth: which visitor
 * really called. Time is simulated (a {@link MutableClock}), so a day runs in seconds.
 *
 * <p>Traffic: arrivals follow a daily curve peaking in the afternoon (Little's law sizes them for the requested
 * peak of concurrent visitors); session lengths are exponential; visitors heartbeat while on the site; some open
 * a second tab, some come back later the same day; a share of visitors call the number they were shown, during
 * the visit or some minutes after leaving.
 */
public final class AttributionSimulator {

    /** The simulated window starts at {@code firstHour} (site time) and lasts {@code hours}. */
    record Params(int peakConcurrent, int firstHour, int hours, double meanSessionMinutes, double callShare,
                  double meanCallDelayMinutes, int heartbeatSeconds, long seed) {}

    record Outcome(ReusePolicy policy, int pool, int holdMinutes, int visitors, int calls, int correct,
                   int misattributed, int ambiguous, int unattributed, int exhaustedMinutes) {
        double share(int n) {
            return calls == 0 ? 0 : 100.0 * n / calls;
        }

        String row() {
            return String.format("%-24s %5d %5dm %8d %6d %8.2f%% %8.2f%% %8.2f%% %8.2f%% %7d",
                    policy, pool, holdMinutes, visitors, calls, share(correct), share(misattributed),
                    share(ambiguous), share(unattributed), exhaustedMinutes);
        }
    }

    private enum Kind { ARRIVE, TAB, HEARTBEAT, LEAVE, CALL }

    private record Event(Instant at, Kind kind, Visitor visitor) {}

    /** One person on the site; {@code session} is the ground truth for their calls. */
    private static final class Visitor {
        final String clientId;
        UUID session;
        String shownNumber;
        NumberSource source;

        Visitor(String clientId) {
            this.clientId = clientId;
        }
    }

    private final Params p;

    AttributionSimulator(Params p) {
        this.p = p;
    }

    Outcome run(ReusePolicy policy, int poolSize, int holdMinutes) {
        try (TestDatabase db = TestDatabase.create()) {
            Jdbc jdbc = new Jdbc(db.dataSource());
            Site site = new SiteRepository(jdbc).create(new SiteRepository.SiteData("Sim", "UTC", 30, 30,
                    holdMinutes * 60, "+12125550100", List.of(), false, Optional.empty()), "sim-" + UUID.randomUUID());
            TrackedNumberRepository numbers = new TrackedNumberRepository(jdbc);
            for (int i = 0; i < poolSize; i++) {
                numbers.create(site.id(), new TrackedNumberRepository.NumberData(String.format("+1312555%04d", i),
                        TrackedNumber.Kind.POOL, Optional.empty(), false));
            }
            Instant start = Instant.parse("2026-11-23T00:00:00Z").plusSeconds(p.firstHour() * 3600L);
            MutableClock clock = new MutableClock(start);
            VisitorSessions sessions = new VisitorSessions(jdbc, new NumberLeases(policy, Duration.ofSeconds(10)),
                    new BotDetector(List.of("bot")), new TrackIds(4), new SimpleMeterRegistry(), clock, 1_000,
                    Duration.ofMinutes(2));
            CallAttributor attributor = new CallAttributor(jdbc, new SiteRepository(jdbc), new PhoneNumbers("US"));
            return simulate(policy, poolSize, holdMinutes, site, sessions, attributor, clock, start);
        }
    }

    private Outcome simulate(ReusePolicy policy, int poolSize, int holdMinutes, Site site, VisitorSessions sessions,
                             CallAttributor attributor, MutableClock clock, Instant start) {
        Random random = new Random(p.seed());
        PriorityQueue<Event> events = new PriorityQueue<>((a, b) -> a.at().compareTo(b.at()));
        double arrivalsPerMinuteAtPeak = p.peakConcurrent() / p.meanSessionMinutes();
        int visitors = 0;
        for (int minute = 0; minute < p.hours() * 60; minute++) {
            double hour = p.firstHour() + minute / 60.0;
            double curve = 0.1 + 0.9 * Math.exp(-Math.pow((hour - 15) / 4.0, 2)); // quiet nights, busy afternoons
            for (int k = poisson(random, arrivalsPerMinuteAtPeak * curve); k > 0; k--) {
                Visitor v = new Visitor("client-" + visitors++);
                events.add(new Event(start.plusSeconds(minute * 60L + random.nextInt(60)), Kind.ARRIVE, v));
            }
        }
        int calls = 0, correct = 0, misattributed = 0, ambiguous = 0, unattributed = 0;
        Set<Long> exhaustedMinutes = new HashSet<>();
        while (!events.isEmpty()) {
            Event e = events.poll();
            clock.set(e.at());
            Visitor v = e.visitor();
            switch (e.kind()) {
                case ARRIVE, TAB -> {
                    Shown shown = sessions.start(site, visit(v));
                    show(v, shown);
                    if (shown.source() == NumberSource.FALLBACK) {
                        exhaustedMinutes.add(Duration.between(start, e.at()).toMinutes());
                    }
                    if (e.kind() == Kind.TAB) break;
                    Instant leaves = e.at().plusSeconds((long) (exponential(random, p.meanSessionMinutes()) * 60));
                    for (Instant hb = e.at().plusSeconds(p.heartbeatSeconds()); hb.isBefore(leaves);
                         hb = hb.plusSeconds(p.heartbeatSeconds())) {
                        events.add(new Event(hb, Kind.HEARTBEAT, v));
                    }
                    // a page left before its first heartbeat sends one as it is hidden, as the snippet does
                    if (!e.at().plusSeconds(p.heartbeatSeconds()).isBefore(leaves)) {
                        events.add(new Event(leaves, Kind.HEARTBEAT, v));
                    }
                    events.add(new Event(leaves, Kind.LEAVE, v));
                    if (random.nextDouble() < 0.10) events.add(new Event(e.at().plusSeconds(30), Kind.TAB, v));
                    if (random.nextDouble() < p.callShare()) {
                        Instant callAt = random.nextDouble() < 0.6
                                ? e.at().plusMillis((long) (random.nextDouble() * Duration.between(e.at(), leaves).toMillis()))
                                : leaves.plusSeconds((long) (exponential(random, p.meanCallDelayMinutes()) * 60));
                        events.add(new Event(callAt, Kind.CALL, v));
                    } else if (random.nextDouble() < 0.15) {
                        // comes back later the same day (resumes the session if it is still held)
                        events.add(new Event(leaves.plusSeconds((long) (exponential(random, 20) * 60)), Kind.ARRIVE, v));
                    }
                }
                case HEARTBEAT -> sessions.heartbeat(site, v.session, VisitorSessions.Heartbeat.NONE).ifPresent(shown -> show(v, shown));
                case LEAVE -> sessions.end(site, v.session);
                case CALL -> {
                    calls++;
                    Attribution a = attributor.attribute(v.shownNumber, e.at());
                    switch (a.kind()) {
                        case DYNAMIC -> {
                            if (a.visit().sessionId().equals(Optional.of(v.session))) correct++;
                            else misattributed++; // called after the hold, when the number was someone else's
                        }
                        case AMBIGUOUS -> ambiguous++;
                        default -> unattributed++;
                    }
                }
            }
        }
        return new Outcome(policy, poolSize, holdMinutes, visitors, calls, correct, misattributed, ambiguous,
                unattributed, exhaustedMinutes.size());
    }

    private static void show(Visitor v, Shown shown) {
        v.session = shown.sessionId();
        v.shownNumber = shown.e164();
        v.source = shown.source();
    }

    private static Visit visit(Visitor v) {
        return new Visit(v.clientId, Optional.of("https://shop.example/?utm_source=google&utm_medium=cpc"),
                Optional.empty(), VisitorSession.Utm.NONE, ClickIds.NONE, AnalyticsIds.NONE,
                Optional.of("Mozilla/5.0 (X11; Linux x86_64) Firefox/120.0"),
                Optional.of("198.51.100." + (Math.abs(v.clientId.hashCode()) % 250)));
    }

    private static int poisson(Random r, double mean) {
        double l = Math.exp(-mean), prod = r.nextDouble();
        int k = 0;
        while (prod > l) {
            k++;
            prod *= r.nextDouble();
        }
        return k;
    }

    private static double exponential(Random r, double mean) {
        return -mean * Math.log(1 - r.nextDouble());
    }

    public static void main(String[] args) {
        int peak = intArg(args, "--peak", 20);
        int hours = intArg(args, "--hours", 8);
        List<Integer> holds = listArg(args, "--holds", List.of(15));
        List<Integer> pools = listArg(args, "--pools", List.of(peak * 2, peak * 4, peak * 6, peak * 8));
        // calls do not touch leasing, so a high share of callers only tightens the estimate
        Params params = new Params(peak, 15 - hours / 2, hours, 4.0, 0.25, 6.0, 60, 42);
        AttributionSimulator sim = new AttributionSimulator(params);
        System.out.printf("Attribution simulator: peak %d concurrent visitors at 15:00, %d h around it, mean visit %.0f min, "
                        + "%.0f%% call (60%% during the visit, else mean %.0f min after), heartbeat %d s%n",
                peak, hours, params.meanSessionMinutes(), params.callShare() * 100, params.meanCallDelayMinutes(),
                params.heartbeatSeconds());
        System.out.printf("%-24s %5s %6s %8s %6s %9s %9s %9s %9s %7s%n", "policy", "pool", "hold", "visitors",
                "calls", "correct", "misattr.", "ambig.", "unattr.", "exh.min");
        List<Outcome> lrr = new ArrayList<>();
        for (int hold : holds) {
            for (int pool : pools) {
                for (ReusePolicy policy : ReusePolicy.values()) {
                    Outcome o = sim.run(policy, pool, hold);
                    System.out.println(o.row());
                    if (policy == ReusePolicy.LEAST_RECENTLY_RELEASED) lrr.add(o);
                }
            }
        }
        for (int hold : holds) {
            lrr.stream().filter(o -> o.holdMinutes() == hold && o.share(o.misattributed()) < 1.0)
                    .mapToInt(Outcome::pool).min()
                    .ifPresentOrElse(
                            pool -> System.out.printf("Smallest pool with mis-attribution under 1%% at a peak of %d "
                                    + "concurrent visitors, hold %d min: %d numbers%n", peak, hold, pool),
                            () -> System.out.printf("No pool tried keeps mis-attribution under 1%% (hold %d min): "
                                    + "try larger --pools%n", hold));
        }
        System.exit(0);
    }

    private static int intArg(String[] args, String name, int fallback) {
        for (int i = 0; i + 1 < args.length; i++) if (args[i].equals(name)) return Integer.parseInt(args[i + 1]);
        return fallback;
    }

    private static List<Integer> listArg(String[] args, String name, List<Integer> fallback) {
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals(name)) return List.of(args[i + 1].split(",")).stream().map(Integer::parseInt).toList();
        }
        return fallback;
    }
}
