package io.calltrack.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.calltrack.Json;
import io.calltrack.calls.CallLifecycle;
import io.calltrack.calls.CallRepository;
import io.calltrack.calls.CallTags;
import io.calltrack.calls.CompletedCall;
import io.calltrack.calls.RecordingFiles;
import io.calltrack.calls.SignalSpool;
import io.calltrack.platform.db.Jdbc;
import io.calltrack.platform.jobs.Job;
import io.calltrack.platform.jobs.JobHandler;
import io.calltrack.platform.jobs.JobKind;
import io.calltrack.platform.jobs.JobRepository;
import io.calltrack.platform.jobs.JobRunner;
import io.calltrack.platform.jobs.JobState;
import io.calltrack.platform.jobs.RetryPolicy;
import io.calltrack.recordings.SpeechEngine;
import io.calltrack.recordings.Transcriber;
import io.calltrack.recordings.TranscriptRepository;
import io.calltrack.recordings.TranscriptionHandler;
import io.calltrack.recordings.TranscriptionListener;
import io.calltrack.recordings.TranscriptionSettings;
import io.calltrack.recordings.Utterance;
import io.calltrack.recordings.Word;
import io.calltrack.recordings.rules.RuleApplier;
import io.calltrack.recordings.rules.SpeechRule;
import io.calltrack.recordings.rules.SpeechRuleRepository;
import io.calltrack.recordings.rules.SpeechRules;
import io.calltrack.reports.ReportFixture;
import io.calltrack.routing.RoutingRepository;
import io.calltrack.support.MutableClock;
import io.calltrack.support.TestDatabase;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.ByteArrayInputStream;
import java.net.http.HttpClient;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sound.sampled.AudioFileFormat;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A call's transcript goes out as {@code call.transcribed}: the real transcription job (its engine scripted) stores
 * the dialogue and the rule tags, tells the delivery listener, and the outbox sends the signed webhook to a real
 * receiver, with the tags and the transcript. Metrica and GA4, configured and able to match the call, get nothing.
 */
class TranscribedDeliveryTest {
    static final String SECRET = "s3cret";
    static final ObjectMapper json = Json.mapper();
    /** The test's recording holds one constant level per channel: the scripted engine hears a line per level. */
    static final short CALLER_LEVEL = 1000;
    static final short MANAGER_LEVEL = 2000;

    TestDatabase db;
    TestReceiver receiver;
    MutableClock clock = new MutableClock(Instant.parse("2026-03-08T12:00:00Z"));
    JobRepository jobs;
    Outbox outbox;
    List<JobHandler> handlers = new ArrayList<>();
    ReportFixture fx;
    Path recordings;
    TranscriptionListener transcriptionJobs;
    CallLifecycle lifecycle;
    long site;

    /** Stands in for Vosk: what each side of the recording says, word by word with its times. */
    static final SpeechEngine ENGINE = (audio, language) -> audio.samples()[0] == CALLER_LEVEL
            ? List.of(new Utterance(List.of(new Word("what's", 2.5, 2.8, 0.9), new Word("the", 2.8, 2.9, 0.9),
                    new Word("price", 2.9, 3.4, 0.8))))
            : List.of(new Utterance(List.of(new Word("hello", 0.2, 0.6, 1), new Word("acme", 0.6, 1.1, 0.7))));

    @BeforeEach
    void setUp() throws Exception {
        db = TestDatabase.create();
        receiver = new TestReceiver();
        Jdbc jdbc = new Jdbc(db.dataSource());
        jobs = new JobRepository(jdbc);
        DeliverySettingsStore settings = new DeliverySettingsStore(jdbc);
        CallRepository calls = new CallRepository(jdbc, json, new RoutingRepository(jdbc, json));
        TranscriptRepository transcripts = new TranscriptRepository(jdbc, json);
        CallTags tags = new CallTags(jdbc);
        List<DeliveryTarget> targets = Deliveries.targets(json, transcripts, tags);
        outbox = new Outbox(jobs, settings, calls, targets, new SimpleMeterRegistry(), clock);
        handlers.addAll(Deliveries.handlers(targets, HttpClient.newHttpClient(), calls, settings,
                Duration.ofSeconds(5)));
        recordings = Files.createTempDirectory("recordings");
        SpeechRuleRepository rules = new SpeechRuleRepository(jdbc, json);
        TranscriptionSettings transcription = new TranscriptionSettings(jdbc,
                new TranscriptionSettings.Site(true, "en"));
        DeliveryListener deliveries = new DeliveryListener(outbox);
        lifecycle = new CallLifecycle(calls, new SignalSpool(Files.createTempDirectory("spool"), json, clock),
                List.of(deliveries), opened -> {}, 60_000);
        handlers.add(new TranscriptionHandler(calls, transcription, new Transcriber(ENGINE), transcripts,
                new RecordingFiles(recordings), new RuleApplier(rules, tags, lifecycle), deliveries,
                new SimpleMeterRegistry(), clock));
        fx = new ReportFixture(db.dataSource());
        site = fx.site("UTC");
        rules.set(site, SpeechRules.of(List.of(
                new SpeechRule(List.of("price*"), SpeechRule.RuleSide.CALLER, "price request", false, null))));
        settings.put(site, new DeliverySettings(receiver.url("/hook"), SECRET,
                receiver.url("/management/v1/counter/42/offline_conversions/upload_calls"), "token",
                receiver.url("/mp/collect"), "G-TEST", "secret", "https://track.example.com"));
        transcriptionJobs = new TranscriptionListener(transcription, jobs, Duration.ZERO, clock);
    }

