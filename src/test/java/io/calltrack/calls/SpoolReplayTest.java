package io.calltrack.calls;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.calltrack.Json;
import io.calltrack.platform.db.Jdbc;
import io.calltrack.support.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * While the spool replays a backlog, new call signals queue behind it without waiting for the replay's database
 * work: a FastAGI session or the AMI worker must never stall because the database is slow to take the backlog.
 */
class SpoolReplayTest {
    private static final Instant T0 = Instant.parse("2026-11-02T10:00:00Z");

    private static CallSignal hangup(String linkedid) {
        return new CallSignal(linkedid, null, "hangup/" + linkedid, CallSignal.Kind.ENDED, T0, "PJSIP/101-00000001",
                null, 16, null, false);
    }

    @Test
    void aSignalArrivingWhileTheReplayWaitsForTheDatabaseIsSpooledBehindItAtOnce() throws Exception {
        Path dir = Files.createTempDirectory("spool");
        try (TestDatabase db = TestDatabase.create(); Connection locker = db.dataSource().getConnection();
             Statement lock = locker.createStatement()) {
            SignalSpool spool = new SignalSpool(dir, Json.mapper(), Clock.systemUTC());
            spool.append(hangup("backlog"));
            locker.setAutoCommit(false);
            lock.execute("LOCK TABLE call IN ACCESS EXCLUSIVE MODE"); // the replay's first statement waits here

            CallLifecycle lifecycle = new CallLifecycle(CallLifecycleTest.repository(db),
                    spool, List.of(), opened -> { }, 60_000);
            try {
                await().atMost(Duration.ofSeconds(10)).until(() -> waitingForLocks(lock) > 0);

                assertTimeoutPreemptively(Duration.ofSeconds(5), () -> lifecycle.accept(hangup("new")),
                        "the new signal waited for the replay's database work");
                assertEquals(List.of("hangup/backlog", "hangup/new"),
                        spool.readAll().stream().map(CallSignal::key).toList(), "behind the backlog, in order");

                locker.rollback();
                assertTrue(lifecycle.replay(), "both replayed once the database answers");
                assertTrue(spool.isEmpty());
            } finally {
                locker.rollback(); // a failed assertion must not leave the replay waiting for the lock
                lifecycle.close();
            }
        }
    }

    private static int waitingForLocks(Statement s) throws Exception {
        try (ResultSet rs = s.executeQuery("SELECT count(*) FROM pg_locks WHERE NOT granted")) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
