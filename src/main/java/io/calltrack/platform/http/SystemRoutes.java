package io.calltrack.platform.http;

import io.calltrack.access.Permission;
import io.calltrack.platform.db.Database;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.sql.Connection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code GET /health} (is the database reachable, and if calltrack knows why not, why; and is anything else wrong:
 * {@code degraded} with the problems, still 200 since the server serves) and {@code GET /metrics} in Prometheus
 * text format.
 */
public final class SystemRoutes implements RouteProvider {
    private final Database database;
    private final PrometheusMeterRegistry metrics;
    private final List<HealthCheck> checks;

    public SystemRoutes(Database database, PrometheusMeterRegistry metrics, List<HealthCheck> checks) {
        this.database = database;
        this.metrics = metrics;
        this.checks = List.copyOf(checks);
    }

    @Override
    public List<Route> routes() {
        return List.of(
                Route.open("GET", "/health", req -> health()),
                Route.guarded("GET", "/metrics", Need.of(Permission.METRICS), req -> ApiResponse.text(200,
                        "text/plain; version=0.0.4; charset=utf-8", metrics.scrape())));
    }

    private ApiResponse health() {
        Optional<String> failure = database.failure();
        if (failure.isPresent()) {
            return ApiResponse.json(503, Map.of("status", "down", "database", "stopped", "reason", failure.get()));
        }
        if (!databaseUp()) return ApiResponse.json(503, Map.of("status", "down", "database", "unreachable"));
        List<String> problems = checks.stream().flatMap(c -> c.problem().stream()).toList();
        return problems.isEmpty() ? ApiResponse.ok(Map.of("status", "up", "database", "up"))
                : ApiResponse.ok(Map.of("status", "degraded", "database", "up", "problems", problems));
    }

    private boolean databaseUp() {
        try (Connection c = database.dataSource().getConnection()) {
            return c.isValid(2);
        } catch (Exception e) {
            return false;
        }
    }
}
