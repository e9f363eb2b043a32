package io.calltrack.telephony.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.calltrack.Json;
import io.calltrack.config.CalltrackConfig;
import io.calltrack.platform.db.Jdbc;
import io.calltrack.routing.RoutingRepository;
import io.calltrack.support.TestDatabase;
import io.calltrack.support.fuzz.FuzzWatch;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Input no well-behaved peer sends: the stack drops or refuses it and keeps serving the next request. */
class MalformedSipTest {
    static final String FALLBACK = "sip:reception@10.0.0.1";
    static TestDatabase db;
    static SipService sip;
    /** Holds every routing decision until the test releases it: lets the test fill the executor. */
    static final CountDownLatch release = new CountDownLatch(1);
    RawSip raw;

    @BeforeAll
    static void start() throws Exception {
        db = TestDatabase.create();
        // one decision thread and a queue of one, so three held INVITEs overflow it
        CalltrackConfig.Sip config = new CalltrackConfig.Sip(true, "127.0.0.1", 0, 0, Duration.ofSeconds(30), 3,
                Optional.of(FALLBACK), 1, 1, 65_535);
        sip = SipService.start(config, request -> {
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return RedirectDecision.notFound();
        }, (request, decision) -> {}, new RoutingRepository(new Jdbc(db.dataSource()), Json.mapper()),
                new SimpleMeterRegistry(), java.time.Clock.systemUTC());
    }

    @AfterAll
    static void stop() {
        release.countDown();
        sip.close();
        db.close();
    }

    @BeforeEach
    void socket() throws Exception {
        raw = new RawSip(sip.port());
    }

    @AfterEach
    void closeSocket() {
        raw.close();
    }

    private void stillAnswersOptions() throws Exception {
        String callId = "after-" + System.nanoTime();
        raw.send(raw.request("OPTIONS", "calltrack", callId));
        String response = raw.finalResponse(callId);
        assertTrue(response.startsWith("SIP/2.0 200 "), response);
        assertTrue(response.contains("Allow: INVITE"), response);
    }

    @Test
    void garbageDatagramsAreDropped() throws Exception {
        byte[] garbage = new byte[1200];
        new Random(42).nextBytes(garbage);
        raw.send(garbage);
        raw.send("\r\n\r\n");
        raw.send("INVITE this is not sip\r\n\r\n");
        stillAnswersOptions();
    }

    /**
     * Found by SipFuzzTest: JAIN-SIP answered a datagram it could not parse with a 400 that is no SIP (the broken
     * request line, CR LF included, as its reason phrase; an empty line inside its headers). It is dropped now.
     */
    @Test
    void anUnparsableDatagramGetsNoMalformedAnswer() throws Exception {
        raw.send(raw.request("INVITE", "5550100", "nul-method").replaceFirst("INVITE", "I\u0000VITE"));
        raw.send(raw.request("OPTIONS", "calltrack", "after-nul"));
        String answer = raw.receive().orElseThrow(() -> new AssertionError("no answer at all"));
        assertTrue(answer.contains("Call-ID: after-nul\r\n"), "the next answer is the OPTIONS', not: " + answer);
    }

    @Test
    void requestsMissingMandatoryHeadersAreDropped() throws Exception {
        // found by SipFuzzTest: JAIN-SIP logged a NullPointerException as an error for a request without CSeq
        try (FuzzWatch watch = new FuzzWatch()) {
            for (String method : List.of("OPTIONS", "REGISTER", "FROBNICATE", "BYE")) {
                raw.send(raw.request(method, "calltrack", "no-cseq").replaceAll("CSeq: [^\r]*\r\n", ""));
                raw.send(raw.request(method, "calltrack", "no-via").replaceAll("Via: [^\r]*\r\n", ""));
            }
            stillAnswersOptions();
            watch.assertClean("requests without CSeq or Via");
        }
        String invite = raw.request("INVITE", "5550100", "no-headers");
        raw.send(invite.replaceAll("Call-ID: [^\r]*\r\n", ""));
        raw.send(invite.replaceAll("Via: [^\r]*\r\n", ""));
        raw.send(invite.replaceAll("CSeq: [^\r]*\r\n", ""));
        raw.send(invite.replace("Content-Length: 0", "Content-Length: 900"));
        String noContact = raw.request("INVITE", "5550100", "no-contact").replaceAll("Contact: [^\r]*\r\n", "");
        raw.send(noContact);
        String refused = raw.finalResponse("no-contact");
        assertTrue(refused.startsWith("SIP/2.0 400 ") && refused.contains("Contact"), refused);
        stillAnswersOptions();
    }

    @Test
    void oversizedMessagesAreDroppedOnUdpAndTcp() throws Exception {
        String request = raw.request("OPTIONS", "calltrack", "huge");
        String huge = request.replace("Max-Forwards: 70\r\n", "Max-Forwards: 70\r\nX-Padding: " + "a".repeat(60_000) + "\r\n");
        raw.send(huge);
        raw.sendOverTcp((huge + huge).getBytes(StandardCharsets.US_ASCII));
        stillAnswersOptions();
    }

    @Test
    void tcpGarbageAndHalfOpenConnectionsDoNotBlockTheStack() throws Exception {
        byte[] garbage = new byte[4096];
        new Random(7).nextBytes(garbage);
        raw.sendOverTcp(garbage);
        try (Socket halfOpen = new Socket("127.0.0.1", sip.port())) {
            halfOpen.getOutputStream().write("OPTIONS sip:calltrack@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/TCP".getBytes(StandardCharsets.US_ASCII));
            halfOpen.getOutputStream().flush();
            stillAnswersOptions();
        }
    }

    @Test
    void methodsWeKnowButDoNotServeAre405AndUnknownMethodsAre501() throws Exception {
        raw.send(raw.request("BYE", "5550100", "bye-1"));
        String bye = raw.finalResponse("bye-1");
        assertTrue(bye.startsWith("SIP/2.0 405 "), bye);
        assertTrue(bye.contains("Allow: INVITE"), bye);
        raw.send(raw.request("FROBNICATE", "5550100", "frob-1"));
        String frob = raw.finalResponse("frob-1");
        assertTrue(frob.startsWith("SIP/2.0 501 "), frob);
    }

    @Test
    void aFullDecisionQueueSendsTheNextInviteToTheFallbackAtOnce() throws Exception {
        // the decider holds every call: one INVITE occupies the thread, one the queue, the third overflows
        // (the stack may handle the three in any order, so whichever overflows is the one answered now)
        for (String callId : List.of("held-1", "held-2", "held-3")) {
            raw.send(raw.request("INVITE", "5550100", callId));
        }
        String response;
        do {
            response = raw.receive().orElseThrow(() -> new AssertionError("no INVITE answered while routing is full"));
        } while (response.startsWith("SIP/2.0 1"));
        assertTrue(response.startsWith("SIP/2.0 302 "), response);
        assertEquals(List.of("Contact: <" + FALLBACK + ">;q=1.0"),
                response.lines().filter(l -> l.startsWith("Contact:")).toList(), response);
    }
}
