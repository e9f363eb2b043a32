package io.calltrack.routing;

import java.time.Instant;

/**
 * Routing for one ringing call: reads the site's current rules (so a change applies to the next call, on every
 * instance) and runs the engine. Blocking: call it off I/O threads.
 */
public final class RoutingService {
    private final RoutingRepository repository;
    private final RoutingEngine engine;

    public RoutingService(RoutingRepository repository) {
        this.repository = repository;
        this.engine = new RoutingEngine(department -> repository.nextTurn(department.id()));
    }

    public RoutePlan plan(RouteRequest request) {
        return engine.plan(request, repository.load(request.siteId()));
    }

    /** The manager took a call: least-recently-called routing puts them last for a while. */
    public void recordConnected(long managerId, Instant at) {
        repository.recordConnected(managerId, at);
    }
}
