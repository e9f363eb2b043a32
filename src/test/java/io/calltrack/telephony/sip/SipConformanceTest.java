package io.calltrack.telephony.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.calltrack.Json;
import io.calltrack.config.CalltrackConfig;
import io.calltrack.platform.db.Jdbc;
import io.calltrack.routing.RoutingRepository;
import io.calltrack.support.TestDatabase;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * RFC 3261 edge cases over raw sockets, where sipp's scenarios cannot go: Request-URI schemes, requests inside a
 * dialog we never made, a CANCEL racing the ACK, a foreign SIP version, a datagram larger than we read.
 */
class SipConformanceTest {
    static final String SALES = "sip:101@10.0.0.5";
    static TestDatabase db;
    static SipService sip;
    /** Every number the routing side was asked about, and by whom. */
    static final List<SipCallRequest> decided = new CopyOnWriteArrayList<>();
    RawSip raw;

    @BeforeAll
    static void start() throws Exception {
        db = TestDatabase.create();
        CalltrackConfig.Sip config = new CalltrackConfig.Sip(true, "127.0.0.1", 0, 0, Duration.ofSeconds(30), 3,
                Optional.empty(), 2, 10, 65_535);
        sip = SipService.start(config, request -> {
            decided.add(request);
            return RedirectDecision.redirect(List.of(SALES));
        }, (request, decision) -> {}, new RoutingRepository(new Jdbc(db.dataSource()), Json.mapper()),
                new SimpleMeterRegistry(), java.time.Clock.systemUTC());
    }

    @AfterAll
    static void stop() {
        if (sip != null) sip.close();
        if (db != null) db.close();
    }

    @BeforeEach
    void socket() throws Exception {
        raw = new RawSip(sip.port());
        decided.clear();
    }

    @AfterEach
    void closeSocket() {
        raw.close();
    }

    private String invite(String requestUri, String callId) throws Exception {
        raw.send(RawSip.withRequestUri(raw.request("INVITE", "x", callId), requestUri));
        return raw.finalResponse(callId);
    }

    private SipCallRequest decidedFor(String callId) {
        return decided.stream().filter(d -> d.callId().equals(callId)).findFirst()
                .orElseThrow(() -> new AssertionError("routing never asked about " + callId + ": " + decided));
    }

    @Test
    void aTelRequestUriIsReadAsTheDialledNumber() throws Exception {
        String response = invite("tel:+13125550001", "tel-global");
        assertTrue(response.startsWith("SIP/2.0 302 "), response);
        assertEquals("+13125550001", decidedFor("tel-global").requestUriUser());
    }

    @Test
    void aTelUriWithVisualSeparatorsAndAGlobalPhoneContextIsOneNumber() throws Exception {
        assertTrue(invite("tel:+1-312-555-0001", "tel-separators").startsWith("SIP/2.0 302 "));
        assertEquals("+13125550001", decidedFor("tel-separators").requestUriUser());
        assertTrue(invite("tel:555-0001;phone-context=+1-312", "tel-local").startsWith("SIP/2.0 302 "));
        assertEquals("+13125550001", decidedFor("tel-local").requestUriUser());
    }

    @Test
    void aSipUriWithUserPhoneIsReadAsATelephoneNumber() throws Exception {
        String response = invite("sip:+1-312-555-0001;isub=12@127.0.0.1;user=phone", "user-phone");
        assertTrue(response.startsWith("SIP/2.0 302 "), response);
        assertEquals("+13125550001", decidedFor("user-phone").requestUriUser());
    }

    @Test
    void aTelCallerInFromIsTheCallersNumber() throws Exception {
        String request = raw.request("INVITE", "5550100", "tel-from")
                .replace("From: <sip:15551230000@127.0.0.1>;tag=raw", "From: <tel:+1-555-123-0000>;tag=raw");
        raw.send(request);
        assertTrue(raw.finalResponse("tel-from").startsWith("SIP/2.0 302 "));
        assertEquals(Optional.of("+15551230000"), decidedFor("tel-from").callerUser());
    }

    @Test
    void anUnsupportedUriSchemeIs416() throws Exception {
        String response = invite("mailto:sales@example.com", "mailto");
        assertTrue(response.startsWith("SIP/2.0 416 "), response);
        assertTrue(decided.isEmpty(), "an unsupported scheme is never routed: " + decided);
    }

    @Test
    void aByeWithAToTagAndNoDialogIs481() throws Exception {
        raw.send(RawSip.withToTag(raw.request("BYE", "5550100", "bye-tag"), "abc"));
        String response = raw.finalResponse("bye-tag");
        assertTrue(response.startsWith("SIP/2.0 481 "), response);
    }

