package io.calltrack.telephony.ami;

import static org.awaitility.Awaitility.await;

import io.calltrack.App;
import io.calltrack.Json;
import io.calltrack.telephony.ami.peer.AmiPeer;
import io.calltrack.telephony.ami.peer.AsteriskCall.Chan;
import io.calltrack.telephony.ami.peer.AsteriskCall;
import io.calltrack.calls.Call;
import io.calltrack.calls.CallRepository;
import io.calltrack.calls.NewCall;
import io.calltrack.config.CalltrackConfig;
import io.calltrack.config.ConfigSource;
import io.calltrack.platform.db.Jdbc;
import io.calltrack.routing.RoutingRepository;
import io.calltrack.support.TcpProxy;
import io.calltrack.support.TestDatabase;
import io.calltrack.support.TestServer;
import io.calltrack.tracking.AnalyticsIds;
import io.calltrack.tracking.Attribution;
import io.calltrack.tracking.ClickIds;
import io.calltrack.tracking.CreditedVisit;
import io.calltrack.tracking.SiteRepository;
import io.calltrack.tracking.Touch;
import io.calltrack.tracking.Touches;
import io.calltrack.tracking.VisitorSession;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * calltrack started as in production with AMI pointed at an {@link AmiPeer}; one site (threshold 30 s,
 * repeat window 30 days) with managers Anna (PJSIP/101) and Boris (PJSIP/102). Calls are opened as FastAGI
 * opens them at ring time, under the linkedid of the AMI events. Public for the console's tests, which watch such
 * calls live.
 */
public final class AmiFixture implements AutoCloseable {
    static final Instant T0 = Instant.parse("2026-11-02T10:00:00Z");

    public final AmiPeer peer = new AmiPeer("calltrack", "s3cret");
    final TestDatabase db = TestDatabase.create();
    /** calltrack reaches PostgreSQL only through this proxy, so a test can take the database away. */
    final TcpProxy dbProxy = new TcpProxy(URI.create(db.url().substring("jdbc:".length())).getPort());
    final Path dataDir = Files.createTempDirectory("calltrack-ami");
    private final CalltrackConfig config;
    App app;
    final CallRepository calls;
    public final long siteId;
    /** The site's target threshold, which FastAGI carries on each call it opens. */
    final int threshold;
    public final long anna;
    final long boris;

    public AmiFixture() throws Exception {
        this(Map.of());
    }

    AmiFixture(Map<String, String> overrides) throws Exception {
        Map<String, String> settings = new HashMap<>(Map.of(
                "ami.host", "127.0.0.1", "ami.port", String.valueOf(peer.port()),
                "ami.username", "calltrack", "ami.secret", "s3cret",
                "ami.reconnect-min", "50ms", "ami.reconnect-max", "200ms"));
        String url = db.url();
        settings.put("db.url", url.replaceFirst(":\\d+/", ":" + dbProxy.port() + "/"));
        settings.put("data.dir", dataDir.toString());
        settings.put("http.host", "127.0.0.1");
        settings.put("http.port", "0");
        settings.put("agi.port", "0");
        settings.put("sip.enabled", "false");
        settings.put("recording.dir", dataDir.resolve("recordings").toString());
        settings.put("admin.token", TestServer.ADMIN_TOKEN);
        settings.putAll(overrides);
        config = CalltrackConfig.from(ConfigSource.of(settings));
        app = App.start(config);
        Jdbc jdbc = new Jdbc(db.dataSource());
        calls = new CallRepository(jdbc, Json.mapper(), new RoutingRepository(jdbc, Json.mapper()));
        siteId = insert("INSERT INTO site (name, public_key, time_zone, fallback_number) VALUES ('Shop', 'pk1', 'UTC', '+15550000000') RETURNING id");
        threshold = new SiteRepository(jdbc).find(siteId).orElseThrow().targetThresholdSeconds();
        long dept = insert("INSERT INTO department (site_id, name) VALUES (" + siteId + ", 'Sales') RETURNING id");
        anna = insert("INSERT INTO manager (department_id, name, dial_string) VALUES (" + dept + ", 'Anna', 'PJSIP/101') RETURNING id");
        boris = insert("INSERT INTO manager (department_id, name, dial_string) VALUES (" + dept + ", 'Boris', 'PJSIP/102') RETURNING id");
        peer.awaitLogin();
        peer.awaitChannelListing();
    }

    long insert(String sql) throws Exception {
        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** The caller's inbound channel: its uniqueid is the call's linkedid. */
    public static Chan caller(String uniqueid, String number) {
        return new Chan("PJSIP/trunk-" + uniqueid.replace(".", ""), uniqueid, uniqueid, number, "from-trunk", "5551000");
    }

    public static Chan manager(String endpoint, String seq, String uniqueid, String linkedid) {
        return new Chan("PJSIP/" + endpoint + "-" + seq, uniqueid, linkedid, endpoint, "from-internal", "s");
    }

    /** Opens the call as FastAGI does at ring time, with the caller's history of this site. */
    public long open(Chan caller, Instant startedAt) {
        return openWithHistory(caller, startedAt).callId();
    }

    CallRepository.Opened openWithHistory(Chan caller, Instant startedAt) {
        Touch ad = new Touch(Optional.empty(), Optional.empty(), Optional.of("Google Ads"),
                new VisitorSession.Utm(Optional.of("google"), Optional.of("cpc"), Optional.of("spring"),
                        Optional.of("sofa"), Optional.empty()), Optional.of("https://shop.example/sofa"), ClickIds.NONE);
        CreditedVisit visit = new CreditedVisit(Optional.empty(), Touches.single(ad), Optional.of("c1"),
                AnalyticsIds.NONE);
        Attribution.CalledNumber number = new Attribution.CalledNumber(Optional.of(siteId), Optional.empty(),
                "+15551000", false, false);
        return calls.open(new NewCall(caller.linkedid(), "agi", startedAt, Optional.ofNullable(caller.callerNum()),
                new Attribution(Attribution.Kind.STATIC, number, visit), OptionalInt.of(threshold)), 30);
    }

    /** Waits until the call is completed (signals are applied asynchronously to the peer's writes). */
    public Call awaitCompleted(long callId) {
        return await("call " + callId + " completed").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(25))
                .until(() -> calls.find(callId), row -> row.isPresent() && row.get().state() == Call.State.COMPLETED)
                .orElseThrow();
    }

    /** Stops calltrack and starts it again on the same data directory and database, as an admin restart would. */
    void restart(Runnable whileStopped) throws Exception {
        app.close();
        whileStopped.run();
        app = App.start(config);
        peer.awaitLogin();
        peer.awaitChannelListing();
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + app.httpPort();
    }

    Path spoolFile() {
        return dataDir.resolve("spool").resolve("call-signals.jsonl");
    }

    @Override
    public void close() {
        app.close();
        peer.close();
        dbProxy.close();
        db.close();
    }
}
