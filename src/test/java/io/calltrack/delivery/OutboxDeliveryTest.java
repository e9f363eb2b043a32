package io.calltrack.delivery;

import io.calltrack.support.MutableClock;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.calltrack.Json;
import io.calltrack.platform.db.Jdbc;
import io.calltrack.platform.jobs.Job;
import io.calltrack.platform.jobs.JobHandler;
import io.calltrack.platform.jobs.JobKind;
import io.calltrack.platform.jobs.JobOutcome;
import io.calltrack.platform.jobs.JobRepository;
import io.calltrack.platform.jobs.NewJob;
import io.calltrack.platform.jobs.JobRunner;
import io.calltrack.platform.jobs.JobState;
import io.calltrack.platform.jobs.RetryPolicy;
import io.calltrack.calls.CallRepository;
import io.calltrack.calls.CallTags;
import io.calltrack.recordings.TranscriptRepository;
import io.calltrack.calls.CompletedCall;
import io.calltrack.routing.RoutingRepository;
import io.calltrack.reports.Csv;
import io.calltrack.reports.ReportFixture;
import io.calltrack.support.TestDatabase;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.http.HttpClient;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The outbox against a real receiver: payloads, signatures, retries with back-off, timeouts, dead letters. */
class OutboxDeliveryTest {
    static final String SECRET = "s3cret";
    static final ObjectMapper json = Json.mapper();

    TestDatabase db;
    TestReceiver receiver;
    MutableClock clock;
    JobRepository jobs;
    Outbox outbox;
    DeliverySettingsStore settings;
    List<JobHandler> handlers;
    DeliveryListener listener;
    ReportFixture fx;
    SimpleMeterRegistry metrics = new SimpleMeterRegistry();
    static final Duration LEASE = Duration.ofMinutes(1);
    /** long enough that a loaded machine's answer is not taken for a timeout; the timeout tests hold it longer */
    static final Duration TIMEOUT = Duration.ofSeconds(1);
    RetryPolicy policy = new RetryPolicy(Duration.ofSeconds(10), Duration.ofMinutes(10), 30, Duration.ofHours(48));
    long site;
    long channel;

    @BeforeEach
    void setUp() {
        db = TestDatabase.create();
        receiver = new TestReceiver();
        clock = new MutableClock(Instant.parse("2026-03-08T12:00:00Z"));
        Jdbc jdbc = new Jdbc(db.dataSource());
        jobs = new JobRepository(jdbc);
        settings = new DeliverySettingsStore(jdbc);
        CallRepository calls = new CallRepository(jdbc, json, new RoutingRepository(jdbc, json));
        List<DeliveryTarget> targets = Deliveries.targets(json, new TranscriptRepository(jdbc, json), new CallTags(jdbc));
        outbox = new Outbox(jobs, settings, calls, targets, metrics, clock);
        handlers = Deliveries.handlers(targets, HttpClient.newHttpClient(), calls, settings, TIMEOUT);
        listener = new DeliveryListener(outbox);
        fx = new ReportFixture(db.dataSource());
        site = fx.site("America/New_York");
        channel = fx.channel(site, "Google Ads", "dynamic");
    }

    @AfterEach
    void tearDown() {
        receiver.close();
        db.close();
    }

    private void webhookOnly() {
        settings.put(site, new DeliverySettings(receiver.url("/hook"), SECRET, null, null, null, null, null,
                "https://track.example.com/"));
    }

    /** What the lifecycle tells its listeners of a call it completed (delivery reads the rest itself). */
    private static CompletedCall completed(long callId) {
        return new CompletedCall(callId, Optional.empty(), false);
    }

    private long completedCall() {
        return fx.call(site).channel(channel).campaign("spring").caller("+12125550002")
                .clientId("f2b7c1d0-calltrack-cookie").ymClientId("1700000000123456789")
                .gaClientId("1234567890.1700000000")
                .landing("https://shop.example.com/sale?x=1").recording("2026/03/08/abc.wav")
                .at("2026-03-08T11:58:00Z").answered(7, 95, "target").insert();
    }

