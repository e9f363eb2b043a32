package io.calltrack;

import com.fasterxml.jackson.databind.ObjectMapper;
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
import io.calltrack.sip.LoggingRedirectRecorder;
import io.calltrack.sip.LoggingSipOutcomeSink;
import io.calltrack.sip.RedirectDecider;
import io.calltrack.sip.RedirectDecision;
import io.calltrack.sip.RedirectRecorder;
import io.calltrack.sip.SipOutcomeRoutes;
import io.calltrack.sip.SipOutcomeSink;
import io.calltrack.sip.SipService;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The composition root: builds every component from the configuration, starts the listeners, stops them. */
public final class App implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(App.class);

    private final List<AutoCloseable> running = new ArrayList<>();
    private HttpServer http;
    private SipService sip;

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

        // SIP ports: bound to routing (decider) and the calls repository (recorder, outcomes) on merge
        RedirectDecider sipDecider = request -> RedirectDecision.fallback("SIP routing is not bound to the routing engine");
        RedirectRecorder sipRecorder = new LoggingRedirectRecorder();
        SipOutcomeSink sipOutcomes = new LoggingSipOutcomeSink();
        if (config.sip().enabled()) {
            sip = remember(SipService.start(config.sip(), sipDecider, sipRecorder,
                    new Jdbc(database.dataSource()), metrics));
        }

        List<RouteProvider> providers = List.of(
                new SystemRoutes(database.dataSource(), metrics),
                new SipOutcomeRoutes(sipOutcomes));
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

    /** The SIP port (UDP and TCP) when SIP is enabled. */
    public Optional<Integer> sipPort() {
        return Optional.ofNullable(sip).map(SipService::port);
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
