package io.calltrack.telephony.agi;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.calltrack.telephony.agi.peer.FakeAsterisk;
import io.calltrack.support.Http;
import io.calltrack.support.LogCapture;
import io.calltrack.support.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A call on a tracked number, end to end: HTTP setup, a visitor's lease, Asterisk's FastAGI, the database. */
class IncomingCallTest {
    static final String FALLBACK_DIAL = "PJSIP/reception";
    static final ObjectMapper json = new ObjectMapper();
    static final AtomicInteger uniqueIds = new AtomicInteger(100);

    TestServer server;
    Http http;
    long siteId;
    String siteKey;

    @BeforeEach
    void start() throws Exception {
        server = TestServer.start(Map.of("agi.fallback-dial", FALLBACK_DIAL, "tracking.default-region", "US"));
        http = new Http(server.baseUrl());
        JsonNode site = admin("POST", "/v1/sites", """
                {"name":"Shop","timeZone":"America/New_York","fallbackNumber":"+12125550100",
                 "allowedOrigins":["*"]}""");
        siteId = site.get("id").asLong();
        siteKey = site.get("publicKey").asText();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void aCallOnAVisitorsNumberIsAttributedToTheVisitorsSessionAndRecorded() throws Exception {
        admin("POST", "/v1/sites/" + siteId + "/numbers", "{\"number\":\"+13125550001\",\"kind\":\"pool\"}");
        JsonNode session = visit("cid-1", "https://shop.example/sofas?utm_source=google&utm_medium=cpc"
                + "&utm_campaign=spring-sale&utm_term=red+sofa");
        assertEquals("+13125550001", session.at("/number/e164").asText());

        FakeAsterisk.Transcript t = call("13125550001", "+16175550123").run();

        JsonNode call = onlyCall();
        assertEquals("dynamic", call.get("attribution").asText());
        assertEquals(session.get("sessionId").asText(), call.at("/visit/sessionId").asText());
        assertEquals("spring-sale", call.at("/visit/touches/last/utm/campaign").asText());
        assertEquals("red sofa", call.at("/visit/touches/last/utm/term").asText());
        assertEquals("+16175550123", call.at("/callerNumber").asText());
        assertEquals(call.get("id").asText(), t.variables().get("CALLTRACK_CALL_ID"));
        assertEquals("spring-sale", t.variables().get("CALLTRACK_CAMPAIGN"));
        String recording = server.dataDir().resolve("recordings").resolve(call.get("id").asText() + ".wav").toString();
        String caller = recording.replace(".wav", "-caller.wav");
        String manager = recording.replace(".wav", "-manager.wav");
        String mixMonitor = t.commands().stream().filter(c -> c.startsWith("EXEC MixMonitor")).findFirst().orElseThrow();
        assertEquals("EXEC MixMonitor \"" + recording + ",br(" + caller + ")t(" + manager + ")\"", mixMonitor);
        assertEquals(List.of("EXEC", "MixMonitor", recording + ",br(" + caller + ")t(" + manager + ")"),
                FakeAsterisk.parseArgs(mixMonitor), "one argument as res_agi reads it: file, then the options b, "
                        + "r(the caller's direction) and t(the manager's)");
        assertEquals(recording, call.at("/recordingPath").asText());
        assertEquals(List.of("EXEC Dial \"" + FALLBACK_DIAL + ",30\""), dials(t), "no rules yet: the fallback");
        assertTrue(t.hungUp(), "the answered call ended with the caller's hangup");
        assertFalse(t.commands().contains("ANSWER"), "no prompt, so calltrack does not answer (the caller pays)");
    }

    @Test
    void aReturningVisitorsNewPaidClickGetsTheCallAndTheirOrganicVisitStaysTheFirstTouch() throws Exception {
        admin("POST", "/v1/sites/" + siteId + "/numbers", "{\"number\":\"+13125550001\",\"kind\":\"pool\"}");
        admin("POST", "/v1/sites/" + siteId + "/channels", "{\"name\":\"organic\",\"tracking\":\"dynamic\"}");
        admin("POST", "/v1/sites/" + siteId + "/channels",
                "{\"name\":\"google-ads\",\"tracking\":\"dynamic\",\"utmSource\":\"google\"}");
        JsonNode organic = visit(Map.of("clientId", "cid-1", "page", "https://shop.example/",
                "referrer", "https://www.google.com/"));
        // back within the hold time through an ad
        JsonNode paid = visit(Map.of("clientId", "cid-1",
                "page", "https://shop.example/sofas?utm_source=google&utm_medium=cpc&utm_campaign=spring&gclid=Cj0KCQ",
                "referrer", "https://www.google.com/"));
        assertTrue(paid.get("resumed").asBoolean());
        assertEquals(organic.get("sessionId"), paid.get("sessionId"));
        assertEquals(organic.at("/number/e164"), paid.at("/number/e164"), "the visitor keeps the number");

        FakeAsterisk.Transcript t = call("13125550001", "+16175550123").run();

        JsonNode call = onlyCall();
        assertEquals("google-ads", call.at("/visit/touches/last/channelName").asText(), "the last paid click gets the call");
        assertEquals("google", call.at("/visit/touches/last/utm/source").asText());
        assertEquals("cpc", call.at("/visit/touches/last/utm/medium").asText());
        assertEquals("spring", call.at("/visit/touches/last/utm/campaign").asText());
        assertEquals("Cj0KCQ", call.at("/visit/touches/last/clickIds/gclid").asText());
        assertEquals("https://shop.example/sofas?utm_source=google&utm_medium=cpc&utm_campaign=spring&gclid=Cj0KCQ",
                call.at("/visit/touches/last/landingPage").asText());
        assertEquals("organic", call.at("/visit/touches/first/channelName").asText(), "the earlier touch is kept");
        assertTrue(call.at("/visit/touches/first/utm/campaign").isNull(), call.toString());
        assertEquals("https://shop.example/", call.at("/visit/touches/first/landingPage").asText());
        assertTrue(java.time.Instant.parse(call.at("/visit/touches/first/at").asText())
                .isBefore(java.time.Instant.parse(call.at("/visit/touches/last/at").asText())), call.toString());
        assertEquals("spring", t.variables().get("CALLTRACK_CAMPAIGN"));
        assertEquals("google-ads", t.variables().get("CALLTRACK_CHANNEL"));
    }

    @Test
    void aStaticNumberBelongsToItsChannel() throws Exception {
        long channelId = admin("POST", "/v1/sites/" + siteId + "/channels",
                "{\"name\":\"billboard-north\",\"tracking\":\"static\"}").get("id").asLong();
        admin("POST", "/v1/sites/" + siteId + "/numbers",
                "{\"number\":\"+13125550900\",\"kind\":\"static\",\"channelId\":" + channelId + "}");

        FakeAsterisk.Transcript t = call("+13125550900", "6175550123").run();

        JsonNode call = onlyCall();
        assertEquals("static", call.get("attribution").asText());
        assertEquals("billboard-north", call.at("/visit/touches/last/channelName").asText());
        assertEquals("billboard-north", t.variables().get("CALLTRACK_CHANNEL"));
    }

    @Test
    void anUnknownNumberIsRecordedUnattributedAndStillReachesTheFallback() throws Exception {
        FakeAsterisk.Transcript t = call("+13125559999", "6175550123").run();

        JsonNode call = onlyCall();
        assertEquals("unknown_number", call.get("attribution").asText());
        assertEquals(List.of("EXEC Dial \"" + FALLBACK_DIAL + ",30\""), dials(t));
    }

    @Test
    void aCallerKeysInTheTrackIdShownOnThePage() throws Exception {
        JsonNode other = twoVisitorsAndATrackIdNumber();
        // the visitor on the second number reads its Track ID to the first number's prompt
        FakeAsterisk.Transcript t = call("+13125550001", "6175550123")
                .entersDigits("").entersDigits(other.get("trackId").asText()).run();

        assertEquals(2, getData(t).size(), "the first try timed out, the second got the code");
        assertTrue(t.commands().indexOf("ANSWER") >= 0
                && t.commands().indexOf("ANSWER") < t.commands().indexOf(getData(t).get(0)),
                "the sample dialplan leaves the channel ringing: calltrack answers it before the prompt "
                        + t.commands());
        JsonNode call = onlyCall();
        assertEquals("track_id", call.get("attribution").asText());
        assertEquals(other.get("sessionId").asText(), call.at("/visit/sessionId").asText());
        assertEquals("brand", call.at("/visit/touches/last/utm/campaign").asText());
    }

    /**
     * Answered for the prompt, the caller's channel is up before Dial: app_dial's ANSWEREDTIME (here 60 s) then
     * counts from that answer, prompt included, and is not the talk time. The talk is bounded by how long the Dial
     * itself lasted (no time at all with this peer).
     */
    @Test
    void aCallAnsweredForTheTrackIdPromptDoesNotCountThePromptAsTalk() throws Exception {
        admin("POST", "/v1/sites/" + siteId + "/numbers",
                "{\"number\":\"+13125550001\",\"kind\":\"pool\",\"trackIdEntry\":true}");
        FakeAsterisk.Transcript t = call("+13125550001", "6175550123").entersDigits("").entersDigits("")
                .talks(Duration.ofSeconds(60)).run();

        assertTrue(t.commands().contains("ANSWER"), t.commands().toString());
        JsonNode call = onlyCall();
        assertEquals("completed", call.get("state").asText());
        assertTrue(call.at("/outcome/talkSeconds").asInt() <= 1, call.toString());
        assertEquals("non_target", call.at("/outcome/classification/callClass").asText());
    }

    /** A dialplan that runs Answer() before AGI makes ANSWEREDTIME include the ring: it is not taken as talk either. */
    @Test
    void aCallTheDialplanAnsweredBeforeCalltrackDoesNotCountTheRingAsTalk() throws Exception {
        admin("POST", "/v1/sites/" + siteId + "/numbers", "{\"number\":\"+13125550001\",\"kind\":\"pool\"}");
        call("+13125550001", "6175550123").answered().talks(Duration.ofSeconds(60)).run();

        JsonNode call = onlyCall();
        assertTrue(call.at("/outcome/talkSeconds").asInt() <= 1, "the Dial lasted no time: " + call);
        assertEquals("non_target", call.at("/outcome/classification/callClass").asText());
    }

    @Test
    void afterATrackIdLinksTheCallTheDialplanVariablesTellTheFinalAttribution() throws Exception {
        admin("POST", "/v1/sites/" + siteId + "/channels",
                "{\"name\":\"facebook-ads\",\"tracking\":\"dynamic\",\"utmSource\":\"facebook\"}");
        admin("POST", "/v1/sites/" + siteId + "/channels",
                "{\"name\":\"bing-ads\",\"tracking\":\"dynamic\",\"utmSource\":\"bing\"}");
        JsonNode other = twoVisitorsAndATrackIdNumber();

        FakeAsterisk.Transcript t = call("+13125550001", "6175550123")
                .entersDigits(other.get("trackId").asText()).run();

        JsonNode call = onlyCall();
        assertEquals("track_id", call.get("attribution").asText());
        assertEquals("track_id", t.variables().get("CALLTRACK_ATTRIBUTION"), "the CDR must say what calltrack says");
        assertEquals("brand", t.variables().get("CALLTRACK_CAMPAIGN"));
        assertEquals("bing-ads", call.at("/visit/touches/last/channelName").asText());
        assertEquals("bing-ads", t.variables().get("CALLTRACK_CHANNEL"));
        int lastSet = t.commands().lastIndexOf("SET VARIABLE CALLTRACK_ATTRIBUTION \"track_id\"");
        int mixMonitor = indexOfFirst(t, "EXEC MixMonitor");
        assertTrue(lastSet > indexOfFirst(t, "GET DATA") && lastSet < mixMonitor
                && mixMonitor < indexOfFirst(t, "EXEC Dial"), "set before MixMonitor and Dial: " + t.commands());
    }

    @Test
    void aChannelTheDialplanAnsweredIsNotAnsweredAgain() throws Exception {
        admin("POST", "/v1/sites/" + siteId + "/numbers",
                "{\"number\":\"+13125550001\",\"kind\":\"pool\",\"trackIdEntry\":true}");
        JsonNode visitor = visit("cid-a", "https://shop.example/?utm_source=bing&utm_campaign=brand");

        FakeAsterisk.Transcript t = call("+13125550001", "6175550123").answered()
                .entersDigits(visitor.get("trackId").asText()).run();

        assertFalse(t.commands().contains("ANSWER"), t.commands().toString());
        assertEquals(1, getData(t).size());
        assertEquals("track_id", onlyCall().get("attribution").asText());
    }

    @Test
    void aMissingPromptIsLoggedOnceWithTheFixAndCallsGoOnToTheirManagersAtOnce() throws Exception {
        admin("POST", "/v1/sites/" + siteId + "/numbers",
                "{\"number\":\"+13125550001\",\"kind\":\"pool\",\"trackIdEntry\":true}");
        try (LogCapture log = new LogCapture(IncomingCallScript.class)) {
            for (String caller : List.of("6175550123", "6175550124")) {
                FakeAsterisk.Transcript t = call("+13125550001", caller)
                        .missingSound("calltrack/enter-track-id").entersDigits("1234").run();

                assertEquals(1, getData(t).size(), "no second try of a prompt Asterisk cannot play: " + t.commands());
                assertEquals(List.of("EXEC Dial \"" + FALLBACK_DIAL + ",30\""), dials(t));
            }
            List<String> warnings = log.lines().stream().filter(l -> l.contains("calltrack/enter-track-id")).toList();
            assertEquals(1, warnings.size(), "once per process, not per call: " + log.lines());
            String warning = warnings.get(0);
            assertTrue(warning.startsWith("WARN") && warning.contains("/var/lib/asterisk/sounds/en/calltrack/")
                    && warning.contains("agi.trackid-prompt"), warning);
        }
    }

    @Test
    void aCallerWhoHangsUpDuringThePromptEndsTheTrackIdAttempt() throws Exception {
        admin("POST", "/v1/sites/" + siteId + "/numbers",
                "{\"number\":\"+13125550001\",\"kind\":\"pool\",\"trackIdEntry\":true}");
        visit("cid-a", "https://shop.example/?utm_source=facebook&utm_campaign=retarget");
        int promptStep = indexOfFirst(call("+13125550001", "6175550123").run(), "GET DATA") + 1;

        FakeAsterisk.Transcript t = call("+13125550001", "6175550124").hangsUpAtStep(promptStep).run();

        int prompt = t.lines().indexOf("> " + getData(t).get(0));
        assertEquals(List.of("< 200 result=-1", "< HANGUP"), t.lines().subList(prompt + 1, prompt + 3));
        assertEquals(1, getData(t).size(), "no lookup of '-1' as a code, no second try: " + t.commands());
        assertEquals(List.of(), dials(t));
        JsonNode call = json.readTree(http.adminGet("/v1/calls/" + t.variables().get("CALLTRACK_CALL_ID")).body());
        assertEquals("dynamic", call.get("attribution").asText(), call.toString());
        assertTrue(t.closedByServer());
    }

    @Test
    void aCallerWhoHangsUpEarlyLeavesARecordedCallAndNoDial() throws Exception {
        admin("POST", "/v1/sites/" + siteId + "/numbers", "{\"number\":\"+13125550001\",\"kind\":\"pool\"}");
        visit("cid-1", "https://shop.example/?utm_source=google");

        FakeAsterisk.Transcript t = call("+13125550001", "6175550123").hangsUpAtStep(2).run();

        assertTrue(t.hungUp());
        assertTrue(t.closedByServer());
        assertFalse(t.commands().stream().anyMatch(c -> c.startsWith("EXEC Dial")), t.commands().toString());
        assertEquals("dynamic", onlyCall().get("attribution").asText());
    }

    @Test
    void anAnonymousCallerIsNeitherFirstTimeNorRepeat() throws Exception {
        admin("POST", "/v1/sites/" + siteId + "/numbers", "{\"number\":\"+13125550001\",\"kind\":\"pool\"}");
        call("+13125550001", "unknown").run();
        JsonNode call = onlyCall();
        assertTrue(call.at("/callerNumber").isNull());
        assertFalse(call.at("/firstTimeCaller").asBoolean());
        assertFalse(call.at("/repeatCall").asBoolean());
    }

    static final String SALES_AND_SUPPORT = """
            {"departments":[
               {"name":"Sales","managers":[{"name":"Ann","dialString":"PJSIP/101"},{"name":"Bob","dialString":"PJSIP/102"}]},
               {"name":"Support","managers":[{"name":"Cy","dialString":"PJSIP/201"}]}],
             "rules":[{"name":"all calls","then":{"department":"%s","strategy":"least_recently_called",
                       "overflow":[{"voicemail":"100@default"}]}}]}""";

    @Test
    void anUnansweredManagerOverflowsToTheNextAndTheAttemptsAreOnTheTimeline() throws Exception {
        admin("POST", "/v1/sites/" + siteId + "/numbers", "{\"number\":\"+13125550001\",\"kind\":\"pool\"}");
        admin("PUT", "/v1/sites/" + siteId + "/routing", SALES_AND_SUPPORT.formatted("Sales"));

        FakeAsterisk.Transcript t = call("+13125550001", "6175550123")
                .dialOutcome("PJSIP/101", "NOANSWER").dialOutcome("PJSIP/102", "ANSWER").run();

        assertEquals(List.of("EXEC Dial \"PJSIP/101,20\"", "EXEC Dial \"PJSIP/102,20\""), dials(t));
        assertEquals(List.of("NOANSWER", "ANSWER"), routedStatuses());
    }

    @Test
    void aRingAllDepartmentRingsInOneDialAndTheFallbackFollowsWhenNobodyAnswers() throws Exception {
        admin("POST", "/v1/sites/" + siteId + "/numbers", "{\"number\":\"+13125550001\",\"kind\":\"pool\"}");
        admin("PUT", "/v1/sites/" + siteId + "/routing", """
                {"departments":[{"name":"Sales","managers":[{"name":"Ann","dialString":"PJSIP/101"},
                    {"name":"Bob","dialString":"PJSIP/102","ringTimeoutSeconds":25}]}],
                 "rules":[{"name":"all calls","then":{"department":"Sales","strategy":"ring_all"}}]}""");

        FakeAsterisk.Transcript t = call("+13125550001", "6175550123").dialOutcome("PJSIP/101&PJSIP/102", "NOANSWER")
                .run();

        assertEquals(List.of("EXEC Dial \"PJSIP/101&PJSIP/102,25\"", "EXEC Dial \"" + FALLBACK_DIAL + ",30\""),
                dials(t), "both phones at once for the longer ring time, then the fallback");
    }

    /**
     * Found by AgiFuzzTest: Asterisk answering the outcome read after a Dial with an error (here 510) failed the whole
     * script, so the next manager was never dialled. The outcome is unknown (AMI reports it) and the plan goes on.
     */
    @Test
    void anOutcomeReadAsteriskRefusesLeavesTheOutcomeUnknownAndTheCallGoesOn() throws Exception {
        admin("POST", "/v1/sites/" + siteId + "/numbers", "{\"number\":\"+13125550001\",\"kind\":\"pool\"}");
        admin("PUT", "/v1/sites/" + siteId + "/routing", SALES_AND_SUPPORT.formatted("Sales"));
        FakeAsterisk.ReplyFault refuseFirstRead = new FakeAsterisk.ReplyFault() {
            private boolean refused;

            @Override
            public byte[] reply(int step, String command, List<String> faithful) {
                boolean refuse = command.startsWith("GET FULL VARIABLE") && !refused;
                refused |= refuse;
                String reply = refuse ? "510 Invalid or unknown command\n"
                        : faithful.stream().map(l -> l + "\n").collect(java.util.stream.Collectors.joining());
                return reply.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            }
        };

        FakeAsterisk.Transcript t;
        try (LogCapture log = new LogCapture(AgiConnectionHandler.class)) {
            t = call("+13125550001", "6175550123").dialOutcome("PJSIP/101", "NOANSWER")
                    .dialOutcome("PJSIP/102", "ANSWER").replyFault(refuseFirstRead).run();
            assertEquals(List.of(), log.lines(), "nothing failed");
        }

        assertEquals(List.of("EXEC Dial \"PJSIP/101,20\"", "EXEC Dial \"PJSIP/102,20\""), dials(t));
        assertEquals(List.of("UNKNOWN", "ANSWER"), routedStatuses());
    }

    /**
     * Found by AgiFuzzTest: a CHANNEL STATUS answer whose result is no number (or beyond an int) failed the script
     * before any Dial, so the caller reached nobody. It is not "up", and the call goes on.
     */
    @Test
    void aChannelStatusThatIsNoNumberDoesNotStopTheCall() throws Exception {
        for (String result : List.of("abc", "99999999999")) {
            FakeAsterisk.Transcript t;
            try (LogCapture log = new LogCapture(AgiConnectionHandler.class)) {
                t = call("+13125559999", "6175550123").replyFault((step, command, faithful) ->
                        (command.equals("CHANNEL STATUS") ? "200 result=" + result + "\n"
                                : faithful.stream().map(l -> l + "\n").collect(java.util.stream.Collectors.joining()))
                                .getBytes(java.nio.charset.StandardCharsets.UTF_8)).run();
                assertEquals(List.of(), log.lines(), "nothing failed");
            }
            assertEquals(List.of("EXEC Dial \"" + FALLBACK_DIAL + ",30\""), dials(t), result);
        }
    }

    /** No AMI here: app_dial's variables, read when Dial returns, are the outcome; nothing waits for AMI events. */
    @Test
    void theOutcomeComesFromAppDialsVariablesWithoutAnyAmiEvent() throws Exception {
        admin("POST", "/v1/sites/" + siteId + "/numbers", "{\"number\":\"+13125550001\",\"kind\":\"pool\"}");
        admin("PUT", "/v1/sites/" + siteId + "/routing", SALES_AND_SUPPORT.formatted("Sales"));

        call("+13125550001", "6175550123").dialOutcome("PJSIP/101", "NOANSWER").dialOutcome("PJSIP/102", "ANSWER")
                .talks(Duration.ofMillis(95_400)).run();

        JsonNode call = onlyCall();
        assertEquals("completed", call.get("state").asText());
        assertEquals("target", call.at("/outcome/classification/callClass").asText());
        assertEquals("talked 95 s, threshold 30 s", call.at("/outcome/classification/reason").asText());
        assertEquals(95, call.at("/outcome/talkSeconds").asInt());
        assertEquals(managerId("Bob"), call.at("/managerId").asLong());
        assertEquals("ANSWER", call.at("/outcome/dialStatus").asText());
        assertFalse(call.at("/outcome/incomplete").asBoolean());
    }

    @Test
    void aShortTalkIsNonTargetAndNobodyAnsweringIsUnansweredWithTheLastStatus() throws Exception {
        admin("POST", "/v1/sites/" + siteId + "/numbers", "{\"number\":\"+13125550001\",\"kind\":\"static\","
                + "\"channelId\":" + admin("POST", "/v1/sites/" + siteId + "/channels",
                "{\"name\":\"tv\",\"tracking\":\"static\"}").get("id").asLong() + "}");
        admin("PUT", "/v1/sites/" + siteId + "/routing", """
                {"departments":[{"name":"Sales","managers":[{"name":"Ann","dialString":"PJSIP/101"}]}],
                 "rules":[{"name":"all","then":{"department":"Sales"}}]}""");

        call("+13125550001", "6175550123").dialOutcome("PJSIP/101", "ANSWER").talks(Duration.ofSeconds(12)).run();
        call("+13125550001", "6175550124").dialOutcome("PJSIP/101", "BUSY").dialOutcome(FALLBACK_DIAL, "NOANSWER").run();

        JsonNode calls = json.readTree(http.adminGet("/v1/calls").body()).get("items");
        JsonNode unanswered = calls.get(0);
        JsonNode shortTalk = calls.get(1);
        assertEquals("non_target", shortTalk.at("/outcome/classification/callClass").asText());
        assertEquals(12, shortTalk.at("/outcome/talkSeconds").asInt());
        assertEquals("completed", unanswered.get("state").asText(), "the dialplan took the call back: it is over");
        assertEquals("unanswered", unanswered.at("/outcome/classification/callClass").asText());
        assertEquals("no answer", unanswered.at("/outcome/classification/reason").asText(), "the fallback's status is the last one");
        assertEquals(0, unanswered.at("/outcome/talkSeconds").asInt());
    }

    @Test
    void aCallOnANumberOfNoSiteIsNotClassified() throws Exception {
        call("+13125559999", "6175550123").talks(Duration.ofSeconds(6)).run();

        JsonNode call = onlyCall();
        assertEquals("completed", call.get("state").asText());
        assertEquals(6, call.at("/outcome/talkSeconds").asInt());
        assertTrue(call.at("/outcome/classification/callClass").isNull(), "not a target of any site: " + call);
        assertEquals("not classified: the called number belongs to no site", call.at("/outcome/classification/reason").asText());
    }

    /**
     * A value the database refuses (here a repeat window of 2^31 days: "timestamp out of range") fails every call's
     * recording. The caller still reaches the fallback, and the call is never dropped: after a few tries it is
     * quarantined, counted in /metrics and reported by /health.
     */
    @Test
    void aCallThatCannotBeRecordedIsQuarantinedNotDropped() throws Exception {
        admin("POST", "/v1/sites/" + siteId + "/numbers", "{\"number\":\"+13125550001\",\"kind\":\"pool\"}");
        try (var c = server.db().dataSource().getConnection(); var st = c.createStatement()) {
            st.executeUpdate("UPDATE site SET repeat_window_days = 2147483647");
        }

        FakeAsterisk.Transcript t = call("+13125550001", "6175550123").run();
        assertEquals(List.of("EXEC Dial \"" + FALLBACK_DIAL + ",30\""), dials(t), "the caller still gets through");

        Path quarantine = server.dataDir().resolve("spool").resolve("quarantine.jsonl");
        await().atMost(Duration.ofSeconds(20)).until(() -> Files.exists(quarantine)
                && Files.readString(quarantine).contains(t.variables().get("UNIQUEID")));
        JsonNode health = json.readTree(http.get("/health").body());
        assertEquals("degraded", health.get("status").asText(), health.toString());
        assertTrue(health.get("problems").get(0).asText().contains(quarantine.toString()), health.toString());
        assertTrue(http.adminGet("/metrics").body().contains("calltrack_call_events_quarantined 1.0"));
    }

    @Test
    void nobodyAnsweringEndsInTheRulesVoicemailAndTheDialplanIsToldTheCallIsHandled() throws Exception {
        admin("POST", "/v1/sites/" + siteId + "/numbers", "{\"number\":\"+13125550001\",\"kind\":\"pool\"}");
        admin("PUT", "/v1/sites/" + siteId + "/routing", SALES_AND_SUPPORT.formatted("Sales"));

        FakeAsterisk.Transcript t = call("+13125550001", "6175550123")
                .dialOutcome("PJSIP/101", "BUSY").dialOutcome("PJSIP/102", "CHANUNAVAIL").run();

        assertEquals(2, dials(t).size(), t.commands().toString());
        assertTrue(t.commands().contains("EXEC VoiceMail \"100@default,u\""), t.commands().toString());
        assertFalse(t.commands().contains("EXEC Dial \"" + FALLBACK_DIAL + ",30\""), "voicemail ends the plan");
        assertEquals("1", t.variables().get("CALLTRACK_ROUTED"));
    }

    @Test
    void aRuleChangeAppliesToTheNextCallWithoutARestart() throws Exception {
        admin("POST", "/v1/sites/" + siteId + "/numbers", "{\"number\":\"+13125550001\",\"kind\":\"pool\"}");
        admin("PUT", "/v1/sites/" + siteId + "/routing", SALES_AND_SUPPORT.formatted("Sales"));
        assertEquals("EXEC Dial \"PJSIP/101,20\"", dials(call("+13125550001", "6175550123")
                .dialOutcome("PJSIP/101", "ANSWER").run()).get(0));

        admin("PUT", "/v1/sites/" + siteId + "/routing", SALES_AND_SUPPORT.formatted("Support"));
        assertEquals("EXEC Dial \"PJSIP/201,20\"", dials(call("+13125550001", "6175550124")
                .dialOutcome("PJSIP/201", "ANSWER").run()).get(0));
    }

    @Test
    void asteriskDialsWhatAsteriskCanDialAndSaysOnceWhichManagersItSkips() throws Exception {
        admin("POST", "/v1/sites/" + siteId + "/numbers", "{\"number\":\"+13125550001\",\"kind\":\"pool\"}");
        admin("PUT", "/v1/sites/" + siteId + "/routing", """
                {"departments":[{"name":"Sales","managers":[
                   {"name":"Ann","sipUri":"sip:ann@10.0.0.5"},
                   {"name":"Bob","dialString":"PJSIP/102","sipUri":"sip:bob@10.0.0.6"},
                   {"name":"Cy","dialString":"PJSIP/103"}]}],
                 "rules":[{"name":"all","then":{"department":"Sales","strategy":"least_recently_called",
                           "overflow":[{"external":"sip:+12125550199@carrier.example.com"},
                                       {"external":"PJSIP/trunk/+12125550199"}]}}]}""");

        try (LogCapture log = new LogCapture(io.calltrack.routing.RoutingService.class)) {
            FakeAsterisk.Transcript t = call("+13125550001", "6175550123").dialOutcome("PJSIP/102", "NOANSWER")
                    .dialOutcome("PJSIP/103", "NOANSWER").dialOutcome("PJSIP/trunk/+12125550199", "ANSWER").run();
            call("+13125550001", "6175550124").dialOutcome("PJSIP/102", "ANSWER").run();

            assertEquals(List.of("EXEC Dial \"PJSIP/102,20\"", "EXEC Dial \"PJSIP/103,20\"",
                    "EXEC Dial \"PJSIP/trunk/+12125550199,30\""), dials(t), "no SIP URI is sent to Dial");
            assertEquals(List.of("WARN site " + siteId + ": calls from Asterisk (FastAGI) skip managers [Sales/Ann]: "
                    + "they have no dialString, only a sipUri for the SIP redirect. Give them a dialString "
                    + "(e.g. PJSIP/101) to ring them through Asterisk"), log.lines(), "once, not on every call");
        }
    }

    @Test
    void outsideOpeningHoursTheCallGoesToTheSitesClosedHoursDestination() throws Exception {
        admin("PUT", "/v1/sites/" + siteId, """
                {"name":"Shop","timeZone":"America/New_York","fallbackNumber":"+12125550100","allowedOrigins":["*"],
                 "closedHoursDestination":"PJSIP/night-desk"}""");
        admin("POST", "/v1/sites/" + siteId + "/numbers", "{\"number\":\"+13125550001\",\"kind\":\"pool\"}");
        String today = java.time.LocalDate.now(java.time.ZoneId.of("America/New_York")).toString();
        admin("PUT", "/v1/sites/" + siteId + "/routing", """
                {"departments":[{"name":"Sales","managers":[{"name":"Ann","dialString":"PJSIP/101"}]}],
                 "rules":[{"name":"office","schedule":{"holidays":["%s"]},"then":{"department":"Sales"}}]}"""
                .formatted(today));

        FakeAsterisk.Transcript t = call("+13125550001", "6175550123").dialOutcome("PJSIP/night-desk", "ANSWER").run();

        assertEquals(List.of("EXEC Dial \"PJSIP/night-desk,30\""), dials(t));
    }

    FakeAsterisk.Builder call(String dnid, String callerId) {
        return FakeAsterisk.call(server.app().agiPort()).script("incoming")
                .uniqueId("1795382012." + uniqueIds.incrementAndGet())
                .dnid(dnid).extension(dnid).args(dnid).callerId(callerId)
                .dialOutcome(FALLBACK_DIAL, "ANSWER");
    }

    JsonNode visit(String clientId, String page) throws Exception {
        return visit(Map.of("clientId", clientId, "page", page));
    }

    JsonNode visit(Map<String, String> start) throws Exception {
        var r = http.post("/v1/visitor/" + siteKey + "/sessions", json.writeValueAsString(start));
        assertEquals(200, r.statusCode(), r.body());
        return json.readTree(r.body());
    }

    /** The dial status of each routed attempt on the only call's timeline, in order. */
    List<String> routedStatuses() throws Exception {
        JsonNode timeline = json.readTree(http.adminGet("/v1/calls/" + onlyCall().get("id").asText()).body())
                .get("events");
        List<String> routed = new java.util.ArrayList<>();
        timeline.forEach(e -> {
            if (e.get("kind").asText().equals("routed")) routed.add(e.at("/detail/status").asText());
        });
        return routed;
    }

    JsonNode onlyCall() throws Exception {
        var r = http.adminGet("/v1/calls");
        assertEquals(200, r.statusCode(), r.body());
        JsonNode calls = json.readTree(r.body()).get("items");
        assertEquals(1, calls.size(), r.body());
        return calls.get(0);
    }

    JsonNode admin(String method, String path, String body) throws Exception {
        var r = switch (method) {
            case "POST" -> http.adminPost(path, body);
            case "PUT" -> http.adminPut(path, body);
            default -> throw new IllegalArgumentException(method);
        };
        assertTrue(r.statusCode() / 100 == 2, method + " " + path + " -> " + r.statusCode() + " " + r.body());
        return json.readTree(r.body());
    }

    /**
     * +13125550001 asks for a Track ID; two visitors (facebook, then bing) hold the pool's numbers: the second is
     * returned, the one whose code a caller of the first number keys in.
     */
    JsonNode twoVisitorsAndATrackIdNumber() throws Exception {
        admin("POST", "/v1/sites/" + siteId + "/numbers",
                "{\"number\":\"+13125550001\",\"kind\":\"pool\",\"trackIdEntry\":true}");
        admin("POST", "/v1/sites/" + siteId + "/numbers", "{\"number\":\"+13125550002\",\"kind\":\"pool\"}");
        visit("cid-a", "https://shop.example/?utm_source=facebook&utm_campaign=retarget");
        JsonNode other = visit("cid-b", "https://shop.example/?utm_source=bing&utm_campaign=brand");
        return other;
    }

    long managerId(String name) throws Exception {
        for (JsonNode d : json.readTree(http.adminGet("/v1/sites/" + siteId + "/routing").body()).get("departments")) {
            for (JsonNode m : d.get("managers")) if (m.get("name").asText().equals(name)) return m.get("id").asLong();
        }
        throw new AssertionError("no manager " + name);
    }

    static List<String> dials(FakeAsterisk.Transcript t) {
        return t.commands().stream().filter(c -> c.startsWith("EXEC Dial")).toList();
    }

    static List<String> getData(FakeAsterisk.Transcript t) {
        return t.commands().stream().filter(c -> c.startsWith("GET DATA")).toList();
    }

    static int indexOfFirst(FakeAsterisk.Transcript t, String prefix) {
        for (int i = 0; i < t.commands().size(); i++) {
            if (t.commands().get(i).startsWith(prefix)) return i;
        }
        throw new AssertionError("no " + prefix + " in " + t.commands());
    }
}
