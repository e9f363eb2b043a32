package io.calltrack.recordings.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.calltrack.platform.db.Jdbc;
import io.calltrack.recordings.Dialogue;
import io.calltrack.recordings.Side;
import io.calltrack.recordings.TranscriptRepository;
import io.calltrack.recordings.Turn;
import io.calltrack.recordings.Word;
import io.calltrack.reports.ReportFixture;
import io.calltrack.support.Http;
import io.calltrack.support.TestServer;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * GET /v1/calls/{id}/transcript says which words the site's speech rules match (to highlight), from the rules as they
 * are when it is served, not as they were when the call was transcribed.
 */
class TranscriptSpansTest {
    private static final ObjectMapper json = new ObjectMapper();
    private static TestServer server;
    private static Http http;
    private static ReportFixture f;
    private static TranscriptRepository transcripts;
    private static long site;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        http = new Http(server.baseUrl());
        f = new ReportFixture(server.db().dataSource());
        transcripts = new TranscriptRepository(new Jdbc(server.db().dataSource()), json);
        site = f.site("Europe/Moscow");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static Turn turn(Side side, double start, String text) {
        String[] words = text.split(" ");
        List<Word> w = Arrays.stream(words).map(s -> new Word(s, start, start + 0.5, 0.9)).toList();
        return new Turn(side, start, start + words.length * 0.5, text, w);
    }

    private static JsonNode transcript(long call) throws Exception {
        var r = http.adminGet("/v1/calls/" + call + "/transcript");
        assertEquals(200, r.statusCode(), r.body());
        return json.readTree(r.body());
    }

    @Test
    void theSpansAreTheWordsTheCurrentRulesMatch() throws Exception {
        long call = f.call(site).at("2026-03-01T08:00:00Z").answered(2, 30, "target").insert();
        transcripts.save(call, "en", 12, new Dialogue(List.of(
                turn(Side.MANAGER, 0.5, "hello thank you for calling"),
                turn(Side.CALLER, 3.0, "what is the price of the green sofa"),
                turn(Side.MANAGER, 7.0, "the price is nine hundred"))), Instant.parse("2026-03-01T08:05:00Z"));

        assertEquals("[]", transcript(call).get("spans").toString(), "no rules, nothing matched");

        var rules = http.adminPut("/v1/sites/" + site + "/speech-rules", """
                {"rules": [{"phrases": ["price*"], "side": "caller", "tag": "price request"},
                           {"phrases": ["green sofa"], "side": "either", "tag": "sofa"},
                           {"phrases": ["good morning"], "side": "manager", "tag": "no greeting", "absent": true}]}""");
        assertEquals(200, rules.statusCode(), rules.body());
        JsonNode t = transcript(call);
        assertEquals("done", t.get("status").asText());
        assertEquals(json.readTree("""
                [{"turn": 1, "fromWord": 3, "toWord": 3, "tag": "price request"},
                 {"turn": 1, "fromWord": 6, "toWord": 7, "tag": "sofa"}]"""), t.get("spans"), t.toString());
        assertEquals("price", t.at("/transcript/turns/1/words/3/text").asText());
    }

    @Test
    void aCallNotYetTranscribedHasNoSpans() throws Exception {
        long call = f.call(site).at("2026-03-02T08:00:00Z").answered(2, 30, "target").insert();
        JsonNode t = transcript(call);
        assertEquals("none", t.get("status").asText());
        assertEquals("[]", t.get("spans").toString());
    }
}
