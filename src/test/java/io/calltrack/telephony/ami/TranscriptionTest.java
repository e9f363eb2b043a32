package io.calltrack.telephony.ami;

import static io.calltrack.telephony.ami.AmiFixture.T0;
import static io.calltrack.telephony.ami.AmiFixture.caller;
import static io.calltrack.telephony.ami.AmiFixture.manager;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.calltrack.calls.CallClass;
import io.calltrack.calls.Classification;
import io.calltrack.support.Http;
import io.calltrack.support.Speech;
import io.calltrack.telephony.ami.peer.AsteriskCall;
import io.calltrack.telephony.ami.peer.AsteriskCall.Chan;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A recorded call completed over AMI is transcribed by the real job queue and the real Vosk engine from an 8 kHz
 * two-channel recording (Festival's voice; left the caller, right the manager), and the dialogue is served by
 * {@code GET /v1/calls/{id}/transcript}. One fixture for the class: the model is loaded once per process anyway.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TranscriptionTest {
    private static final String GREETING = "hello thank you for calling";
    private static final String QUESTION = "what is the price of the green sofa";

    private final ObjectMapper json = new ObjectMapper();
    private AmiFixture f;
    private Http http;
    private Path recordings;

    @BeforeAll
    void start() throws Exception {
        Speech.require();
        f = new AmiFixture(Map.of("transcription.enabled", "true", "transcription.workers", "1",
                "outbox.initial-backoff", "1s"));
        http = new Http(f.baseUrl());
        recordings = Files.createDirectories(f.dataDir.resolve("recordings"));
        var rules = http.adminPut("/v1/sites/" + f.siteId + "/speech-rules", """
                {"rules": [{"phrases": ["price*"], "side": "caller", "tag": "price request", "classAs": "target"},
                           {"phrases": ["price*"], "side": "manager", "tag": "manager named a price"},
                           {"phrases": ["good morning"], "side": "manager", "tag": "greeting missing", "absent": true}]}""");
        assertEquals(200, rules.statusCode(), rules.body());
    }

    @AfterAll
    void stop() {
        if (f != null) f.close();
    }

    /** Opens a call, links {@code recording} to it as FastAGI does when MixMonitor starts, and completes it. */
    private long recordedCall(String uniqueid, Path recording) {
        Chan c = caller(uniqueid, "+1555000" + uniqueid.substring(6, 10));
        long id = f.open(c, T0);
        f.calls.setRecording(id, recording.toString());
        new AsteriskCall(f.peer, T0).answeredCall(c, manager("101", "0000" + uniqueid.substring(6, 10),
                uniqueid.replace(".1", ".2"), c.linkedid()), "b" + uniqueid, 2, 8);
        f.awaitCompleted(id);
        return id;
    }

    /** The transcript once its job has ended, asserting it ended as {@code status}. */
    private JsonNode awaitTranscript(long callId, String status) {
        JsonNode t = await("call " + callId + "'s transcription ends").atMost(Duration.ofMinutes(3))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> json.readTree(http.adminGet("/v1/calls/" + callId + "/transcript").body()),
                        n -> n.path("status").asText().equals("done") || n.path("status").asText().equals("dead"));
        assertEquals(status, t.path("status").asText(), t.toString());
        return t;
    }

    private static String said(JsonNode transcript, String side) {
        StringBuilder out = new StringBuilder();
        for (JsonNode turn : transcript.path("transcript").path("turns")) {
            if (turn.path("side").asText().equals(side)) out.append(turn.path("text").asText()).append(' ');
        }
        return out.toString().trim();
    }

    @Test
    void aTwoSidedTelephoneRecordingBecomesADialogueOfCallerAndManagerTurns() throws Exception {
        Path tmp = Files.createTempDirectory("call");
        Path managerSide = Speech.telephone(GREETING, 0.2, tmp.resolve("manager.wav"));
        Path callerSide = Speech.telephone(QUESTION, 2.6, tmp.resolve("caller.wav"));
        long id = recordedCall("1795500001.1", Speech.stereo(callerSide, managerSide, recordings.resolve("c1.wav")));

        JsonNode t = awaitTranscript(id, "done");

        String manager = said(t, "manager");
        String caller = said(t, "caller");
        assertTrue(Speech.wordErrorRate(GREETING, manager) <= 0.25, "manager heard as '" + manager + "'");
        assertTrue(Speech.wordErrorRate(QUESTION, caller) <= 0.25, "caller heard as '" + caller + "'");
        JsonNode turns = t.path("transcript").path("turns");
        assertEquals("manager", turns.get(0).path("side").asText(), "the manager greets first: " + turns);
        JsonNode lastWord = turns.get(turns.size() - 1).path("words");
        double end = lastWord.get(lastWord.size() - 1).path("end").asDouble();
        assertTrue(turns.get(turns.size() - 1).path("start").asDouble() >= 2.0 && end < 8.0,
                "the caller's question starts after its 2.6 s of silence and ends within the audio: " + turns);
        JsonNode tags = json.readTree(http.adminGet("/v1/calls/" + id).body()).path("tags");
        assertEquals("[\"greeting missing\",\"price request\"]", tags.toString(),
                "the caller asked the price, the manager did not say good morning");
        assertEquals(Optional.of(new Classification(Optional.of(CallClass.TARGET), "speech rule 'price request': target")),
                f.calls.find(id).orElseThrow().outcome().classification(), "the price request's verdict");
    }

    @Test
    void aRecordingMixMonitorIsStillWritingIsRetriedNotFailedAndTranscribedOnceClosed() throws Exception {
        Path tmp = Files.createTempDirectory("call");
        Path done = Speech.telephone(QUESTION, 0.2, tmp.resolve("caller.wav"));
        byte[] closed = Files.readAllBytes(done);
        byte[] open = closed.clone();
        for (int i : new int[] {4, 40}) java.util.Arrays.fill(open, i, i + 4, (byte) 0); // as Asterisk's WAV writer leaves them until it closes
        Path growing = Files.write(recordings.resolve("c3.wav"), open);
        long id = recordedCall("1795500003.1", growing);

        JsonNode retried = await("the job ran and was put back").atMost(Duration.ofMinutes(2))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> json.readTree(http.adminGet("/v1/calls/" + id + "/transcript").body()),
                        n -> !n.path("error").isNull() && !n.path("error").asText().isEmpty());
        assertTrue(retried.path("error").asText().contains("still being written"), retried.toString());
        assertTrue(Set.of("pending", "running").contains(retried.path("status").asText()), "retried, not failed: " + retried);

        Files.write(growing, closed); // MixMonitor closed it: the header's lengths are written
        JsonNode t = awaitTranscript(id, "done");
        assertTrue(Speech.wordErrorRate(QUESTION, said(t, "mixed")) <= 0.25, t.toString());
    }

    @Test
    void aCorruptedRecordingIsAFailedJobWithTheReasonNotACrash() throws Exception {
        Path broken = Files.write(recordings.resolve("broken.wav"), "RIFF\0\0\0\0WAVEjunkjunkjunk".getBytes());
        long id = recordedCall("1795500002.1", broken);

        JsonNode t = awaitTranscript(id, "dead");

        assertTrue(t.path("error").asText().contains("not a WAV"), t.toString());
        assertTrue(t.path("transcript").isNull(), t.toString());
    }
}
