package io.calltrack.telephony.ami;

import static io.calltrack.telephony.ami.AmiFixture.T0;
import static io.calltrack.telephony.ami.AmiFixture.caller;
import static io.calltrack.telephony.ami.AmiFixture.manager;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.calltrack.telephony.ami.peer.AsteriskCall.Chan;
import io.calltrack.telephony.ami.peer.AsteriskCall;
import io.calltrack.calls.CallClass;
import io.calltrack.calls.Classification;
import io.calltrack.support.Http;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The calls API over HTTP: filters, pagination, timeline, recordings with ranges, re-classification. */
class CallsApiTest {
    private final ObjectMapper json = new ObjectMapper();
    private AmiFixture f;
    private Http http;
    private long target;
    private long shortCall;
    private long missed;

    @BeforeEach
    void start() throws Exception {
        f = new AmiFixture();
        http = new Http(f.baseUrl());
        target = call("1795400000.1", "+15550000001", "101", 60);
        shortCall = call("1795400100.1", "+15550000002", "102", 20);
        Chan c = caller("1795400200.1", "+15550000003");
        Chan anna = manager("101", "00000103", "1795400200.2", c.linkedid());
        missed = f.open(c, T0.plusSeconds(400));
        AsteriskCall a = new AsteriskCall(f.peer, T0.plusSeconds(400));
        a.newchannel(c);
        a.dialBegin(c, anna, "101");
        a.tick(20);
        a.dialEnd(c, anna, "NOANSWER");
        a.hangup(c, 16, "Normal Clearing");
        f.awaitCompleted(missed);
    }

    private long call(String uniqueid, String number, String endpoint, long talk) throws Exception {
        Chan c = caller(uniqueid, number);
        long offset = Long.parseLong(uniqueid.substring(6, 10)) - 0;
        java.time.Instant start = T0.plusSeconds(offset);
        long id = f.open(c, start);
        new AsteriskCall(f.peer, start).answeredCall(c, manager(endpoint, "000001" + endpoint.substring(1),
                uniqueid.replace(".1", ".2"), c.linkedid()), "b" + uniqueid, 3, talk);
        f.awaitCompleted(id);
        return id;
    }

    @AfterEach
    void stop() {
        f.close();
    }

    private JsonNode get(String path) throws Exception {
        HttpResponse<String> r = http.adminGet(path);
        assertEquals(200, r.statusCode(), r.body());
        return json.readTree(r.body());
    }

    private List<Long> ids(JsonNode page) {
        return java.util.stream.StreamSupport.stream(page.get("items").spliterator(), false).map(n -> n.get("id").asLong()).toList();
    }

    @Test
    void listsNewestFirstWithFiltersAndKeysetPagination() throws Exception {
        assertEquals(List.of(missed, shortCall, target), ids(get("/v1/calls")));
        assertEquals(List.of(target), ids(get("/v1/calls?class=target")));
        assertEquals(List.of(shortCall), ids(get("/v1/calls?manager=" + f.boris)));
        assertEquals(List.of(missed), ids(get("/v1/calls?caller=%2B15550000003")));
        assertEquals(List.of(missed), ids(get("/v1/calls?caller=+15550000003")), "an unencoded + is a plus");
        assertEquals(400, http.adminGet("/v1/calls?caller=555-0000").statusCode(), "not E.164: said, not unmatched");
        assertEquals(List.of(shortCall, target), ids(get("/v1/calls?site=" + f.siteId + "&to=" + T0.plusSeconds(400))));
        assertEquals(List.of(missed), ids(get("/v1/calls?campaign=spring&from=" + T0.plusSeconds(400))));

        JsonNode first = get("/v1/calls?limit=2");
        assertEquals(List.of(missed, shortCall), ids(first));
        JsonNode second = get("/v1/calls?limit=2&cursor=" + first.get("nextCursor").asLong());
        assertEquals(List.of(target), ids(second));
        assertTrue(second.get("nextCursor").isNull());

        assertEquals(400, http.adminGet("/v1/calls?class=great").statusCode());
        assertEquals(400, http.adminGet("/v1/calls?from=yesterday").statusCode());
        assertEquals(401, http.get("/v1/calls").statusCode());
    }

    @Test
    void oneCallWithAttributionAndTimeline() throws Exception {
        JsonNode call = get("/v1/calls/" + target);
        JsonNode lastTouch = call.get("visit").get("touches").get("last");
        assertEquals("Google Ads", lastTouch.get("channelName").asText());
        assertEquals("spring", lastTouch.get("utm").get("campaign").asText());
        assertEquals("target", call.get("outcome").get("classification").get("callClass").asText());
        List<String> kinds = java.util.stream.StreamSupport.stream(call.get("events").spliterator(), false)
                .map(e -> e.get("kind").asText()).toList();
        assertEquals(List.of("dial_begin", "dial_end", "bridged", "ended"), kinds);
        assertEquals("ANSWER", call.get("events").get(1).get("detail").get("value").asText());
        assertEquals(404, http.adminGet("/v1/calls/999999").statusCode());
    }