    /**
     * Runs every job due now, as one worker of the queue would (with the test's current policy); returns how many
     * runs were made. Each runner reports its running jobs in a registry of its own: a registry takes one per kind.
     */
    private int drain() {
        return new JobRunner(jobs, handlers, policy, 2, LEASE, "test-worker", new SimpleMeterRegistry(), clock)
                .runDue();
    }

    @Test
    void completedCallIsDeliveredOnceSignedAndNeverAgain() throws Exception {
        webhookOnly();
        long call = completedCall();
        listener.callCompleted(completed(call));
        assertEquals(1, drain());

        List<TestReceiver.Received> got = receiver.received();
        assertEquals(1, got.size());
        TestReceiver.Received r = got.get(0);
        assertEquals("/hook", r.path());
        assertEquals(WebhookSignature.sign(SECRET, r.body()), r.header("X-Calltrack-Signature"));
        assertEquals(hmacHex(SECRET, r.body()), r.header("X-Calltrack-Signature").substring("sha256=".length()));
        JsonNode body = json.readTree(r.body());
        assertEquals("call.completed", body.get("event").asText());
        JsonNode c = body.get("call");
        assertEquals(call, c.get("id").asLong());
        assertEquals("target", c.get("class").asText());
        assertEquals(95, c.get("talk_seconds").asInt());
        assertEquals(7, c.get("ring_seconds").asInt());
        assertEquals("2026-03-08T11:58:00Z", c.get("started_at").asText());
        assertEquals("https://track.example.com/v1/calls/" + call + "/recording", c.get("recording_url").asText());
        assertEquals("static", c.get("attribution").get("method").asText());
        assertEquals(channel, c.get("attribution").get("channel_id").asLong());
        assertEquals("spring", c.get("attribution").get("campaign").asText());
        JsonNode attribution = c.get("attribution");
        assertEquals("1234567890.1700000000", attribution.get("ga_client_id").asText());
        assertEquals("1700000000123456789", attribution.get("ym_client_id").asText());
        assertEquals("f2b7c1d0-calltrack-cookie", attribution.get("client_id").asText());
        assertTrue(attribution.get("click_ids").has("gclid") && attribution.get("click_ids").get("gclid").isNull());
        assertEquals("spring", attribution.get("first_touch").get("campaign").asText(), "a visit of one touch");
        assertEquals(channel, attribution.get("first_touch").get("channel_id").asLong());

        clock.advance(Duration.ofHours(1));
        assertEquals(0, drain(), "a delivered row is never picked again");
        assertEquals(1, receiver.received().size());
        Job row = outbox.find(onlyRowId()).orElseThrow();
        assertEquals(JobState.DONE, row.state());
        assertEquals(1, row.attempts());
        assertEquals(Instant.parse("2026-03-08T12:00:00Z"), row.doneAt());
    }

    @Test
    void aRecordingThePbxKeepsIsLinkedWhereThePbxKeepsIt() throws Exception {
        // a SIP redirect's outcome names the PBX's recording (POST /v1/sip/outcomes recordingUrl): not a file of ours
        webhookOnly();
        long call = fx.call(site).recording("https://pbx.example.com/rec/1.wav").at("2026-03-08T11:58:00Z")
                .answered(7, 95, "target").insert();
        listener.callCompleted(completed(call));
        drain();
        JsonNode c = json.readTree(receiver.received().get(0).body()).get("call");
        assertEquals("https://pbx.example.com/rec/1.wav", c.get("recording_url").asText());
    }

    @Test
    void reclassificationSendsCallClassifiedWithTheNewClass() throws Exception {
        webhookOnly();
        long call = completedCall();
        fx.execute("UPDATE call SET class = 'non_target', class_reason = 'manual' WHERE id = ?", call);
        listener.callReclassified(call);
        drain();
        JsonNode body = json.readTree(receiver.received().get(0).body());
        assertEquals("call.classified", body.get("event").asText());
        assertEquals("non_target", body.get("call").get("class").asText());
        assertEquals("manual", body.get("call").get("class_reason").asText());
    }

