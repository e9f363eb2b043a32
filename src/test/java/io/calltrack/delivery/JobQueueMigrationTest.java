package io.calltrack.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.zaxxer.hikari.HikariDataSource;
import io.calltrack.Json;
import io.calltrack.calls.CallRepository;
import io.calltrack.calls.CallTags;
import io.calltrack.recordings.TranscriptRepository;
import io.calltrack.routing.RoutingRepository;
import io.calltrack.platform.db.Jdbc;
import io.calltrack.platform.db.Migrations;
import io.calltrack.platform.jobs.JobRepository;
import io.calltrack.platform.jobs.JobRunner;
import io.calltrack.platform.jobs.JobState;
import io.calltrack.platform.jobs.RetryPolicy;
import io.calltrack.reports.ReportFixture;
import io.calltrack.support.MutableClock;
import io.calltrack.support.TestDatabase;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.http.HttpClient;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

/** An outbox of before V15 becomes the job queue: what was waiting to be delivered is delivered, with its id. */
class JobQueueMigrationTest {

    @Test
    void undeliveredOutboxRowsSurviveTheUpgradeAndAreDeliveredWithTheirDeliveryIds() throws Exception {
        try (TestReceiver receiver = new TestReceiver();
             HikariDataSource ds = TestDatabase.dataSource(TestDatabase.createEmptyDatabase(), 4)) {
            Flyway.configure().dataSource(ds).locations("classpath:db/migration").target("14").load().migrate();
            ReportFixture fx = new ReportFixture(ds);
            long site = fx.site("UTC");
            long call = fx.call(site).ymClientId("1700000000123456789").at("2026-03-08T11:58:00Z")
                    .answered(3, 40, "target").insert();
            Jdbc jdbc = new Jdbc(ds);
            DeliverySettingsStore settings = new DeliverySettingsStore(jdbc);
            settings.put(site, new DeliverySettings(receiver.url("/hook"), "s3cret", receiver.url("/metrica"), "t",
                    null, null, null, null));
            long neverTried = outboxRow(ds, site, call, "webhook", "pending", 0, null);
            long failedTwice = outboxRow(ds, site, call, "metrica", "pending", 2, "HTTP 503: busy");
            outboxRow(ds, site, call, "webhook", "delivered", 1, null);
            outboxRow(ds, site, call, "ga4", "not_matchable", 0, AnalyticsMatch.GA4_UNMATCHABLE);
            outboxRow(ds, site, call, "webhook", "dead", 30, "HTTP 500: boom");

            Migrations.apply(ds);

            MutableClock clock = new MutableClock(Instant.parse("2026-03-08T12:05:00Z"));
            SimpleMeterRegistry metrics = new SimpleMeterRegistry();
            JobRepository jobs = new JobRepository(jdbc);
            CallRepository calls = new CallRepository(jdbc, Json.mapper(), new RoutingRepository(jdbc, Json.mapper()));
            List<DeliveryTarget> targets = Deliveries.targets(Json.mapper(),
                    new TranscriptRepository(jdbc, Json.mapper()), new CallTags(jdbc));
            Outbox outbox = new Outbox(jobs, settings, calls, targets, metrics, clock);
            JobRunner runner = new JobRunner(jobs, Deliveries.handlers(targets, HttpClient.newHttpClient(), calls,
                    settings, Duration.ofSeconds(5)), new RetryPolicy(Duration.ofSeconds(10), Duration.ofMinutes(10),
                    30, Duration.ofHours(48)), 2, Duration.ofMinutes(1), "worker", metrics, clock);

            assertEquals(2, runner.runDue(), "the two rows waiting to be delivered, and nothing else");
            List<TestReceiver.Received> hook = receiver.received().stream().filter(r -> r.path().equals("/hook"))
                    .toList();
            assertEquals(1, hook.size());
            assertEquals(Long.toString(neverTried), hook.get(0).header("X-Calltrack-Delivery"));
            assertEquals(1, receiver.received().stream().filter(r -> r.path().equals("/metrica")).count());
            assertEquals(3, outbox.find(failedTwice).orElseThrow().attempts(), "its earlier attempts count");
            assertEquals(JobState.DONE, outbox.find(neverTried).orElseThrow().state());
            assertEquals(Map.of("webhook", Map.of("delivered", 2L, "dead", 1L), "metrica", Map.of("delivered", 1L),
                    "ga4", Map.of("not_matchable", 1L)), outbox.status(site));
            assertEquals("HTTP 500: boom", outbox.deadLetters(site, 10).get(0).lastError());
        }
    }

    private static long outboxRow(HikariDataSource ds, long site, long call, String kind, String state, int attempts,
                                  String lastError) throws Exception {
        Instant created = Instant.parse("2026-03-08T12:00:00Z");
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement("""
                INSERT INTO outbox (site_id, call_id, kind, event, state, attempts, created_at, next_attempt_at,
                                    delivered_at, last_error)
                VALUES (?, ?, ?, 'call.completed', ?, ?, ?, ?, ?, ?) RETURNING id""")) {
            ps.setLong(1, site);
            ps.setLong(2, call);
            ps.setString(3, kind);
            ps.setString(4, state);
            ps.setInt(5, attempts);
            ps.setTimestamp(6, java.sql.Timestamp.from(created));
            ps.setTimestamp(7, java.sql.Timestamp.from(created.plusSeconds(60)));
            ps.setTimestamp(8, state.equals("delivered") ? java.sql.Timestamp.from(created) : null);
            ps.setString(9, lastError);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