    /** The calls API speaks camelCase like the rest of the API: no database column name leaks into a body. */
    @Test
    void everyFieldNameIsCamelCase() throws Exception {
        List<String> snake = new java.util.ArrayList<>();
        collectSnakeCaseNames(get("/v1/calls"), "", snake);
        collectSnakeCaseNames(get("/v1/calls/" + target), "", snake);
        var r = http.adminPost("/v1/sites/" + f.siteId + "/reclassify", "");
        collectSnakeCaseNames(json.readTree(r.body()), "", snake);
        assertEquals(List.of(), snake);
        JsonNode call = get("/v1/calls/" + target);
        assertEquals(f.anna, call.get("managerId").asLong());
        assertEquals(60, call.at("/outcome/talkSeconds").asInt(), call.toString());
        assertTrue(call.get("startedAt").asText().endsWith("Z"), "an ISO-8601 instant: " + call.get("startedAt"));
    }

    private static void collectSnakeCaseNames(JsonNode node, String path, List<String> found) {
        if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) collectSnakeCaseNames(node.get(i), path + "/" + i, found);
        }
        node.fieldNames().forEachRemaining(name -> {
            if (name.contains("_")) found.add(path + "/" + name);
            collectSnakeCaseNames(node.get(name), path + "/" + name, found);
        });
    }

    @Test
    void recordingStreamsWithRanges() throws Exception {
        Path dir = Files.createDirectories(f.dataDir.resolve("recordings"));
        byte[] audio = new byte[100_000];
        for (int i = 0; i < audio.length; i++) audio[i] = (byte) i;
        Files.write(dir.resolve("rec1.wav"), audio);
        f.calls.setRecording(target, dir.resolve("rec1.wav").toString());

        HttpResponse<byte[]> whole = bytes("/v1/calls/" + target + "/recording", null);
        assertEquals(200, whole.statusCode());
        assertEquals("audio/wav", whole.headers().firstValue("content-type").orElseThrow());
        assertArrayEquals(audio, whole.body());

        HttpResponse<byte[]> part = bytes("/v1/calls/" + target + "/recording", "bytes=10-19");
        assertEquals(206, part.statusCode());
        assertEquals("bytes 10-19/100000", part.headers().firstValue("content-range").orElseThrow());
        assertArrayEquals(Arrays.copyOfRange(audio, 10, 20), part.body());

        HttpResponse<byte[]> tail = bytes("/v1/calls/" + target + "/recording", "bytes=-5");
        assertArrayEquals(Arrays.copyOfRange(audio, 99_995, 100_000), tail.body());

        HttpResponse<byte[]> bad = bytes("/v1/calls/" + target + "/recording", "bytes=100000-");
        assertEquals(416, bad.statusCode());
        assertEquals("bytes */100000", bad.headers().firstValue("content-range").orElseThrow());
        assertEquals(404, bytes("/v1/calls/" + shortCall + "/recording", null).statusCode(), "no recording");
    }

    @Test
    void recordingPathNeverEscapesTheRecordingsDirectory() throws Exception {
        Path dir = Files.createDirectories(f.dataDir.resolve("recordings"));
        Files.writeString(f.dataDir.resolve("secret.txt"), "admin token");
        Files.createSymbolicLink(dir.resolve("link.wav"), f.dataDir.resolve("secret.txt"));
        for (String path : List.of("../secret.txt", dir + "/../secret.txt", f.dataDir.resolve("secret.txt").toString(),
                "link.wav", "/etc/passwd", "sub/../../secret.txt")) {
            f.calls.setRecording(target, path);
            assertEquals(404, bytes("/v1/calls/" + target + "/recording", null).statusCode(), path);
        }
    }

    @Test
    void thresholdChangeReclassifiesPastCalls() throws Exception {
        f.insert("UPDATE site SET target_threshold_seconds = 15 WHERE id = " + f.siteId + " RETURNING id");
        HttpResponse<String> r = http.adminPost("/v1/sites/" + f.siteId + "/reclassify", "");
        assertEquals(200, r.statusCode(), r.body());
        assertEquals(1, json.readTree(r.body()).get("reclassified").asInt());
        assertEquals(Optional.of(CallClass.TARGET), f.calls.find(shortCall).orElseThrow().outcome().callClass());
        assertEquals("talked 20 s, threshold 15 s", f.calls.find(shortCall).orElseThrow().outcome().classification().map(Classification::reason).orElse(null));
        assertEquals(Optional.of(CallClass.UNANSWERED), f.calls.find(missed).orElseThrow().outcome().callClass());
    }

    private HttpResponse<byte[]> bytes(String path, String range) throws Exception {
        var b = http.builder(path).GET().header("Authorization", "Bearer " + io.calltrack.support.TestServer.ADMIN_TOKEN);
        if (range != null) b.header("Range", range);
        return java.net.http.HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

}
