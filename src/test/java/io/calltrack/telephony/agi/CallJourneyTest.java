package io.calltrack.telephony.agi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.calltrack.telephony.agi.peer.FakeAsterisk;
import io.calltrack.telephony.ami.peer.AmiPeer;
import io.calltrack.telephony.ami.peer.AsteriskCall;
import io.calltrack.telephony.ami.peer.AsteriskCall.Chan;
import io.calltrack.support.Http;
import io.calltrack.support.TcpProxy;
import io.calltrack.support.TestDatabase;
import io.calltrack.support.TestServer;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Whole calls as a PBX produces them: FastAGI at ring time and AMI events for the outcome, against calltrack
 * started as in production (database reached through a proxy the test can cut).
 */
class CallJourneyTest {
    static final ObjectMapper json = new ObjectMapper();
    static final String CALLER = "+16175550123";
    /** How long the call record may take to catch up with what the peers did (applied asynchronously). */
    static final Duration WAIT = Duration.ofSeconds(10);
    static final Duration POLL = Duration.ofMillis(25);

    AmiPeer ami;
    TestDatabase db;
    TcpProxy dbProxy;
    TestServer server;
    Http http;
    long siteId;

    @BeforeEach
    void start() throws Exception {
        ami = new AmiPeer("calltrack", "s3cret");
        db = TestDatabase.create();
        dbProxy = new TcpProxy(URI.create(db.url().substring("jdbc:".length())).getPort());
        server = TestServer.start(Map.of(
                "db.url", db.url().replaceFirst(":\\d+/", ":" + dbProxy.port() + "/"),
                "ami.host", "127.0.0.1", "ami.port", String.valueOf(ami.port()),
                "ami.secret", "s3cret", "agi.fallback-dial", "PJSIP/reception", "agi.decision-timeout", "1s"));
        ami.awaitLogin();
        // after each login calltrack ends the open calls Asterisk no longer has: let that pass before calls ring
        ami.awaitChannelListing();
        http = new Http(server.baseUrl());
        siteId = json.readTree(http.adminPost("/v1/sites", """
                {"name":"Shop","timeZone":"America/New_York","fallbackNumber":"+12125550100"}""").body())
                .get("id").asLong();
        http.adminPost("/v1/sites/" + siteId + "/numbers", "{\"number\":\"+13125550001\",\"kind\":\"pool\"}");
        var r = http.adminPut("/v1/sites/" + siteId + "/routing", """
                {"departments":[{"name":"Sales","managers":[{"name":"Ann","dialString":"PJSIP/101"},
                                                            {"name":"Bob","dialString":"PJSIP/102"}]}],
                 "rules":[{"name":"all","then":{"department":"Sales","strategy":"sticky"}}]}""");
        assertEquals(200, r.statusCode(), r.body());
    }

    @AfterEach
    void stop() {
        server.close();
        dbProxy.close();
        db.close();
        ami.close();
    }

    @Test
    void aRepeatCallerGoesFirstToTheManagerWhoTalkedToThemLast() throws Exception {
        // first call: Ann does not answer, Bob does and talks for 90 s
        String first = "1795382012.11";
        FakeAsterisk.Transcript t1 = agiCall(first).dialOutcome("PJSIP/101", "NOANSWER")
                .dialOutcome("PJSIP/102", "ANSWER").run();
        assertEquals(List.of("EXEC Dial \"PJSIP/101,20\"", "EXEC Dial \"PJSIP/102,20\""), IncomingCallTest.dials(t1));
        AsteriskCall a = new AsteriskCall(ami, Instant.now());
        Chan caller = new Chan("PJSIP/trunk-00000011", first, first, CALLER, "calltrack-incoming", "13125550001");
        Chan ann = new Chan("PJSIP/101-00000012", "1795382012.12", first, "101", "from-internal", "s");
        Chan bob = new Chan("PJSIP/102-00000013", "1795382012.13", first, "102", "from-internal", "s");
        a.newchannel(caller);
        a.dialBegin(caller, ann, "101");
        a.tick(20);
        a.dialEnd(caller, ann, "NOANSWER");
        a.hangup(ann, 19, "No answer");
        a.dialBegin(caller, bob, "102");
        a.tick(5);
        a.dialEnd(caller, bob, "ANSWER");
        a.bridge("b-1", caller, bob);
        a.tick(90);
        a.hangup(caller, 16, "Normal Clearing");
        a.hangup(bob, 16, "Normal Clearing");
        JsonNode call = awaitCompleted(first);
        assertEquals("target", call.at("/outcome/classification/callClass").asText());
        assertTrue(call.at("/firstTimeCaller").asBoolean());

        // the same caller again: Bob rings first
        FakeAsterisk.Transcript t2 = agiCall("1795382999.1").dialOutcome("PJSIP/102", "ANSWER").run();
        assertEquals("EXEC Dial \"PJSIP/102,20\"", IncomingCallTest.dials(t2).get(0));
        JsonNode second = callByLinkedid("1795382999.1");
        assertTrue(second.at("/repeatCall").asBoolean());
    }