    @AfterEach
    void tearDown() {
        lifecycle.close();
        receiver.close();
        db.close();
    }

    /** Runs every due job (the transcription, then the deliveries it queued) until none is left. */
    private void drain() {
        JobRunner runner = new JobRunner(jobs, handlers, new RetryPolicy(Duration.ofSeconds(10), Duration.ofMinutes(10),
                30, Duration.ofHours(48)), 2, Duration.ofMinutes(1), "test-worker", new SimpleMeterRegistry(), clock);
        while (runner.runDue() > 0) {
            // a run may queue more
        }
    }

    /** A two-channel 8 kHz recording, left the caller, right the manager, in the recordings directory. */
    private String stereoRecording(String name) throws Exception {
        int frames = 8000 * 4;
        ByteBuffer pcm = ByteBuffer.allocate(frames * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < frames; i++) pcm.putShort(CALLER_LEVEL).putShort(MANAGER_LEVEL);
        AudioFormat format = new AudioFormat(8000, 16, 2, true, false);
        AudioSystem.write(new AudioInputStream(new ByteArrayInputStream(pcm.array()), format, frames),
                AudioFileFormat.Type.WAVE, recordings.resolve(name).toFile());
        return name;
    }

    @Test
    void aStoredTranscriptIsDeliveredSignedWithTheTagsAndTheDialogueToTheWebhookOnly() throws Exception {
        long call = fx.call(site).ymClientId("1700000000123456789").gaClientId("1234567890.1700000000")
                .caller("+12125550002").recording(stereoRecording("c1.wav")).at("2026-03-08T11:58:00Z")
                .answered(7, 95, "target").insert();
        assertEquals(3, outbox.enqueueForCall(call, WebhookEvents.COMPLETED),
                "a completed call goes to all three: Metrica and GA4 can match this one");
        drain();
        int completedRequests = receiver.received().size();
        assertEquals(3, completedRequests);

        transcriptionJobs.callCompleted(new CompletedCall(call, Optional.of(site), true));
        drain();

        List<TestReceiver.Received> after = receiver.received();
        assertEquals(completedRequests + 1, after.size(), "one more request, the webhook's: " + after);
        TestReceiver.Received hook = after.get(after.size() - 1);
        assertEquals("/hook", hook.path());
        assertEquals("call.transcribed", hook.header("X-Calltrack-Event"));
        assertEquals(WebhookSignature.sign(SECRET, hook.body()), hook.header(WebhookSignature.HEADER));

        JsonNode body = json.readTree(hook.body());
        assertEquals("call.transcribed", body.path("event").asText());
        JsonNode c = body.path("call");
        assertEquals(call, c.path("id").asLong());
        assertEquals("target", c.path("class").asText(), "the call as in the other events");
        assertEquals("https://track.example.com/v1/calls/" + call + "/recording", c.path("recording_url").asText());
        assertEquals("[\"price request\"]", c.path("tags").toString());
        JsonNode t = c.path("transcript");
        assertEquals("en", t.path("language").asText());
        assertEquals(4.0, t.path("audio_seconds").asDouble(), 0.01);
        assertEquals(json.readTree("""
                [{"side":"manager","start":0.2,"end":1.1,"text":"hello acme"},
                 {"side":"caller","start":2.5,"end":3.4,"text":"what's the price"}]"""), t.path("turns"),
                "the turns in the order they began, without the words' times");

        List<Job> transcribed = jobs.ofSite(site, List.of(JobKind.WEBHOOK, JobKind.METRICA, JobKind.GA4), null, 10)
                .stream().filter(j -> j.event().equals(WebhookEvents.TRANSCRIBED)).toList();
        assertEquals(1, transcribed.size(), "no Metrica or GA4 job, not even a skipped one: " + transcribed);
        assertEquals(JobKind.WEBHOOK, transcribed.get(0).kind());
        assertEquals(JobState.DONE, transcribed.get(0).state());
    }
}
