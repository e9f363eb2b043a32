package io.calltrack.routing;

import java.time.Instant;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.ToLongFunction;

/**
 * Pure routing logic: from a call and a site's rules, the ordered destinations to try. Knows no database and no
 * wire format; round-robin positions come from {@code nextTurn} (shared through PostgreSQL in production).
 * Only destinations the call's {@link Telephony} can use are planned: managers without a dial string (or, for the
 * SIP redirect, without a SIP URI) are left out before a strategy orders the rest, and so are external and
 * closed-hours destinations of the other form, and voicemail for the SIP redirect.
 */
public final class RoutingEngine {
    private final ToLongFunction<Department> nextTurn;
    private final int closedHoursRingSeconds;

    /**
     * {@code nextTurn}: a department's round-robin counter, advanced by one on each call;
     * {@code closedHoursRingTime}: how long the closed-hours destination rings (routing.closed-hours-ring-time).
     */
    public RoutingEngine(ToLongFunction<Department> nextTurn, Duration closedHoursRingTime) {
        this.nextTurn = nextTurn;
        this.closedHoursRingSeconds = (int) closedHoursRingTime.toSeconds();
    }

    public RoutePlan plan(RouteRequest request, RoutingSnapshot site) {
        var local = request.at().atZone(request.siteZone());
        boolean closedOnly = false;
        for (Rule rule : site.rules()) {
            if (!rule.enabled() || !rule.when().match(request)) continue;
            if (!rule.schedule().isOpen(local)) {
                closedOnly = true;
                continue;
            }
            return new RoutePlan(destinations(rule.then(), request, site), Optional.of(rule.name()), false);
        }
        if (!closedOnly) return RoutePlan.NONE;
        List<Destination> closed = request.closedHoursDestination()
                .filter(d -> DialStrings.telephonyOf(d) == request.telephony())
                .map(d -> List.of(Destination.external(d, closedHoursRingSeconds)))
                .orElse(List.of());
        return new RoutePlan(closed, Optional.empty(), true);
    }

    private List<Destination> destinations(Rule.Action action, RouteRequest request, RoutingSnapshot site) {
        List<Destination> out = new ArrayList<>();
        Set<Long> offered = new LinkedHashSet<>();
        department(site, action.department(), action.strategy(), request, offered, out);
        for (Rule.Overflow step : action.overflow()) {
            if (step instanceof Rule.Overflow.ToDepartment d) {
                department(site, d.department(), d.strategy(), request, offered, out);
            } else if (step instanceof Rule.Overflow.ToExternal e) {
                if (DialStrings.telephonyOf(e.dialString()) != request.telephony()) continue;
                out.add(Destination.external(e.dialString(), e.timeoutSeconds()));
            } else if (step instanceof Rule.Overflow.ToVoicemail v) {
                if (request.telephony() != Telephony.ASTERISK) continue;
                out.add(Destination.voicemail(v.mailbox()));
            }
        }
        return out;
    }

    /** Adds the department's available managers not offered the call yet, in the strategy's order. */
    private void department(RoutingSnapshot site, String name, Strategy strategy, RouteRequest request,
                            Set<Long> offered, List<Destination> out) {
        Department d = site.departments().get(name);
        if (d == null) return; // validated on import; a department deleted since simply has no one to offer
        Telephony telephony = request.telephony();
        List<Manager> available = d.managers().stream()
                .filter(Manager::available).filter(m -> m.destinationFor(telephony).isPresent())
                .filter(m -> !offered.contains(m.id())).toList();
        if (available.isEmpty()) return;
        List<Manager> ordered = switch (strategy) {
            case STICKY -> sticky(available, request.repeatCaller() ? request.lastManagerId() : Optional.empty());
            case ROUND_ROBIN -> rotate(available, nextTurn.applyAsLong(d));
            case LEAST_RECENTLY_CALLED, RING_ALL -> leastRecentlyCalled(available);
        };
        ordered.forEach(m -> offered.add(m.id()));
        if (strategy == Strategy.RING_ALL) {
            out.add(new Destination(Destination.Kind.RING_ALL, ordered.stream()
                    .map(m -> new Destination.Endpoint(m.destinationFor(telephony).orElseThrow(), Optional.of(m.id())))
                    .toList(), ordered.stream().mapToInt(Manager::ringTimeoutSeconds).max().orElseThrow(),
                    Optional.of(d.id())));
            return;
        }
        ordered.forEach(m -> out.add(Destination.manager(m.destinationFor(telephony).orElseThrow(), m.id(),
                m.ringTimeoutSeconds(), d.id())));
    }

    private static List<Manager> sticky(List<Manager> available, Optional<Long> lastManager) {
        List<Manager> ordered = new ArrayList<>(leastRecentlyCalled(available));
        lastManager.flatMap(id -> ordered.stream().filter(m -> m.id() == id).findFirst()).ifPresent(m -> {
            ordered.remove(m);
            ordered.add(0, m);
        });
        return ordered;
    }

    private static List<Manager> rotate(List<Manager> available, long turn) {
        int start = (int) Math.floorMod(turn, (long) available.size());
        List<Manager> ordered = new ArrayList<>(available.subList(start, available.size()));
        ordered.addAll(available.subList(0, start));
        return ordered;
    }

    private static List<Manager> leastRecentlyCalled(List<Manager> available) {
        return available.stream()
                .sorted(Comparator.comparing((Manager m) -> m.lastCallAt().orElse(Instant.MIN))
                        .thenComparingLong(Manager::id))
                .toList();
    }
}
