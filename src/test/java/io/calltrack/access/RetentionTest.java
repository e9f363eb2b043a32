package io.calltrack.access;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.calltrack.Json;
import io.calltrack.calls.CallRepository;
import io.calltrack.routing.RoutingRepository;
import io.calltrack.calls.RecordingFiles;
import io.calltrack.platform.db.Jdbc;
import io.calltrack.support.MutableClock;
import io.calltrack.support.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Recordings past their site's retention lose their file and their path; newer ones and other sites' stay. Audit
 * entries past the retention are deleted.
 */
class RetentionTest {
    private static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");

    @TempDir
    Path recordings;
    private TestDatabase db;
    private Jdbc jdbc;
    private MutableClock clock;
    private AuditLog audit;
    private SitePrivacyStore privacy;
    private RecordingRetention retention;

    @BeforeEach
    void setUp() {
        db = TestDatabase.create();
        jdbc = new Jdbc(db.dataSource());
        clock = new MutableClock(NOW);
        audit = new AuditLog(jdbc, Json.mapper(), clock);
        privacy = new SitePrivacyStore(jdbc);
        retention = new RecordingRetention(privacy, new CallRepository(jdbc, Json.mapper(), new RoutingRepository(jdbc, Json.mapper())),
                new RecordingFiles(recordings), audit, clock);
    }

    @AfterEach
    void tearDown() {
        db.close();
    }

    private long site(String name) {
        return jdbc.withHandle(h -> h.createQuery("""
                        INSERT INTO site (name, public_key, time_zone, fallback_number)
                        VALUES (:name, :name, 'UTC', '+74951234567') RETURNING id""")
                .bind("name", name).mapTo(Long.class).one());
    }

    /** A call that started {@code age} ago, with its recording file. */
    private long recordedCall(long site, String file, Duration age) throws Exception {
        Files.write(recordings.resolve(file), new byte[10]);
        return jdbc.withHandle(h -> h.createQuery("""
                        INSERT INTO call (linkedid, called_number, caller_number, attribution, started_at, site_id,
                                          recording_path)
                        VALUES (:file, '+74950000001', '+79161234567', 'unattributed', :at, :site, :file)
                        RETURNING id""")
                .bind("file", file).bind("at", NOW.minus(age)).bind("site", site).mapTo(Long.class).one());
    }

    private String path(long call) {
        return jdbc.withHandle(h -> h.createQuery("SELECT recording_path FROM call WHERE id = :id").bind("id", call)
                .mapTo(String.class).one());
    }

    @Test
    void removesFilesAndPathsOlderThanTheSitesDaysAndLogsHowMany() throws Exception {
        long site = site("thirty days");
        long keeps = site("keeps everything");
        privacy.put(site, new SitePrivacy(false, 30));
        long old1 = recordedCall(site, "old1.wav", Duration.ofDays(31));
        long old2 = recordedCall(site, "old2.wav", Duration.ofDays(30).plusMinutes(1));
        long young = recordedCall(site, "young.wav", Duration.ofDays(29));
        long otherSite = recordedCall(keeps, "other.wav", Duration.ofDays(400));

        assertEquals(2, retention.run());

        assertNull(path(old1));
        assertNull(path(old2));
        assertFalse(Files.exists(recordings.resolve("old1.wav")));
        assertFalse(Files.exists(recordings.resolve("old2.wav")));
        assertEquals("young.wav", path(young));
        assertTrue(Files.exists(recordings.resolve("young.wav")));
        assertEquals("other.wav", path(otherSite), "a site without retention keeps its recordings");
        assertTrue(Files.exists(recordings.resolve("other.wav")));

        List<AuditLog.Stored> logged = expired();
        assertEquals(1, logged.size());
        assertEquals(site, logged.get(0).siteId());
        assertEquals(2, logged.get(0).detail().get("removed").asInt());
        assertEquals(30, logged.get(0).detail().get("retentionDays").asInt());

        assertEquals(0, retention.run(), "nothing more is due");
        assertEquals(1, expired().size(), "a run that removed nothing leaves no entry");

        clock.advance(Duration.ofDays(2));
        assertEquals(1, retention.run(), "the young one's turn");
        assertNull(path(young));
        assertFalse(Files.exists(recordings.resolve("young.wav")));
        assertEquals(2, expired().size());
    }

    @Test
    void theCallersAndTheManagersDirectionFilesGoWithTheRecording() throws Exception {
        long site = site("thirty days");
        privacy.put(site, new SitePrivacy(false, 30));
        long old = recordedCall(site, "old.wav", Duration.ofDays(31));
        Files.write(recordings.resolve("old-caller.wav"), new byte[10]); // MixMonitor's r() and t() files
        Files.write(recordings.resolve("old-manager.wav"), new byte[10]);

        assertEquals(1, retention.run());

        assertNull(path(old));
        for (String f : List.of("old.wav", "old-caller.wav", "old-manager.wav")) {
            assertFalse(Files.exists(recordings.resolve(f)), f + " is deleted");
        }
    }

    @Test
    void aFileAlreadyGoneStillLosesItsPath() throws Exception {
        long site = site("gone");
        privacy.put(site, new SitePrivacy(false, 1));
        long call = recordedCall(site, "gone.wav", Duration.ofDays(5));
        Files.delete(recordings.resolve("gone.wav"));

        assertEquals(1, retention.run());
        assertNull(path(call));
    }

    private List<AuditLog.Stored> expired() {
        return audit.search(new AuditLog.Filter(Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.of("recordings.expired"), Optional.empty(), Optional.empty()), 100, Optional.empty());
    }

    @Test
    void auditEntriesOlderThanTheRetentionAreDeleted() {
        audit.record(new AuditEntry(Optional.empty(), "old", "test.old", Optional.empty(), "x", java.util.Map.of(), "local"));
        clock.advance(Duration.ofDays(300));
        audit.record(new AuditEntry(Optional.empty(), "new", "test.new", Optional.empty(), "x", java.util.Map.of(), "local"));
        clock.advance(Duration.ofDays(101));

        assertEquals(1, audit.purge(clock.instant().minus(Duration.ofDays(400))));
        List<String> left = audit.search(new AuditLog.Filter(Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.of("test"), Optional.empty(), Optional.empty()), 10, Optional.empty())
                .stream().map(AuditLog.Stored::action).toList();
        assertEquals(List.of("test.new"), left);
    }
}
