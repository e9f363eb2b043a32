package io.calltrack;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.calltrack.calls.CallListener;
import io.calltrack.config.AdminToken;
import io.calltrack.config.CalltrackConfig;
import io.calltrack.db.Database;
import io.calltrack.db.Jdbc;
import io.calltrack.db.Migrations;
import io.calltrack.http.AdminAuth;
import io.calltrack.http.HttpServer;
import io.calltrack.http.Route;
import io.calltrack.http.RouteProvider;
import io.calltrack.http.SystemRoutes;
import io.calltrack.reports.ReportRoutes;
import io.calltrack.reports.delivery.Deliveries;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The composition root: builds every component from the configuration, starts the listeners, stops them. */
public final class App implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(App.class);

    private final List<AutoCloseable> running = new ArrayList<>();
    /** Told about every finished or re-classified call; pass to the calls package. */
    private final List<CallListener> callListeners = new ArrayList<>();
    private HttpServer http;

    private App() {}

    /** Starts everything; on failure stops what had already started (the embedded PostgreSQL above all). */
    public static App start(CalltrackConfig config) throws Exception {
        App app = new App();
        try {
            app.boot(config);
            return app;
        } catch (Exception | Error e) {
            app.close();
            throw e;
        }
    }

    private void boot(CalltrackConfig config) throws Exception {
        Database database = remember(Database.open(config.database()));
        Migrations.apply(database.dataSource());
        PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        ObjectMapper json = Json.mapper();
        Jdbc jdbc = new Jdbc(database.dataSource());

        Deliveries deliveries = remember(Deliveries.start(jdbc, config.outbox(), json, Clock.systemUTC()));
        callListeners.add(deliveries.listener());

        List<RouteProvider> providers = List.of(
                new SystemRoutes(database.dataSource(), metrics),
                new ReportRoutes(jdbc, Clock.systemUTC()),
                deliveries.routes());
        List<Route> routes = new ArrayList<>();
        providers.forEach(p -> routes.addAll(p.routes()));
        http = remember(HttpServer.start(config.http().host(), config.http().port(), config.http().workerThreads(),
                routes, new AdminAuth(AdminToken.resolve(config)), json));
    }

    private <T extends AutoCloseable> T remember(T component) {
        running.add(0, component);
        return component;
    }

    public int httpPort() {
        return http.port();
    }

    @Override
    public void close() {
        for (AutoCloseable c : running) {
            try {
                c.close();
            } catch (Exception e) {
                log.warn("{} did not stop cleanly: {}", c.getClass().getSimpleName(), e.toString());
            }
        }
    }
}