    @Test
    void anInviteWithAToTagAndNoDialogIs481AndNoCall() throws Exception {
        raw.send(RawSip.withToTag(raw.request("INVITE", "5550100", "reinvite"), "abc"));
        String response = raw.finalResponse("reinvite");
        assertTrue(response.startsWith("SIP/2.0 481 "), response);
        assertTrue(decided.isEmpty(), "a re-INVITE is no new call: " + decided);
    }

    @Test
    void aCancelAfterThe302ButBeforeTheAckIs200AndChangesNothing() throws Exception {
        String invite = raw.request("INVITE", "5550100", "cancel-late");
        raw.send(invite);
        assertTrue(raw.finalResponse("cancel-late").startsWith("SIP/2.0 302 "));
        raw.send(cancelOf(invite));
        String response = raw.finalResponse("cancel-late");
        // the INVITE transaction still exists (it waits for the ACK): the CANCEL matched, and has no effect
        assertTrue(response.startsWith("SIP/2.0 200 ") && response.contains("CSeq: 1 CANCEL"), response);
        // no 487 follows: whatever the server sends after the CANCEL's 200 arrives before the next request's answer
        raw.send(raw.request("OPTIONS", "calltrack", "after-cancel"));
        for (String next = raw.receive().orElseThrow(); !next.contains("Call-ID: after-cancel\r\n");
             next = raw.receive().orElseThrow()) {
            assertTrue(!next.startsWith("SIP/2.0 487 "), "the answered INVITE was cancelled after its 302: " + next);
        }
    }

    @Test
    void aCancelMatchingNoInviteIs481() throws Exception {
        raw.send(cancelOf(raw.request("INVITE", "5550100", "cancel-nothing")));
        String response = raw.finalResponse("cancel-nothing");
        assertTrue(response.startsWith("SIP/2.0 481 "), response);
    }

    @Test
    void anotherSipVersionIs505OverUdpAndTcp() throws Exception {
        String request = raw.request("INVITE", "5550100", "version-udp").replace(" SIP/2.0\r\n", " SIP/7.0\r\n");
        raw.send(request);
        String response = raw.finalResponse("version-udp");
        assertTrue(response.startsWith("SIP/2.0 505 "), response);
        String tcp = raw.exchangeOverTcp(raw.request("INVITE", "5550100", "version-tcp")
                .replace(" SIP/2.0\r\n", " SIP/7.0\r\n"), "version-tcp");
        assertTrue(tcp.startsWith("SIP/2.0 505 "), tcp);
        assertTrue(decided.isEmpty(), "a request of another SIP version is never routed: " + decided);
    }

    @Test
    void aUdpInviteLargerThanWeReadIs513NotAMissingHeader() throws Exception {
        String request = raw.request("INVITE", "5550100", "too-large");
        // 17 KB of headers before Contact: past the 16 KB a datagram is read up to
        String large = request.replace("Contact: ", "X-Padding: " + "a".repeat(17_000) + "\r\nContact: ");
        raw.send(large);
        String response = raw.finalResponse("too-large");
        assertTrue(response.startsWith("SIP/2.0 513 "), response.substring(0, Math.min(200, response.length())));
        assertTrue(decided.isEmpty());
    }

    @Test
    void aUdpInviteWithABodyLargerThanWeReadIs513NotABadContentLength() throws Exception {
        String sdp = "v=0\r\na=x-padding:" + "a".repeat(17_000) + "\r\n";
        String request = raw.request("INVITE", "5550100", "large-body")
                .replace("Content-Length: 0\r\n\r\n", "Content-Type: application/sdp\r\nContent-Length: "
                        + sdp.length() + "\r\n\r\n" + sdp);
        raw.send(request);
        String response = raw.finalResponse("large-body");
        assertTrue(response.startsWith("SIP/2.0 513 "), response);
    }

    @Test
    void ordinaryRequestsStillWork() throws Exception {
        String response = invite("sip:5550100@127.0.0.1", "plain");
        assertTrue(response.startsWith("SIP/2.0 302 "), response);
        assertTrue(response.lines().anyMatch(l -> l.startsWith("To: ") && l.contains(";tag=")),
                "a final response outside a dialog carries a To tag (RFC 3261 8.2.6.2): " + response);
        assertEquals("5550100", decidedFor("plain").requestUriUser());
        assertEquals(Optional.of("15551230000"), decidedFor("plain").callerUser());
    }

    private static String cancelOf(String invite) {
        return invite.replaceFirst("^INVITE ", "CANCEL ").replace("CSeq: 1 INVITE", "CSeq: 1 CANCEL")
                .replaceAll("Contact: [^\r]*\r\n", "");
    }
}
