package io.calltrack;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.calltrack.access.AccountStore;
import io.calltrack.access.ApiTokens;
import io.calltrack.access.AuditLog;
import io.calltrack.access.Authenticator;
import io.calltrack.access.BearerOrSession;
import io.calltrack.access.BrowserRequests;
import io.calltrack.access.CallerNumbers;
import io.calltrack.access.FirstOwner;
import io.calltrack.access.LoginThrottle;
import io.calltrack.access.Logins;
import io.calltrack.access.PasswordHasher;
import io.calltrack.access.PasswordRules;
import io.calltrack.access.PersonalDataEraser;
import io.calltrack.access.RecordingRetention;
import io.calltrack.access.RetentionTasks;
import io.calltrack.access.SessionAuthenticator;
import io.calltrack.access.SessionStore;
import io.calltrack.access.SessionTokens;
import io.calltrack.access.SitePrivacyStore;
import io.calltrack.access.TokenAuthenticator;
import io.calltrack.access.api.AuditRoutes;
import io.calltrack.access.api.AuditedRoutes;
import io.calltrack.access.api.PrivacyRoutes;
import io.calltrack.access.api.RequestAudit;
import io.calltrack.access.api.SessionRoutes;
import io.calltrack.access.api.TokenRoutes;
import io.calltrack.access.api.UserRoutes;
import io.calltrack.calls.CallIntake;
import io.calltrack.calls.CallLog;
import io.calltrack.calls.CallerHistories;
import io.calltrack.calls.RoutingPreview;
import io.calltrack.calls.CallLifecycle;
import io.calltrack.calls.CallListener;
import io.calltrack.calls.CallRepository;
import io.calltrack.calls.CallTags;
import io.calltrack.calls.RecordingFiles;
import io.calltrack.calls.SignalSpool;
import io.calltrack.calls.api.CallLogRoutes;
import io.calltrack.calls.api.CallRoutes;
import io.calltrack.calls.api.VisitorSessionRoutes;
import io.calltrack.console.ConsoleRoutes;
import io.calltrack.calls.api.RoutingPreviewRoutes;
import io.calltrack.config.AdminToken;
import io.calltrack.config.CalltrackConfig;
import io.calltrack.config.ConfigException;
import io.calltrack.config.PrivateFiles;
import io.calltrack.delivery.Deliveries;
import io.calltrack.platform.db.Database;
import io.calltrack.platform.db.Jdbc;
import io.calltrack.platform.db.Migrations;
import io.calltrack.platform.http.HttpServer;
import io.calltrack.platform.http.Route;
import io.calltrack.platform.http.RouteProvider;
import io.calltrack.platform.http.SystemRoutes;
import io.calltrack.platform.jobs.JobRepository;
import io.calltrack.platform.jobs.JobWorkers;
import io.calltrack.recordings.ShippedModel;
import io.calltrack.recordings.Transcriber;
import io.calltrack.recordings.TranscriptRepository;
import io.calltrack.recordings.TranscriptionHandler;
import io.calltrack.recordings.TranscriptionListener;
import io.calltrack.recordings.TranscriptionSettings;
import io.calltrack.recordings.VoskEngine;
import io.calltrack.recordings.api.TranscriptRoutes;
import io.calltrack.recordings.rules.SpeechRuleRepository;
import io.calltrack.recordings.rules.RuleApplier;
import io.calltrack.recordings.rules.RuleReapplication;
import io.calltrack.recordings.rules.api.SpeechRuleRoutes;
import io.calltrack.reports.api.ReportRoutes;
import io.calltrack.reports.CostStore;
import io.calltrack.reports.PoolHealth;
import io.calltrack.reports.ReportQuery;
import io.calltrack.reports.SessionRollup;
import io.calltrack.delivery.Deliveries;
import io.calltrack.delivery.DeliveryListener;
import io.calltrack.delivery.DeliverySettingsStore;
import io.calltrack.delivery.DeliveryTarget;
import io.calltrack.delivery.Outbox;
import io.calltrack.delivery.api.DeliveryRoutes;
import io.calltrack.routing.RoutingRepository;
import io.calltrack.routing.Destination;
import io.calltrack.routing.RoutingService;
import io.calltrack.routing.api.RoutingRoutes;
import io.calltrack.telephony.agi.AgiScripts;
import io.calltrack.telephony.agi.AgiServer;
import io.calltrack.telephony.agi.IncomingCallScript;
import io.calltrack.telephony.ami.AmiClient;
import io.calltrack.telephony.sip.CallRedirects;
import io.calltrack.telephony.sip.RoutedRedirectDecider;
import io.calltrack.telephony.sip.SipOutcomeRoutes;
import io.calltrack.telephony.sip.SipService;
import io.calltrack.tracking.BotDetector;
import io.calltrack.tracking.CallAttributor;
import io.calltrack.tracking.InstallationCheck;
import io.calltrack.tracking.ChannelRepository;
import io.calltrack.tracking.NumberLeases;
import io.calltrack.tracking.PhoneNumbers;
import io.calltrack.tracking.SiteRepository;
import io.calltrack.tracking.TrackIds;
import io.calltrack.tracking.TrackedNumberRepository;
import io.calltrack.tracking.VisitorSessions;
import io.calltrack.tracking.api.ClientAddresses;
import io.calltrack.tracking.api.InstallationRoutes;
import io.calltrack.tracking.api.ManagementRoutes;
import io.calltrack.tracking.api.SnippetRoutes;
import io.calltrack.tracking.api.VisitorLimits;
import io.calltrack.tracking.api.VisitorRoutes;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The composition root: builds every component from the configuration, starts the listeners, stops them. */
public final class App implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(App.class);

    /** How often spooled call events are retried while the database is unreachable. */
    private static final long SPOOL_RETRY_MILLIS = 1000;

    private final List<AutoCloseable> running = new ArrayList<>();
    private HttpServer http;
    private AgiServer agi;
    private SipService sip;

    private App() {}

    /** Starts everything; on failure stops what had already started (the embedded PostgreSQL above all). */
    public static App start(CalltrackConfig config) throws Exception {
        return start(config, Clock.systemUTC());
    }

    /** The same with another clock: tests move it to pass hold times without waiting. */
    public static App start(CalltrackConfig config, Clock clock) throws Exception {
        App app = new App();
        try {
            app.boot(config, clock);
            return app;
        } catch (Exception | Error e) {
            app.close();
            throw e;
        }
    }

    private static ClientAddresses clientAddresses(CalltrackConfig.Tracking tracking) {
        try {
            return new ClientAddresses(tracking.clientIpHeader(), tracking.trustedProxies());
        } catch (IllegalArgumentException e) {
            throw new ConfigException("tracking.trusted-proxies", e.getMessage());
        }
    }

    private void boot(CalltrackConfig config, Clock clock) throws Exception {
        PrivateFiles.directory(config.dataDir()); // before anything creates files in it: owner-only from the start
        Database database = remember(Database.open(config.database()));
        Migrations.apply(database.dataSource());
        PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new JvmMemoryMetrics().bindTo(metrics);
        remember(new JvmGcMetrics()).bindTo(metrics);
        new JvmThreadMetrics().bindTo(metrics);
        new ProcessorMetrics().bindTo(metrics);
        new UptimeMetrics().bindTo(metrics);
        ObjectMapper json = Json.mapper();

        Jdbc jdbc = new Jdbc(database.dataSource());
        PhoneNumbers phoneNumbers = new PhoneNumbers(config.tracking().defaultRegion());
        SiteRepository sites = new SiteRepository(jdbc);
        VisitorSessions visitorSessions = new VisitorSessions(jdbc,
                new NumberLeases(NumberLeases.ReusePolicy.LEAST_RECENTLY_RELEASED, config.tracking().poolOrderMaxAge()),
                new BotDetector(config.tracking().botUserAgentPatterns()), new TrackIds(config.agi().trackIdDigits()),
                metrics, clock, config.tracking().poolLeasesPerIp(), config.tracking().unseenLeaseHold());
        VisitorLimits startLimiter = new VisitorLimits(config.tracking().sessionStartsPerIpPerMinute(),
                config.tracking().sessionStartsPerSitePerSecond(), config.tracking().heartbeatsPerSessionPerMinute(),
                clock);
        RoutingRepository routingRepository = new RoutingRepository(jdbc, json);
        RoutingService routing = new RoutingService(routingRepository, config.routing());

        // told after commit when a call completes or is re-classified (webhooks, reports add theirs here)
        List<CallListener> callListeners = new CopyOnWriteArrayList<>();
        CallRepository calls = new CallRepository(jdbc, json, routingRepository);
        JobRepository jobs = new JobRepository(jdbc);
        SitePrivacyStore privacy = new SitePrivacyStore(jdbc);
        CallerNumbers callerNumbers = new CallerNumbers(privacy, phoneNumbers);
        DeliverySettingsStore deliverySettings = new DeliverySettingsStore(jdbc);
        TranscriptRepository transcripts = new TranscriptRepository(jdbc, json);
        CallTags callTags = new CallTags(jdbc);
        List<DeliveryTarget> deliveryTargets = Deliveries.targets(json, transcripts, callTags);
        Outbox outbox = new Outbox(jobs, deliverySettings, calls, deliveryTargets, metrics, clock);
        // told of completed and re-classified calls, and of stored transcripts (below)
        DeliveryListener deliveryListener = new DeliveryListener(outbox);
        callListeners.add(deliveryListener);
        remember(JobWorkers.start(jobs, Deliveries.handlers(deliveryTargets,
                Deliveries.client(config.outbox().requestTimeout()), calls, deliverySettings,
                config.outbox().requestTimeout()), config.outbox(), metrics, clock));
        RecordingFiles recordingFiles = new RecordingFiles(config.recording().directory());
        CalltrackConfig.Transcription tc = config.transcription();
        TranscriptionSettings transcriptionSettings = new TranscriptionSettings(jdbc,
                new TranscriptionSettings.Site(tc.enabled(), tc.language()));
        SpeechRuleRepository speechRules = new SpeechRuleRepository(jdbc, json);
        // the engine loads a model only when the first job needs it; its workers are apart from the deliveries'
        VoskEngine speech = remember(new VoskEngine(tc.models(),
                new ShippedModel(config.dataDir().resolve("models")), json));
        callListeners.add(new TranscriptionListener(transcriptionSettings, jobs, tc.startDelay(), clock));
        CallAttributor attributor = new CallAttributor(jdbc, sites, phoneNumbers);
        CallIntake intake = new CallIntake(attributor, calls, phoneNumbers, routing);
        SignalSpool spool = new SignalSpool(config.dataDir().resolve("spool"), json, clock);
        Gauge.builder("calltrack.call.events.quarantined", spool, SignalSpool::quarantined)
                .description("call events that could not be applied, kept in the spool's quarantine file").register(metrics);
        CallLifecycle lifecycle = remember(new CallLifecycle(calls, spool, callListeners, intake::openLate,
                SPOOL_RETRY_MILLIS));
        RuleApplier ruleApplier = new RuleApplier(speechRules, callTags, lifecycle);
        remember(JobWorkers.start(jobs, List.of(new TranscriptionHandler(calls, transcriptionSettings,
                        new Transcriber(speech), transcripts, recordingFiles, ruleApplier, deliveryListener, metrics,
                        clock)),
                config.outbox().withWorkers(tc.workers()), metrics, clock));
        // re-applying rules is a few statements a call: not behind the transcriptions' minutes of audio
        RuleReapplication ruleReapplication = new RuleReapplication(transcripts, ruleApplier, jobs, clock);
        remember(JobWorkers.start(jobs, List.of(ruleReapplication), config.outbox().withWorkers(1), metrics, clock));
        if (config.ami().enabled()) {
            remember(AmiClient.start(config.ami(), lifecycle, metrics, clock));
        } else {
            log.warn("ami.host is not set: calls calltrack dials get their outcome from the FastAGI session, but "
                    + "transfers, hangup causes and calls the dialplan handled without calltrack are not seen; set "
                    + "ami.host, ami.username and ami.secret (README, Call outcomes)");
        }

        // the audit log, handed to whatever records into it (logins and user changes too)
        AuditLog auditLog = new AuditLog(jdbc, json, clock);
        ClientAddresses clientAddresses = clientAddresses(config.tracking());
        RequestAudit requestAudit = new RequestAudit(auditLog, clientAddresses);
        remember(RetentionTasks.start(auditLog, config.access().auditRetention(),
                new RecordingRetention(privacy, calls, recordingFiles, auditLog, clock), clock));

        CallRedirects redirects = new CallRedirects(calls, lifecycle, clock);
        if (config.sip().enabled()) {
            sip = remember(SipService.start(config.sip(), new RoutedRedirectDecider(intake), redirects,
                    routingRepository, metrics, clock));
        }

        SecureRandom random = new SecureRandom();
        AccountStore accounts = new AccountStore(jdbc, new ApiTokens(random));
        PasswordHasher passwords = new PasswordHasher();
        PasswordRules passwordRules = PasswordRules.standard();
        FirstOwner.ensure(accounts, config.access(), passwords, passwordRules, random, clock);
        SessionStore sessions = new SessionStore(jdbc, new SessionTokens(random), config.access().sessionIdleTimeout(),
                config.access().sessionMaxAge(), clock);
        BrowserRequests browsers = new BrowserRequests(config.http().publicUrl(), clientAddresses);
        Logins logins = new Logins(accounts, sessions, new LoginThrottle(jdbc, config.access().loginFailuresPerAccount(),
                config.access().loginFailuresPerIp(), config.access().loginFailureWindow()), passwords, auditLog, clock);
        Authenticator authenticator = new BearerOrSession(
                new TokenAuthenticator(config.access().bootstrapTokenEnabled()
                        ? Optional.of(AdminToken.resolve(config)) : Optional.empty(), accounts, clock),
                new SessionAuthenticator(sessions, accounts, browsers));

        // the PBX's outcome reports are machine traffic, not management; the access routes record their own, more
        // telling entries (login.failed, user.created...); the console is static files: none goes through the generic
        // request audit
        List<RouteProvider> unaudited = List.of(new SipOutcomeRoutes(redirects),
                new SessionRoutes(logins, sessions, accounts, browsers, clientAddresses, passwords, passwordRules,
                        auditLog, clock),
                new UserRoutes(accounts, passwords, passwordRules, auditLog, clientAddresses, clock),
                new TokenRoutes(accounts, sites, auditLog, clientAddresses, clock),
                ConsoleRoutes.load());

        SessionRollup sessionRollup = new SessionRollup(jdbc, clock);
        List<RouteProvider> providers = List.of(
                new SystemRoutes(database, metrics, List.of(() -> spool.quarantined() == 0
                        ? Optional.empty()
                        : Optional.of(spool.quarantined() + " call events could not be applied; they are kept in "
                                + spool.quarantineFile()))),
                // before CallRoutes: /v1/calls/live
                new CallLogRoutes(new CallLog(jdbc), callerNumbers, callTags, transcripts, clock),
                new CallRoutes(calls, callTags, lifecycle, sites, recordingFiles, callerNumbers, requestAudit),
                new VisitorSessionRoutes(visitorSessions, new ChannelRepository(jdbc), new TrackedNumberRepository(jdbc),
                        calls),
                new RoutingPreviewRoutes(new RoutingPreview(attributor, phoneNumbers, new CallerHistories(jdbc), routing),
                        Destination.external(config.agi().fallbackDial(),
                                (int) config.agi().fallbackDialTimeout().toSeconds()), clock),
                new VisitorRoutes(sites, visitorSessions, startLimiter, phoneNumbers, clientAddresses,
                        config.tracking().heartbeatMin(), config.tracking().heartbeatMax()),
                new SnippetRoutes(sites, phoneNumbers, json),
                new RoutingRoutes(routingRepository, sites, phoneNumbers),
                new ReportRoutes(sites, new ReportQuery(jdbc, sessionRollup), new PoolHealth(jdbc, sessionRollup),
                        new CostStore(jdbc)),
                new DeliveryRoutes(sites, deliverySettings, outbox, calls, callerNumbers),
                new TranscriptRoutes(calls, transcripts, jobs, transcriptionSettings, speechRules),
                new SpeechRuleRoutes(speechRules, ruleReapplication),
                new ManagementRoutes(sites, new ChannelRepository(jdbc), new TrackedNumberRepository(jdbc),
                        phoneNumbers),
                new AuditRoutes(auditLog),
                new PrivacyRoutes(privacy, sites, new PersonalDataEraser(calls, visitorSessions, recordingFiles),
                        callerNumbers, phoneNumbers),
                new InstallationRoutes(sites, new InstallationCheck(jdbc, clock)));
        List<Route> routes = new ArrayList<>();
        unaudited.forEach(p -> routes.addAll(p.routes()));
        List<Route> management = new ArrayList<>();
        providers.forEach(p -> management.addAll(p.routes()));
        routes.addAll(new AuditedRoutes(requestAudit, json).wrap(management));
        http = remember(HttpServer.start(config.http(), routes, authenticator, json));

        AgiScripts scripts = AgiScripts.none().with("incoming",
                new IncomingCallScript(intake, lifecycle, config.agi(), config.recording().directory(), clock));
        agi = remember(AgiServer.start(config.agi(), scripts, metrics));
    }

    private <T extends AutoCloseable> T remember(T component) {
        running.add(0, component);
        return component;
    }

    public int httpPort() {
        return http.port();
    }

    /** Every HTTP route the server answers, as it was wired (what the route/role table test walks). */
    public List<Route> routes() {
        return http.routes();
    }

    public int agiPort() {
        return agi.port();
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
