package io.calltrack.telephony.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.calltrack.Json;
import io.calltrack.config.CalltrackConfig;
import io.calltrack.platform.db.DatabaseUnavailableException;
import io.calltrack.platform.db.Jdbc;
import io.calltrack.routing.RoutingRepository;
import io.calltrack.support.TestDatabase;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The SIP side against a real sipp caller, with a decider that answers fixed data (protocol, not routing). */
class SipRedirectServerTest {
    static final String FALLBACK = "sip:reception@10.0.0.1";
    static final List<String> SALES = List.of("sip:101@10.0.0.5", "sip:102@10.0.0.6", "sip:103@10.0.0.7");

    static TestDatabase db;
    static SipService sip;
    static final FixedDecider decider = new FixedDecider();
    static final List<SipCallRequest> recorded = new CopyOnWriteArrayList<>();

    /** Numbers: 5550100 redirects to SALES, 5550111 too once {@code retransmitted} is released, 5550199 throws as
     *  if the database were down, 5550122 blocks until {@code release}, anything else is unknown. */
    static final class FixedDecider implements RedirectDecider {
        final Map<String, AtomicInteger> decisions = new ConcurrentHashMap<>();
        final CountDownLatch release = new CountDownLatch(1);
        final CountDownLatch retransmitted = new CountDownLatch(1);

        @Override
        public RedirectDecision decide(SipCallRequest request) {
            try {
                return decideNow(request);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return RedirectDecision.notFound();
            }
        }

        private RedirectDecision decideNow(SipCallRequest request) throws InterruptedException {
            decisions.computeIfAbsent(request.requestUriUser(), n -> new AtomicInteger()).incrementAndGet();
            switch (request.requestUriUser()) {
                case "5550100":
                    return RedirectDecision.redirect(SALES);
                case "5550111":
                    retransmitted.await(10, TimeUnit.SECONDS);
                    return RedirectDecision.redirect(SALES);
                case "5550199":
                    throw new DatabaseUnavailableException("database unavailable: connection refused", null);
                case "5550122":
                    release.await(10, TimeUnit.SECONDS);
                    return RedirectDecision.redirect(SALES);
                default:
                    return RedirectDecision.notFound();
            }
        }

        int decided(String number) {
            return decisions.getOrDefault(number, new AtomicInteger()).get();
        }
    }

    @BeforeAll
    static void start() throws Exception {
        Sipp.requireInstalled();
        db = TestDatabase.create();
        sip = SipService.start(sipConfig(), decider, (request, decision) -> recorded.add(request),
                new RoutingRepository(new Jdbc(db.dataSource()), Json.mapper()), new SimpleMeterRegistry(), java.time.Clock.systemUTC());
    }

    static CalltrackConfig.Sip sipConfig() {
        return new CalltrackConfig.Sip(true, "127.0.0.1", 0, 0, Duration.ofSeconds(30), 3, Optional.of(FALLBACK), 2, 4, 65_535);
    }

    @AfterAll
    static void stop() {
        decider.release.countDown();
        decider.retransmitted.countDown();
        if (sip != null) sip.close();
        if (db != null) db.close();
    }

    @Test
    void inviteToATrackedNumberIsRedirectedToTheContactsInOrderWithFallingQValues() {
        Sipp.Result r = Sipp.call("invite.xml", sip.port(), "5550100", "u1");
        assertEquals(0, r.exitCode(), r::toString);
        assertEquals(List.of("<sip:101@10.0.0.5>;q=1.0", "<sip:102@10.0.0.6>;q=0.667", "<sip:103@10.0.0.7>;q=0.333"),
                r.contacts(302));
        String callId = r.header(302, "Call-ID");
        SipCallRequest call = recorded.stream().filter(c -> c.callId().equals(callId)).findFirst()
                .orElseThrow(() -> new AssertionError("call " + callId + " not recorded: " + recorded));
        assertEquals("5550100", call.requestUriUser());
        assertEquals(Optional.of("15551230000"), call.callerUser());
    }

    @Test
    void inviteOverTcpIsRedirectedToo() {
        Sipp.Result r = Sipp.call("invite.xml", sip.port(), "5550100", "t1");
        assertEquals(0, r.exitCode(), r::toString);
        assertEquals(3, r.contacts(302).size(), r::toString);
    }

    @Test
    void unknownNumberIs404() {
        Sipp.Result r = Sipp.call("invite.xml", sip.port(), "5550000", "u1");
        assertEquals(0, r.exitCode(), r::toString);
        assertTrue(r.received(404).startsWith("SIP/2.0 404 "), r::toString);
    }

    @Test
    void databaseDownSendsTheCallToTheFallbackContact() {
        Sipp.Result r = Sipp.call("invite.xml", sip.port(), "5550199", "u1");
        assertEquals(0, r.exitCode(), r::toString);
        assertEquals(List.of("<" + FALLBACK + ">;q=1.0"), r.contacts(302));
    }

    /**
     * A UDP client retransmits its INVITE while the decision is still running (the decider waits until the test has
     * seen the retransmission answered): the transaction answers it with its 100 again, then sends one 302; the
     * routing decision runs once. Raw datagrams, because the test must control the moment of the retransmission.
     */
    @Test
    void retransmittedInviteIsAnsweredFromTheTransactionAndDecidedOnce() throws Exception {
        try (RawSip caller = new RawSip(sip.port())) {
            String invite = caller.request("INVITE", "5550111", "retransmitted-1");
            caller.send(invite);
            assertTrue(caller.receive().orElseThrow().startsWith("SIP/2.0 100 "), "the first 100");
            caller.send(invite);
            assertTrue(caller.receive().orElseThrow().startsWith("SIP/2.0 100 "),
                    "the retransmission answered from the transaction with its last provisional response (17.2.1)");
            decider.retransmitted.countDown();
            assertTrue(caller.finalResponse("retransmitted-1").startsWith("SIP/2.0 302 "));
            assertEquals(1, decider.decided("5550111"), "decided once");
        }
    }

    @Test
    void cancelWhileDecidingAnswers200And487AndTheLateDecisionIsDropped() {
        Sipp.Result r = Sipp.call("invite_cancelled.xml", sip.port(), "5550122", "u1");
        assertEquals(0, r.exitCode(), r::toString);
        decider.release.countDown();
        assertTrue(recorded.stream().noneMatch(c -> c.requestUriUser().equals("5550122")),
                "a cancelled call is not recorded as redirected");
    }

    @Test
    void optionsIsAnswered200WithAllow() {
        Sipp.Result r = Sipp.call("options.xml", sip.port(), "calltrack", "u1");
        assertEquals(0, r.exitCode(), r::toString);
        assertTrue(r.received(200).contains("Accept: application/sdp"), r::toString);
    }

    @Test
    void optionsOverTcpIsAnswered() {
        Sipp.Result r = Sipp.call("options.xml", sip.port(), "calltrack", "t1");
        assertEquals(0, r.exitCode(), r::toString);
    }
}