    @Test
    void serverErrorsAreRetriedWithDoublingBackoff() {
        webhookOnly();
        receiver.thenAnswer(500, 503);
        listener.callCompleted(completed(completedCall()));

        assertEquals(1, drain());
        assertEquals(0, drain(), "not due again before the back-off");
        clock.advance(Duration.ofSeconds(9));
        assertEquals(0, drain());
        clock.advance(Duration.ofSeconds(1));
        assertEquals(1, drain(), "second attempt after 10 s");
        clock.advance(Duration.ofSeconds(19));
        assertEquals(0, drain(), "third attempt waits 20 s");
        clock.advance(Duration.ofSeconds(1));
        assertEquals(1, drain());
        assertEquals(3, receiver.received().size());
        clock.advance(Duration.ofHours(1));
        assertEquals(0, drain());
        assertEquals(3, receiver.received().size(), "no duplicate after the success");
    }

    @Test
    void aTimeoutIsRetriedAndRecorded() {
        webhookOnly();
        receiver.thenAnswer(-1500);
        listener.callCompleted(completed(completedCall()));
        assertEquals(1, drain());
        long id = onlyRowId();
        Job e = outbox.find(id).orElseThrow();
        assertEquals(JobState.PENDING, e.state());
        assertTrue(e.lastError().contains("timed out"), e.lastError());
        clock.advance(Duration.ofSeconds(10));
        assertEquals(1, drain());
        assertEquals(JobState.DONE, outbox.find(id).orElseThrow().state());
    }

    @Test
    void anAnswerWhoseBodyNeverComesTimesOutToo() {
        try (SilentReceiver stalls = SilentReceiver.startingAnAnswer()) {
            settings.put(site, new DeliverySettings(stalls.url("/hook"), SECRET, null, null, null, null, null, null));
            listener.callCompleted(completed(completedCall()));
            assertEquals(1, assertTimeoutPreemptively(Duration.ofSeconds(10), this::drain));
            Job e = outbox.find(onlyRowId()).orElseThrow();
            assertEquals(JobState.PENDING, e.state());
            assertTrue(e.lastError().contains("timed out"), e.lastError());
        }
    }

    @Test
    void aReceiverDownForAnHourLosesNothing() {
        webhookOnly();
        receiver.answerFromNowOn(503);
        long first = completedCall();
        listener.callCompleted(completed(first));
        for (int minute = 0; minute < 60; minute++) {
            clock.advance(Duration.ofMinutes(1));
            drain();
        }
        int attemptsWhileDown = receiver.received().size();
        assertTrue(attemptsWhileDown >= 6 && attemptsWhileDown <= 12, "attempts while down: " + attemptsWhileDown);
        receiver.answerFromNowOn(200);
        clock.advance(Duration.ofMinutes(10));
        drain();
        assertEquals(JobState.DONE, outbox.find(onlyRowId()).orElseThrow().state());
        assertEquals(attemptsWhileDown + 1, receiver.received().size());
    }

    @Test
    void connectionRefusedIsRetried() {
        settings.put(site, new DeliverySettings("http://127.0.0.1:1/hook", SECRET, null, null, null, null, null, null));
        listener.callCompleted(completed(completedCall()));
        drain();
        Job e = outbox.find(onlyRowId()).orElseThrow();
        assertEquals(JobState.PENDING, e.state());
        assertTrue(e.lastError().startsWith("connection failed"), e.lastError());
    }

    @Test
    void afterMaxAttemptsTheDeliveryIsADeadLetterThatCanBeResent() {
        policy = new RetryPolicy(Duration.ofSeconds(10), Duration.ofMinutes(10), 3, Duration.ofHours(48));
        webhookOnly();
        receiver.thenAnswer(500, 500, 500);
        listener.callCompleted(completed(completedCall()));
        for (int i = 0; i < 5; i++) {
            drain();
            clock.advance(Duration.ofMinutes(10));
        }
        assertEquals(3, receiver.received().size());
        List<Job> dead = outbox.deadLetters(site, 10);
        assertEquals(1, dead.size());
        assertEquals(3, dead.get(0).attempts());
        assertTrue(dead.get(0).lastError().startsWith("HTTP 500"), dead.get(0).lastError());

        assertTrue(outbox.resend(dead.get(0).id()));
        assertEquals(1, drain());
        assertEquals(JobState.DONE, outbox.find(dead.get(0).id()).orElseThrow().state());
        assertEquals(List.of(), outbox.deadLetters(site, 10));
        assertEquals(false, outbox.resend(dead.get(0).id()), "only dead letters can be re-sent");
    }

