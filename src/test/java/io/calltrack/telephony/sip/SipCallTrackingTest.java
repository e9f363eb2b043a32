package io.calltrack.telephony.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.calltrack.support.Http;
import io.calltrack.support.TestServer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A non-Asterisk PBX (sipp) calls tracked numbers through the redirect server: real attribution and routing. */
class SipCallTrackingTest {
    static final ObjectMapper json = new ObjectMapper();

    TestServer server;
    Http http;
    long siteId;
    int sipPort;
    int annPhonePort;
    int bobPhonePort;
    Process annPhone;
    Process bobPhone;

    @BeforeAll
    static void sipp() {
        Sipp.requireInstalled();
    }

    @BeforeEach
    void start() throws Exception {
        sipPort = Sipp.freePort();
        annPhonePort = Sipp.freePort();
        bobPhonePort = Sipp.freePort();
        annPhone = Sipp.phone(annPhonePort);
        bobPhone = Sipp.phone(bobPhonePort);
        server = TestServer.start(Map.of("sip.enabled", "true", "sip.port", String.valueOf(sipPort),
                "sip.options-interval", "200ms", "sip.options-misses-down", "2"));
        http = new Http(server.baseUrl());
        JsonNode site = json.readTree(http.adminPost("/v1/sites", """
                {"name":"Shop","timeZone":"America/New_York","fallbackNumber":"+12125550100","allowedOrigins":["*"]}""")
                .body());
        siteId = site.get("id").asLong();
        http.adminPost("/v1/sites/" + siteId + "/numbers", "{\"number\":\"+13125550001\",\"kind\":\"pool\"}");
        var r = http.adminPut("/v1/sites/" + siteId + "/routing", """
                {"departments":[{"name":"Sales","managers":[
                    {"name":"Ann","sipUri":"sip:ann@127.0.0.1:%d"},
                    {"name":"Bob","dialString":"PJSIP/bob","sipUri":"sip:bob@127.0.0.1:%d"},
                    {"name":"Desk","dialString":"PJSIP/desk"}]}],
                 "rules":[{"name":"all","then":{"department":"Sales","strategy":"least_recently_called"}}]}"""
                .formatted(annPhonePort, bobPhonePort));
        assertEquals(200, r.statusCode(), r.body());
        var visit = http.post("/v1/visitor/" + site.get("publicKey").asText() + "/sessions",
                "{\"clientId\":\"cid-1\",\"page\":\"https://shop.example/?utm_source=google&utm_campaign=sip-sale\"}");
        assertEquals(200, visit.statusCode(), visit.body());
    }

    @AfterEach
    void stop() throws Exception {
        annPhone.destroyForcibly().waitFor();
        bobPhone.destroyForcibly().waitFor();
        server.close();
    }

    @Test
    void anInviteToAVisitorsNumberIsRedirectedToTheRulesManagersAndAttributed() throws Exception {
        Sipp.Result r = Sipp.call("invite.xml", sipPort, "13125550001", "u1");

        assertEquals(List.of("<sip:ann@127.0.0.1:" + annPhonePort + ">;q=1.0", "<sip:bob@127.0.0.1:" + bobPhonePort + ">;q=0.5"),
                r.contacts(302), "Desk has no SIP URI; Bob is offered at his, not at what Asterisk dials");
        JsonNode call = onlyCall();
        assertEquals("dynamic", call.get("attribution").asText());
        assertEquals("sip-sale", call.at("/visit/touches/last/utm/campaign").asText());
        assertEquals("sip", call.get("origin").asText());
        assertEquals("redirected", call.get("state").asText());
        JsonNode events = json.readTree(http.adminGet("/v1/calls/" + call.get("id").asLong()).body()).get("events");
        JsonNode redirected = events.get(0);
        assertEquals("redirected", redirected.get("kind").asText(), events.toString());
        assertEquals("[\"sip:ann@127.0.0.1:%d\",\"sip:bob@127.0.0.1:%d\"]".formatted(annPhonePort, bobPhonePort),
                redirected.at("/detail/contacts").toString(), "the timeline keeps the Contacts the 302 named");

        // the PBX reports the outcome: answered by Bob after 5 s, 45 s of talk -> a target call (threshold 30 s)
        var outcome = http.adminPost("/v1/sip/outcomes", """
                {"callId":"%s","answered":true,"ringSeconds":5,"talkSeconds":45,"manager":"sip:bob@127.0.0.1:%d"}"""
                .formatted(call.get("linkedid").asText(), bobPhonePort));
        assertEquals(200, outcome.statusCode(), outcome.body());
        JsonNode done = awaitState("completed");
        assertEquals("target", done.at("/outcome/classification/callClass").asText());
        assertEquals(45, done.at("/outcome/talkSeconds").asInt());
        long bob = json.readTree(http.adminGet("/v1/sites/" + siteId + "/routing").body())
                .at("/departments/0/managers/1/id").asLong();
        assertEquals(bob, done.at("/managerId").asLong(), done.toString());

        // the PBX sends the same report again (a retry): fine. A contradicting one was answered 200 "stored" and
        // ignored; now it is a 409 with what is kept
        var again = http.adminPost("/v1/sip/outcomes", """
                {"callId":"%s","answered":true,"ringSeconds":5,"talkSeconds":45}""".formatted(call.get("linkedid").asText()));
        assertEquals(200, again.statusCode(), again.body());
        var contradicting = http.adminPost("/v1/sip/outcomes", """
                {"callId":"%s","answered":false,"ringSeconds":20}""".formatted(call.get("linkedid").asText()));
        assertEquals(409, contradicting.statusCode(), contradicting.body());
        JsonNode kept = json.readTree(contradicting.body()).get("stored");
        assertEquals(true, kept.get("answered").asBoolean());
        assertEquals(45, kept.get("talkSeconds").asInt());
        assertEquals("target", awaitState("completed").at("/outcome/classification/callClass").asText(), "the first outcome stands");
    }

