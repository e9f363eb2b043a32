package io.calltrack.http;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.sql.Connection;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/** {@code GET /health} (is the database reachable) and {@code GET /metrics} in Prometheus text format. */
public final class SystemRoutes implements RouteProvider {
    private final DataSource dataSource;
    private final PrometheusMeterRegistry metrics;

    public SystemRoutes(DataSource dataSource, PrometheusMeterRegistry metrics) {
        this.dataSource = dataSource;
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
        try (Connection c = dataSource.getConnection()) {
            if (c.isValid(2)) return ApiResponse.ok(Map.of("status", "up", "database", "up"));
        } catch (Exception e) {
            // reported below
        }
        return ApiResponse.json(503, Map.of("status", "down", "database", "unreachable"));
    }
}