    /** The queue holds the site's other work too (speech rules re-applied): its failures are no delivery's. */
    @Test
    void aDeadJobThatIsNoDeliveryIsNoDeadLetterAndCannotBeResent() {
        jobs.enqueue(List.of(NewJob.pending(JobKind.SPEECH_RULES, "speech rules site " + site, site, completedCall(),
                "speech-rules.changed")), clock.instant());
        long id = new Jdbc(db.dataSource()).withHandle(h -> h.createQuery(
                "UPDATE job SET state = 'dead' WHERE kind = 'speech-rules' RETURNING id").mapTo(Long.class).one());
        assertEquals(List.of(), outbox.deadLetters(site, 10));
        assertEquals(false, outbox.resend(id));
        assertEquals(JobState.DEAD, jobs.find(id).orElseThrow().state());
    }

    @Test
    void tooOldDeliveriesGoToTheDeadLetters() {
        policy = new RetryPolicy(Duration.ofMinutes(10), Duration.ofMinutes(10), 1000, Duration.ofMinutes(25));
        webhookOnly();
        receiver.answerFromNowOn(502);
        listener.callCompleted(completed(completedCall()));
        for (int i = 0; i < 6; i++) {
            drain();
            clock.advance(Duration.ofMinutes(10));
        }
        assertEquals(3, receiver.received().size(), "attempts at 0, 10 and 20 minutes; a 4th would be past 25");
        assertEquals(1, outbox.deadLetters(site, 10).size());
    }

    @Test
    void aClientErrorIsNotRetried() {
        webhookOnly();
        receiver.thenAnswer(410);
        listener.callCompleted(completed(completedCall()));
        drain();
        clock.advance(Duration.ofHours(2));
        drain();
        assertEquals(1, receiver.received().size());
        assertEquals(JobState.DEAD, outbox.find(onlyRowId()).orElseThrow().state());
    }

    @Test
    void aWorkerThatDiesMidDeliveryLeavesItToBeSentOnceMoreWithTheSameDeliveryId() {
        webhookOnly();
        listener.callCompleted(completed(completedCall()));
        // a worker claims the delivery, sends it, and dies before it can record the receiver's 200
        Job claimed = jobs.claim("worker-that-dies", List.of(JobKind.WEBHOOK), 2, clock.instant(), LEASE).orElseThrow();
        handlers.stream().filter(h -> h.kind() == JobKind.WEBHOOK).findFirst().orElseThrow().run(claimed);
        assertEquals(0, drain(), "the claim holds while its lease runs");

        clock.advance(LEASE);
        assertEquals(1, drain(), "the lease ran out: another worker sends it");
        clock.advance(Duration.ofHours(1));
        assertEquals(0, drain());

        List<TestReceiver.Received> got = receiver.received();
        assertEquals(2, got.size(), "at least once: the receiver saw it twice");
        assertEquals(Long.toString(claimed.id()), got.get(0).header("X-Calltrack-Delivery"));
        assertEquals(got.get(0).header("X-Calltrack-Delivery"), got.get(1).header("X-Calltrack-Delivery"),
                "the same delivery id, so the receiver can drop the repeat");
        Job row = outbox.find(claimed.id()).orElseThrow();
        assertEquals(JobState.DONE, row.state());
        assertEquals(2, row.attempts());
        assertEquals(false, jobs.settle(claimed, "worker-that-dies",
                policy.settle(claimed, new JobOutcome.Retry("late"), clock.instant())),
                "a worker whose lease ran out cannot overwrite the outcome");
    }

    @Test
    void twoWorkersNeverSendTheSameRow() throws Exception {
        webhookOnly();
        receiver.answerFromNowOn(-50);
        for (int i = 0; i < 8; i++) listener.callCompleted(completed(completedCall()));
        ExecutorService pool = Executors.newFixedThreadPool(2);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Integer>> workers = new ArrayList<>();
        for (int w = 0; w < 2; w++) {
            workers.add(pool.submit(() -> {
                start.await();
                return drain();
            }));
        }
        start.countDown();
        int attempts = 0;
        for (Future<Integer> f : workers) attempts += f.get();
        pool.shutdown();
        assertEquals(8, attempts);
        assertEquals(8, receiver.received().size());
        assertEquals(8, receiver.received().stream().map(r -> r.header("X-Calltrack-Delivery")).distinct().count());
        assertTrue(workers.get(0).get() > 0 && workers.get(1).get() > 0, "both workers took part");
    }

