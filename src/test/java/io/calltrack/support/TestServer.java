package io.calltrack.support;

import io.calltrack.App;
import io.calltrack.access.AuditTrail;
import io.calltrack.access.LoggedAuditTrail;
import io.calltrack.config.CalltrackConfig;
import io.calltrack.config.ConfigSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;

/**
 * The whole calltrack server, started as production starts it, on ephemeral ports against a fresh test database.
 * Extra settings override the defaults (e.g. {@code agi.fallback-dial}).
 */
public final class TestServer implements AutoCloseable {
    public static final String ADMIN_TOKEN = "test-admin-token";

    private final TestDatabase db;
    private final boolean ownsDb;
    private final App app;
    private final Path dataDir;

    private TestServer(TestDatabase db, boolean ownsDb, App app, Path dataDir) {
        this.db = db;
        this.ownsDb = ownsDb;
        this.app = app;
        this.dataDir = dataDir;
    }

    public static TestServer start() {
        return start(Map.of());
    }

    public static TestServer start(Map<String, String> overrides) {
        return start(overrides, Clock.systemUTC());
    }

    /** With a clock the test moves (a {@link MutableClock}): hold times pass without waiting. */
    public static TestServer start(Map<String, String> overrides, Clock clock) {
        TestDatabase db = TestDatabase.create();
        try {
            return start(db, true, overrides, clock, new LoggedAuditTrail());
        } catch (RuntimeException e) {
            db.close();
            throw e;
        }
    }

    /**
     * Another instance on a database the test owns (several instances sharing one database), with the audit trail
     * the test reads; closing it leaves the database open.
     */
    public static TestServer startOn(TestDatabase db, Map<String, String> overrides, Clock clock, AuditTrail audit) {
        return start(db, false, overrides, clock, audit);
    }

    private static TestServer start(TestDatabase db, boolean ownsDb, Map<String, String> overrides, Clock clock,
                                    AuditTrail audit) {
        try {
            Path dataDir = Files.createTempDirectory("calltrack-test");
            Map<String, String> settings = new HashMap<>();
            settings.put("db.url", db.url());
            settings.put("data.dir", dataDir.toString());
            settings.put("http.host", "127.0.0.1");
            settings.put("http.port", "0");
            settings.put("agi.host", "127.0.0.1");
            settings.put("agi.port", "0");
            settings.put("sip.host", "127.0.0.1");
            settings.put("sip.port", "0");
            settings.put("sip.enabled", "false");
            settings.put("recording.dir", dataDir.resolve("recordings").toString());
            settings.put("admin.token", ADMIN_TOKEN);
            settings.putAll(overrides);
            CalltrackConfig config = CalltrackConfig.from(ConfigSource.of(settings));
            return new TestServer(db, ownsDb, App.start(config, clock, audit), dataDir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (Exception e) {
            throw new IllegalStateException("test server did not start", e);
        }
    }

    public App app() {
        return app;
    }

    public TestDatabase db() {
        return db;
    }

    public Path dataDir() {
        return dataDir;
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + app.httpPort();
    }

    @Override
    public void close() {
        app.close();
        if (ownsDb) db.close();
    }
}