    /**
     * What a real Asterisk did under a burst: its manager queue backed up, so DialEnd and Hangup were stamped and
     * delivered seconds late (here: answered at +12 s, hung up at +30 s by AMI's timestamps). The outcome is the one
     * app_dial measured (5 s of talk, non-target), not one computed from AMI timestamps (18 s).
     */
    @Test
    void lateAmiEventsDoNotChangeTheOutcomeTheDialMeasured() throws Exception {
        String id = "1795384000.1";
        Instant rang = Instant.now();
        agiCall(id).dialOutcome("PJSIP/101", "ANSWER").talks(Duration.ofSeconds(5)).run();
        AsteriskCall a = new AsteriskCall(ami, rang);
        Chan caller = new Chan("PJSIP/trunk-00000021", id, id, CALLER, "calltrack-incoming", "13125550001");
        Chan ann = new Chan("PJSIP/101-00000022", "1795384000.2", id, "101", "from-internal", "s");
        a.answeredCall(caller, ann, "b-lag", 12, 18);

        JsonNode call = awaitCompleted(id);
        assertEquals(5, call.at("/outcome/talkSeconds").asInt(), call.toString());
        assertEquals("non_target", call.at("/outcome/classification/callClass").asText());
        assertEquals("talked 5 s, below threshold 30 s", call.at("/outcome/classification/reason").asText());
        awaitHangupCause(id);
    }

    /** AMI's hangup still adds what only it knows (the cause) without touching the outcome. */
    void awaitHangupCause(String linkedid) {
        JsonNode c = await("AMI's hangup cause on call " + linkedid).atMost(WAIT).pollInterval(POLL)
                .until(() -> findByLinkedid(linkedid), found -> found != null
                        && found.at("/outcome/hangupCause").asInt() == 16);
        assertEquals(5, c.at("/outcome/talkSeconds").asInt());
    }

    @Test
    void withTheDatabaseGoneTheCallerStillReachesTheFallbackAndTheCallIsRecordedOnceItIsBack() throws Exception {
        dbProxy.cut();
        FakeAsterisk.Transcript t = agiCall("1795383000.1").dialOutcome("PJSIP/reception", "NOANSWER").run();
        assertEquals(List.of("EXEC Dial \"PJSIP/reception,30\""), IncomingCallTest.dials(t));
        assertEquals("1", t.variables().get("CALLTRACK_ROUTED"));
        assertTrue(t.closedByServer());

        dbProxy.restore();
        // the call rang while the database was away and is recorded once it is back
        JsonNode call = await("the call recorded from the spool").atMost(WAIT).pollInterval(POLL)
                .until(() -> findByLinkedid("1795383000.1"), Objects::nonNull);
        assertEquals("unattributed", call.get("attribution").asText());
        assertEquals(CALLER, call.at("/callerNumber").asText());
    }

    FakeAsterisk.Builder agiCall(String uniqueId) {
        return FakeAsterisk.call(server.app().agiPort()).script("incoming").uniqueId(uniqueId)
                .dnid("13125550001").extension("13125550001").args("13125550001").callerId(CALLER);
    }

    JsonNode awaitCompleted(String linkedid) {
        return await("call " + linkedid + " completed").atMost(WAIT).pollInterval(POLL)
                .until(() -> findByLinkedid(linkedid), c -> c != null && c.get("state").asText().equals("completed"));
    }

    JsonNode callByLinkedid(String linkedid) throws Exception {
        JsonNode c = findByLinkedid(linkedid);
        assertTrue(c != null, "no call " + linkedid);
        return c;
    }

    JsonNode findByLinkedid(String linkedid) throws Exception {
        var r = http.adminGet("/v1/calls");
        if (r.statusCode() != 200) return null;
        for (JsonNode c : json.readTree(r.body()).get("items")) {
            if (c.get("linkedid").asText().equals(linkedid)) return c;
        }
        return null;
    }
}