    private void analyticsOnly(String metricaPath) {
        settings.put(site, new DeliverySettings(null, null, receiver.url(metricaPath), "oauth-token",
                receiver.url("/mp/collect"), "G-TEST", "api secret", "https://track.example.com"));
    }

    private TestReceiver.Received only(String path) {
        List<TestReceiver.Received> got = receiver.received().stream().filter(r -> r.path().equals(path)).toList();
        assertEquals(1, got.size(), "requests to " + path + ": " + got);
        return got.get(0);
    }

    /** The CSV file of a Metrica multipart upload. */
    private static List<List<String>> metricaFile(TestReceiver.Received upload) {
        String text = upload.bodyText();
        return Csv.read(text.substring(text.indexOf("\r\n\r\n") + 4, text.lastIndexOf("\r\n--")));
    }

    @Test
    void analyticsConversionsCarryTheAnalyticsTagsOwnVisitorIdsOnCompletionOnly() throws Exception {
        analyticsOnly("/metrica");
        long call = completedCall();
        listener.callCompleted(completed(call));
        listener.callReclassified(call);
        assertEquals(2, drain(), "one Metrica and one GA4 delivery, on completion only");

        TestReceiver.Received ga4 = only("/mp/collect");
        assertEquals("measurement_id=G-TEST&api_secret=api+secret", ga4.query(), "form-encoded");
        JsonNode event = json.readTree(ga4.body());
        assertEquals("1234567890.1700000000", event.get("client_id").asText(), "GA4's own client id, not calltrack's");
        assertEquals(Instant.parse("2026-03-08T11:58:00Z").toEpochMilli() * 1000, event.get("timestamp_micros").asLong());
        JsonNode params = event.get("events").get(0).get("params");
        assertEquals("phone_call", event.get("events").get(0).get("name").asText());
        assertEquals("target", params.get("call_class").asText());
        assertEquals(95, params.get("talk_seconds").asInt());
        assertEquals("spring", params.get("campaign").asText());

        TestReceiver.Received metrica = only("/metrica");
        assertEquals("client_id_type=CLIENT_ID", metrica.query());
        assertEquals("OAuth oauth-token", metrica.header("Authorization"));
        assertTrue(metrica.header("Content-Type").startsWith("multipart/form-data; boundary="));
        List<List<String>> rows = metricaFile(metrica);
        assertEquals(List.of("ClientId", "DateTime", "PhoneNumber", "TalkDuration", "HoldDuration", "CallMissed", "Tag",
                "FirstTimeCaller", "URL", "CallTrackerURL", "StaticCall"), rows.get(0));
        assertEquals(List.of("1700000000123456789",
                Long.toString(Instant.parse("2026-03-08T11:58:00Z").getEpochSecond()), "+12125550002", "95", "7", "0",
                "target", "1", "https://shop.example.com/sale?x=1", "https://track.example.com/v1/calls/" + call, "1"),
                rows.get(1));
    }

    @Test
    void aCallMetricaKnowsOnlyByItsDirectClickIsUploadedByYclidAndNotToGa4() throws Exception {
        analyticsOnly("/metrica?client_id_type=CLIENT_ID&comment=calltrack");
        long call = fx.call(site).channel(channel).caller("+12125550003").clientId("f2b7c1d0-calltrack-cookie")
                .yclid("6812059218724716543").at("2026-03-08T11:58:00Z").answered(3, 50, "target").insert();
        listener.callCompleted(completed(call));
        assertEquals(1, drain());

        TestReceiver.Received metrica = only("/metrica");
        assertEquals("comment=calltrack&client_id_type=YCLID", metrica.query(), "one file, one id type");
        List<List<String>> rows = metricaFile(metrica);
        assertEquals("Yclid", rows.get(0).get(0));
        assertEquals("6812059218724716543", rows.get(1).get(0));
        assertEquals(List.of(), receiver.received().stream().filter(r -> r.path().equals("/mp/collect")).toList());
        assertEquals(1.0, notMatchable("ga4"));
        assertEquals(0.0, notMatchable("metrica"));
    }

