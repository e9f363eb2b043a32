package io.calltrack.routing;

import io.calltrack.config.CalltrackConfig;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routing for one ringing call: the site's current rules (a change applies to the next call, on every instance)
 * and the engine. Rules, departments and managers are kept in memory per site and reloaded when the site's routing
 * version moves; each call costs one query, for that version and the managers' live state.
 * Blocking: call it off I/O threads.
 */
public final class RoutingService {
    private static final Logger log = LoggerFactory.getLogger(RoutingService.class);

    private final RoutingRepository repository;
    private final RoutingEngine engine;
    /** the same engine on the same rules, reading round-robin turns without taking them */
    private final RoutingEngine preview;
    private final Map<Long, Versioned> cached = new ConcurrentHashMap<>();

    /** {@code explained}: the telephonies already told which of this version's managers they cannot reach. */
    private record Versioned(long version, RoutingSnapshot snapshot, Set<Telephony> explained) {}

    public RoutingService(RoutingRepository repository, CalltrackConfig.Routing config) {
        this.repository = repository;
        this.engine = new RoutingEngine(department -> repository.nextTurn(department.id()),
                config.closedHoursRingTime());
        this.preview = new RoutingEngine(department -> repository.peekTurn(department.id()),
                config.closedHoursRingTime());
    }

    public RoutePlan plan(RouteRequest request) {
        return engine.plan(request, current(request));
    }

    /**
     * What {@link #plan} would answer for this call now, and why, without moving any round-robin cursor: the
     * "who gets this call?" preview. Nothing is written.
     */
    public RouteExplanation preview(RouteRequest request) {
        RoutingSnapshot snapshot = current(request);
        return RouteExplanation.of(request, snapshot, preview.plan(request, snapshot));
    }

    /** The site's rules (cached per routing version) with its managers' live state as of now. */
    private RoutingSnapshot current(RouteRequest request) {
        RoutingRepository.LiveState live = repository.liveState(request.siteId());
        Versioned known = cached.get(request.siteId());
        if (known == null || known.version() != live.version()) {
            // loaded after the version was read: at least as new as that version, so caching it under it is safe
            known = new Versioned(live.version(), repository.load(request.siteId()), ConcurrentHashMap.newKeySet());
            cached.put(request.siteId(), known);
        }
        if (known.explained().add(request.telephony())) explainSkipped(request, known.snapshot());
        return known.snapshot().with(live.managers());
    }

    /** Once per routing version and telephony: the managers its calls skip because they lack the form it needs. */
    private static void explainSkipped(RouteRequest request, RoutingSnapshot snapshot) {
        List<String> skipped = snapshot.departments().values().stream()
                .flatMap(d -> d.managers().stream()
                        .filter(m -> m.destinationFor(request.telephony()).isEmpty())
                        .map(m -> d.name() + "/" + m.name()))
                .sorted().toList();
        if (skipped.isEmpty()) return;
        if (request.telephony() == Telephony.ASTERISK) {
            log.warn("site {}: calls from Asterisk (FastAGI) skip managers {}: they have no dialString, only a sipUri "
                    + "for the SIP redirect. Give them a dialString (e.g. PJSIP/101) to ring them through Asterisk",
                    request.siteId(), skipped);
        } else {
            log.warn("site {}: INVITEs to the SIP redirect skip managers {}: they have no sipUri, only a dialString "
                    + "for Asterisk. Give them a sipUri (e.g. sip:101@10.0.0.5) to redirect calls to them",
                    request.siteId(), skipped);
        }
    }

    /** The manager took a call: least-recently-called routing puts them last for a while. */
    public void recordConnected(long managerId, Instant at) {
        repository.recordConnected(managerId, at);
    }
}
