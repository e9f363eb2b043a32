package io.calltrack.routing;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Routing for one ringing call: the site's current rules (a change applies to the next call, on every instance)
 * and the engine. Rules, departments and managers are kept in memory per site and reloaded when the site's routing
 * version moves; each call costs one query, for that version and the managers' live state.
 * Blocking: call it off I/O threads.
 */
public final class RoutingService {
    private final RoutingRepository repository;
    private final RoutingEngine engine;
    private final Map<Long, Versioned> cached = new ConcurrentHashMap<>();

    private record Versioned(long version, RoutingSnapshot snapshot) {}

    public RoutingService(RoutingRepository repository) {
        this.repository = repository;
        this.engine = new RoutingEngine(department -> repository.nextTurn(department.id()));
    }

    public RoutePlan plan(RouteRequest request) {
        return engine.plan(request, current(request.siteId()));
    }

    private RoutingSnapshot current(long siteId) {
        RoutingRepository.LiveState live = repository.liveState(siteId);
        Versioned known = cached.get(siteId);
        if (known == null || known.version() != live.version()) {
            // loaded after the version was read: at least as new as that version, so caching it under it is safe
            known = new Versioned(live.version(), repository.load(siteId));
            cached.put(siteId, known);
        }
        return known.snapshot().with(live.managers());
    }

    /** The manager took a call: least-recently-called routing puts them last for a while. */
    public void recordConnected(long managerId, Instant at) {
        repository.recordConnected(managerId, at);
    }
}