    @Test
    void aCallWithNeitherIdIsNotSentButCountedAsNotMatchable() {
        analyticsOnly("/metrica");
        long call = fx.call(site).channel(channel).caller("+12125550004").clientId("f2b7c1d0-calltrack-cookie")
                .at("2026-03-08T11:59:00Z").answered(1, 40, "target").insert();
        listener.callCompleted(completed(call));
        assertEquals(0, drain());
        assertEquals(List.of(), receiver.received(), "calltrack's own cookie matches no visit in Metrica or GA4");

        assertEquals(1.0, notMatchable("metrica"));
        assertEquals(1.0, notMatchable("ga4"));
        assertEquals(java.util.Map.of("metrica", java.util.Map.of("not_matchable", 1L),
                "ga4", java.util.Map.of("not_matchable", 1L)), outbox.status(site));
        assertEquals(List.of(), outbox.deadLetters(site, 10), "nothing failed: there was nothing to send");
        clock.advance(Duration.ofDays(31));
        assertEquals(2, purge(Duration.ofDays(30)), "the records go after the keep period");
    }

    private double notMatchable(String target) {
        return metrics.find("calltrack.calls.not.matchable").tag("site", Long.toString(site)).tag("target", target)
                .counters().stream().mapToDouble(c -> c.count()).sum();
    }

    @Test
    void deliveredRowsAreForgottenAfterTheKeepPeriodButDeadLettersStay() {
        webhookOnly();
        receiver.thenAnswer(200, 410);
        listener.callCompleted(completed(completedCall()));
        listener.callCompleted(completed(completedCall()));
        assertEquals(2, drain());
        clock.advance(Duration.ofDays(29));
        assertEquals(0, purge(Duration.ofDays(30)));
        clock.advance(Duration.ofDays(2));
        assertEquals(1, purge(Duration.ofDays(30)));
        assertEquals(1, outbox.deadLetters(site, 10).size());
    }

    @Test
    void sitesWithoutSettingsQueueNothing() {
        listener.callCompleted(completed(completedCall()));
        assertEquals(0, drain());
        assertEquals(0, receiver.received().size());
    }

    @Test
    void aDeliveryWhoseSettingsWereRemovedIsDeadNotLost() {
        webhookOnly();
        listener.callCompleted(completed(completedCall()));
        settings.put(site, DeliverySettings.NONE);
        drain();
        Job e = outbox.find(onlyRowId()).orElseThrow();
        assertEquals(JobState.DEAD, e.state());
        assertTrue(e.lastError().contains("no longer configured"), e.lastError());
        assertNull(e.doneAt());
        assertNotNull(e.createdAt());
    }

    /** Settings stored before URLs were validated may hold one Java cannot parse, with a secret in its query. */
    @Test
    void aReceiverUrlThatCannotBeParsedIsDeadWithoutQuotingIt() {
        settings.put(site, new DeliverySettings("https://hooks.example.com/a b?token=hook-secret-42", SECRET, null,
                null, null, null, null, "https://track.example.com/"));
        listener.callCompleted(completed(completedCall()));
        drain();
        Job e = outbox.find(onlyRowId()).orElseThrow();
        assertEquals(JobState.DEAD, e.state());
        assertTrue(e.lastError().contains("not a valid URL"), e.lastError());
        assertFalse(e.lastError().contains("hook-secret-42"), e.lastError());
    }

    private int purge(Duration keep) {
        return jobs.purge(clock.instant().minus(keep));
    }

    private long onlyRowId() {
        List<Long> ids = new Jdbc(db.dataSource()).withHandle(h -> h.createQuery("SELECT id FROM job")
                .mapTo(Long.class).list());
        assertEquals(1, ids.size(), "exactly one job");
        return ids.get(0);
    }

    private static String hmacHex(String secret, byte[] body) throws Exception {
        javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
        mac.init(new javax.crypto.spec.SecretKeySpec(secret.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                "HmacSHA256"));
        return java.util.HexFormat.of().formatHex(mac.doFinal(body));
    }
}
