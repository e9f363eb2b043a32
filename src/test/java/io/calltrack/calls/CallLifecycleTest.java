package io.calltrack.calls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.calltrack.Json;
import io.calltrack.db.Jdbc;
import io.calltrack.support.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The lifecycle without AMI: idempotent signals, listeners told once after commit, the spool's durability. */
class CallLifecycleTest {
    private static final Instant T0 = Instant.parse("2026-11-02T10:00:00Z");

    private final TestDatabase db = TestDatabase.create();
    private final CallRepository calls = new CallRepository(new Jdbc(db.dataSource()), Json.mapper());
    private final List<String> told = new CopyOnWriteArrayList<>();
    private Path spoolDir;
    private CallLifecycle lifecycle;
    private long siteId;

    @BeforeEach
    void start() throws Exception {
        spoolDir = Files.createTempDirectory("spool");
        lifecycle = new CallLifecycle(calls, new SignalSpool(spoolDir, Json.mapper()), List.of(new CallListener() {
            @Override
            public void callCompleted(long callId) {
                told.add("completed " + callId);
            }

            @Override
            public void callReclassified(long callId) {
                told.add("reclassified " + callId);
            }
        }), opened -> told.add("opened " + opened.linkedid()), 60_000);
        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("INSERT INTO site (name, public_key, time_zone, fallback_number) "
                     + "VALUES ('s', 'k', 'UTC', '+1555') RETURNING id")) {
            rs.next();
            siteId = rs.getLong(1);
        }
    }

    @AfterEach
    void stop() {
        lifecycle.close();
        db.close();
    }

    private long open(String linkedid) {
        return calls.open(new NewCall(linkedid, siteId, null, "+15551000", "+15557654321", "unattributed", null, null,
                null, null, null, null, null, null, null, "agi", T0), 30).callId();
    }

    private static CallSignal signal(String linkedid, String key, CallSignal.Kind kind, long second, String value) {
        return new CallSignal(linkedid, null, key, kind, T0.plusSeconds(second), "PJSIP/101-00000001", value,
                kind == CallSignal.Kind.ENDED ? 16 : null, null, false);
    }

    @Test
    void replayedSignalsChangeNothingAndListenersAreToldOnce() {
        long id = open("L1");
        List<CallSignal> call = List.of(
                signal("L1", "dialend/x", CallSignal.Kind.DIAL_END, 5, "ANSWER"),
                signal("L1", "hangup/L1", CallSignal.Kind.ENDED, 25, null));
        call.forEach(lifecycle::accept);
        call.forEach(lifecycle::accept);
        lifecycle.accept(signal("L1", "hangup/L1-late", CallSignal.Kind.ENDED, 500, null));
        var row = calls.find(id).orElseThrow();
        assertEquals(20, row.get("talk_seconds"));
        assertEquals("non_target", row.get("class"));
        assertEquals(List.of("completed " + id), told);
        assertEquals(3, calls.events(id).size(), "one timeline entry per distinct event key");

        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
            s.executeUpdate("UPDATE site SET target_threshold_seconds = 10");
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
        assertEquals(List.of(id), lifecycle.reclassify(siteId));
        assertEquals(List.of(), lifecycle.reclassify(siteId), "nothing changes twice");
        assertEquals(List.of("completed " + id, "reclassified " + id), told);
    }

    @Test
    void signalsForUnknownCallsAreIgnored() {
        lifecycle.accept(signal("not-ours", "hangup/not-ours", CallSignal.Kind.ENDED, 5, null));
        assertTrue(told.isEmpty());
    }

    @Test
    void spoolSurvivesATornLastLineAndKeepsOrder() throws Exception {
        SignalSpool spool = new SignalSpool(spoolDir.resolve("other"), Json.mapper());
        spool.append(signal("L2", "a", CallSignal.Kind.DIAL_BEGIN, 1, "101"));
        spool.append(signal("L2", "b", CallSignal.Kind.DIAL_END, 2, "BUSY"));
        Files.writeString(spool.file(), "{\"linkedid\":\"L2\",\"ke", java.nio.file.StandardOpenOption.APPEND);
        assertEquals(List.of("a", "b"), spool.readAll().stream().map(CallSignal::key).toList());
        spool.removeFirst(1);
        assertEquals(List.of("b"), spool.readAll().stream().map(CallSignal::key).toList());
    }
}