    @Test
    void aRingAllDepartmentIsOfferedOneContactPerManagerInOrder() throws Exception {
        var r = http.adminPut("/v1/sites/" + siteId + "/routing", """
                {"departments":[{"name":"Sales","managers":[
                    {"name":"Ann","sipUri":"sip:ann@127.0.0.1:%d"},
                    {"name":"Bob","dialString":"PJSIP/bob","sipUri":"sip:bob@127.0.0.1:%d"},
                    {"name":"Desk","dialString":"PJSIP/desk"}]}],
                 "rules":[{"name":"all","then":{"department":"Sales","strategy":"ring_all"}}]}"""
                .formatted(annPhonePort, bobPhonePort));
        assertEquals(200, r.statusCode(), r.body());

        Sipp.Result invite = Sipp.call("invite.xml", sipPort, "13125550001", "u1");

        assertEquals(List.of("<sip:ann@127.0.0.1:" + annPhonePort + ">;q=1.0", "<sip:bob@127.0.0.1:" + bobPhonePort + ">;q=0.5"),
                invite.contacts(302), "a 302 lists every phone of the group; the PBX forks or tries them in order");
    }

    @Test
    void aTelUriInviteIsTrackedAndRoutedLikeASipOne() throws Exception {
        try (RawSip raw = new RawSip(sipPort)) {
            raw.send(RawSip.withRequestUri(raw.request("INVITE", "x", "tel-call@pbx"), "tel:+1-312-555-0001"));
            String response = raw.finalResponse("tel-call@pbx");
            assertTrue(response.startsWith("SIP/2.0 302 "), response);
            assertTrue(response.contains("sip:ann@127.0.0.1:" + annPhonePort), response);
        }
        JsonNode call = onlyCall();
        assertEquals("+13125550001", call.at("/calledNumber").asText());
        assertEquals("dynamic", call.get("attribution").asText());
    }

    @Test
    void anInviteToAnUntrackedNumberIs404AndRecordsNothing() throws Exception {
        Sipp.Result r = Sipp.call("invite.xml", sipPort, "13125559999", "u1");
        r.received(404);
        assertEquals(0, calls().size());
    }

    @Test
    void aManagerWhosePhoneStopsAnsweringOptionsIsSkipped() throws Exception {
        awaitReachable(true);
        annPhone.destroyForcibly().waitFor();
        awaitReachable(false);

        Sipp.Result r = Sipp.call("invite.xml", sipPort, "13125550001", "u1");
        assertEquals(List.of("<sip:bob@127.0.0.1:" + bobPhonePort + ">;q=1.0"), r.contacts(302));
    }

    void awaitReachable(boolean expected) {
        await().alias("Ann's phone " + (expected ? "reachable" : "unreachable")).atMost(Duration.ofSeconds(10))
                .until(() -> {
                    JsonNode ann = json.readTree(http.adminGet("/v1/sites/" + siteId + "/routing").body())
                            .at("/departments/0/managers/0/reachable");
                    return !ann.isMissingNode() && ann.asBoolean() == expected;
                });
    }

    JsonNode awaitState(String state) {
        return await().alias("the call " + state).atMost(Duration.ofSeconds(5))
                .until(this::onlyCall, c -> c.get("state").asText().equals(state));
    }

    JsonNode onlyCall() throws Exception {
        JsonNode items = calls();
        assertEquals(1, items.size(), items.toString());
        return items.get(0);
    }

    JsonNode calls() throws Exception {
        var r = http.adminGet("/v1/calls");
        assertTrue(r.statusCode() == 200, r.body());
        return json.readTree(r.body()).get("items");
    }
}
