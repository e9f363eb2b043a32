package io.calltrack.http;

import io.calltrack.db.Database;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.sql.Connection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code GET /health} (is the database reachable, and if calltrack knows why not, why) and {@code GET /metrics}
 * in Prometheus text format.
 */
public final class SystemRoutes implements RouteProvider {
    private final Database database;
    private final PrometheusMeterRegistry metrics;

    public SystemRoutes(Database database, PrometheusMeterRegistry metrics) {
        this.database = database;
        this.metrics = metrics;
    }

    @Override
    public List<Route> routes() {
        return List.of(
                Route.open("GET", "/health", req -> health()),
                Route.open("GET", "/metrics", req -> ApiResponse.text(200,
                        "text/plain; version=0.0.4; charset=utf-8", metrics.scrape())));
    }

    private ApiResponse health() {
        Optional<String> failure = database.failure();
        if (failure.isPresent()) {
            return ApiResponse.json(503, Map.of("status", "down", "database", "stopped", "reason", failure.get()));
        }
        try (Connection c = database.dataSource().getConnection()) {
            if (c.isValid(2)) return ApiResponse.ok(Map.of("status", "up", "database", "up"));
        } catch (Exception e) {
            // reported below
        }
        return ApiResponse.json(503, Map.of("status", "down", "database", "unreachable"));
    }
}
