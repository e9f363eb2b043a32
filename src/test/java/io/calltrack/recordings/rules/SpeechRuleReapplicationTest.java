package io.calltrack.recordings.rules;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.calltrack.Json;
import io.calltrack.calls.CallRepository;
import io.calltrack.calls.CallSignal;
import io.calltrack.calls.DialStatus;
import io.calltrack.calls.NewCall;
import io.calltrack.platform.db.Jdbc;
import io.calltrack.recordings.Dialogue;
import io.calltrack.recordings.Side;
import io.calltrack.recordings.TranscriptRepository;
import io.calltrack.recordings.Turn;
import io.calltrack.recordings.Word;
import io.calltrack.routing.RoutingRepository;
import io.calltrack.support.Http;
import io.calltrack.support.TestDatabase;
import io.calltrack.support.TestServer;
import io.calltrack.tracking.Attribution;
import io.calltrack.tracking.CreditedVisit;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Changed speech rules are applied again to the site's transcribed calls by the real job queue, after the PUT
 * answered and across a restart: tags replaced, classes judged by the new verdicts, and back to the threshold when
 * the rules no longer give one. Transcripts are stored as the transcription job stores them (no speech engine: the
 * rules read stored transcripts).
 */
class SpeechRuleReapplicationTest {
    private static final Instant T0 = Instant.parse("2026-11-02T10:00:00Z");

    private final ObjectMapper json = new ObjectMapper();
    private final TestDatabase db = TestDatabase.create();
    private final Jdbc jdbc = new Jdbc(db.dataSource());
    private final CallRepository calls = new CallRepository(jdbc, Json.mapper(), new RoutingRepository(jdbc, Json.mapper()));
    private final TranscriptRepository transcripts = new TranscriptRepository(jdbc, Json.mapper());

    @AfterEach
    void stop() {
        db.close();
    }

    private long insert(String sql) throws Exception {
        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** A call of the site (threshold 30 s) answered at 5 s, {@code talk} s long, in which the caller said {@code said}. */
    private long transcribedCall(long siteId, String linkedid, int talk, String said) {
        long id = calls.open(new NewCall(linkedid, "agi", T0, Optional.of("+15557654321"),
                new Attribution(Attribution.Kind.UNATTRIBUTED, new Attribution.CalledNumber(Optional.of(siteId),
                        Optional.empty(), "+15551000", false, false), CreditedVisit.NONE), OptionalInt.of(30)), 30)
                .callId();
        calls.apply(CallSignal.dialEnd(linkedid, null, "dialend/" + linkedid, T0.plusSeconds(5), "PJSIP/101-01",
                DialStatus.ANSWER));
        calls.apply(new CallSignal(linkedid, null, "hangup/" + linkedid, CallSignal.Kind.ENDED,
                T0.plusSeconds(5 + talk), "PJSIP/101-01", null, 16, null, false));
        if (said != null) {
            List<Word> words = Arrays.stream(said.split(" ")).map(w -> new Word(w, 1, 2, 0.9)).toList();
            transcripts.save(id, "en", talk, new Dialogue(List.of(new Turn(Side.CALLER, 1, 2, said, words))), T0);
        }
        return id;
    }

    private JsonNode call(Http http, long id) throws Exception {
        return json.readTree(http.adminGet("/v1/calls/" + id).body());
    }

    private static String classOf(JsonNode call) {
        return call.at("/outcome/classification/callClass").asText() + ": "
                + call.at("/outcome/classification/reason").asText() + " " + call.path("tags");
    }

    private void awaitClass(Http http, long id, String expected) {
        await("call " + id + " re-judged").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .until(() -> classOf(call(http, id)), expected::equals);
    }

    @Test
    void changedRulesReTagAndReJudgeTheTranscribedCallsOnTheQueueAcrossARestart() throws Exception {
        long siteId = insert("INSERT INTO site (name, public_key, time_zone, fallback_number) "
                + "VALUES ('Shop', 'pk1', 'UTC', '+15550000000') RETURNING id");
        long asked = transcribedCall(siteId, "R1", 12, "how much is the price");
        long wrong = transcribedCall(siteId, "R2", 300, "sorry wrong number");
        long untranscribed = transcribedCall(siteId, "R3", 12, null);
        String rules = """
                {"rules": [{"phrases": ["price*"], "side": "caller", "tag": "price request", "classAs": "target"},
                           {"phrases": ["wrong number"], "side": "either", "tag": "wrong number",
                            "classAs": "non-target"}]}""";

        // an instance whose queue does not look again for an hour: what the PUT queued waits for the next one
        try (TestServer before = TestServer.startOn(db, Map.of("outbox.poll-interval", "1h"), Clock.systemUTC())) {
            Http http = new Http(before.baseUrl());
            var put = http.adminPut("/v1/sites/" + siteId + "/speech-rules", rules);
            assertEquals(200, put.statusCode(), put.body());
            assertEquals(2, json.readTree(put.body()).path("reapplying").asInt(), put.body());
            assertEquals("non_target: talked 12 s, below threshold 30 s []", classOf(call(http, asked)),
                    "not judged within the request");
            var again = http.adminPut("/v1/sites/" + siteId + "/speech-rules", rules);
            assertEquals(2, json.readTree(again.body()).path("reapplying").asInt(), again.body());
            assertEquals(2, insert("SELECT count(*) FROM job WHERE kind = 'speech-rules' AND site_id = " + siteId),
                    "a call whose re-application still waits is not queued twice");
        }

        try (TestServer after = TestServer.startOn(db, Map.of(), Clock.systemUTC())) {
            Http http = new Http(after.baseUrl());
            awaitClass(http, asked, "target: speech rule 'price request': target [\"price request\"]");
            awaitClass(http, wrong, "non_target: speech rule 'wrong number': non-target [\"wrong number\"]");
            assertEquals("non_target: talked 12 s, below threshold 30 s []", classOf(call(http, untranscribed)));

            var put = http.adminPut("/v1/sites/" + siteId + "/speech-rules", """
                    {"rules": [{"phrases": ["price*"], "side": "caller", "tag": "asked the price"}]}""");
            assertEquals(2, json.readTree(put.body()).path("reapplying").asInt(), put.body());
            awaitClass(http, asked, "non_target: talked 12 s, below threshold 30 s [\"asked the price\"]");
            awaitClass(http, wrong, "target: talked 300 s, threshold 30 s []");
        }
    }
}
