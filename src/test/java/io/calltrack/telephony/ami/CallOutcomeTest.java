package io.calltrack.telephony.ami;

import static io.calltrack.telephony.ami.AmiFixture.T0;
import static io.calltrack.telephony.ami.AmiFixture.caller;
import static io.calltrack.telephony.ami.AmiFixture.manager;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.calltrack.telephony.ami.peer.AsteriskCall.Chan;
import io.calltrack.telephony.ami.peer.AsteriskCall;
import io.calltrack.calls.Call;
import io.calltrack.calls.CallClass;
import io.calltrack.calls.Classification;
import io.calltrack.calls.DialStatus;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Call outcomes end to end: AMI peer -> asterisk-java -> calltrack -> PostgreSQL, one scenario per test. */
class CallOutcomeTest {
    private AmiFixture f;

    @BeforeEach
    void start() throws Exception {
        f = new AmiFixture();
    }

    @AfterEach
    void stop() {
        f.close();
    }

    @Test
    void answeredLongCallIsTargetWithManagerTimesAndRecording() throws Exception {
        Chan c = caller("1795382012.7", "+15557654321");
        Chan anna = manager("101", "0000002a", "1795382012.8", c.linkedid());
        long id = f.open(c, T0);
        AsteriskCall a = new AsteriskCall(f.peer, T0);
        a.newchannel(c);
        a.dialBegin(c, anna, "101");
        a.tick(8);
        a.dialEnd(c, anna, "ANSWER");
        a.varSet(c, "MIXMONITOR_FILENAME", "/var/spool/asterisk/monitor/calltrack/1795382012.7.wav");
        a.bridge("b1", c, anna);
        a.tick(95);
        a.hangup(c, 16, "Normal Clearing");
        a.hangup(anna, 16, "Normal Clearing");

        Call call = f.awaitCompleted(id);
        assertEquals(Optional.of(CallClass.TARGET), call.outcome().callClass());
        assertEquals("talked 95 s, threshold 30 s", call.outcome().classification().map(Classification::reason).orElse(null));
        assertEquals(f.anna, call.managerId().orElse(null));
        assertEquals(T0.plusSeconds(8), call.answeredAt().orElse(null));
        assertEquals(T0.plusSeconds(103), call.endedAt().orElse(null));
        assertEquals(8, call.outcome().ringSeconds().orElse(null));
        assertEquals(95, call.outcome().talkSeconds().orElse(null));
        assertEquals(16, call.outcome().hangupCause().orElse(null));
        assertEquals("Normal Clearing", call.outcome().hangupCauseText().orElse(null));
        assertEquals("/var/spool/asterisk/monitor/calltrack/1795382012.7.wav", call.recordingPath().orElse(null));
        assertEquals(false, call.outcome().incomplete());
        assertEquals(true, call.firstTimeCaller());
    }

    @Test
    void shortAnsweredCallIsNonTarget() throws Exception {
        Chan c = caller("1795382100.1", "+15557654321");
        long id = f.open(c, T0);
        new AsteriskCall(f.peer, T0).answeredCall(c, manager("101", "00000031", "1795382100.2", c.linkedid()), "b2", 5, 12);
        Call call = f.awaitCompleted(id);
        assertEquals(Optional.of(CallClass.NON_TARGET), call.outcome().callClass());
        assertEquals(12, call.outcome().talkSeconds().orElse(null));
        assertEquals(f.anna, call.managerId().orElse(null));
    }

    @Test
    void noAnswerIsUnansweredWithReason() throws Exception {
        Chan c = caller("1795382200.1", "+15557654321");
        Chan anna = manager("101", "00000040", "1795382200.2", c.linkedid());
        long id = f.open(c, T0);
        AsteriskCall a = new AsteriskCall(f.peer, T0);
        a.newchannel(c);
        a.dialBegin(c, anna, "101");
        a.tick(20);
        a.dialEnd(c, anna, "NOANSWER");
        a.tick(1);
        a.hangup(c, 16, "Normal Clearing");
        Call call = f.awaitCompleted(id);
        assertEquals(Optional.of(CallClass.UNANSWERED), call.outcome().callClass());
        assertEquals("no answer", call.outcome().classification().map(Classification::reason).orElse(null));
        assertEquals(21, call.outcome().ringSeconds().orElse(null));
        assertEquals(0, call.outcome().talkSeconds().orElse(null));
        assertNull(call.managerId().orElse(null));
        assertEquals(DialStatus.NOANSWER, call.outcome().dialStatus().orElse(null));
    }

    @Test
    void busyIsUnansweredBusy() throws Exception {
        Chan c = caller("1795382300.1", "+15557654321");
        Chan anna = manager("101", "00000050", "1795382300.2", c.linkedid());
        long id = f.open(c, T0);
        AsteriskCall a = new AsteriskCall(f.peer, T0);
        a.newchannel(c);
        a.dialBegin(c, anna, "101");
        a.tick(1);
        a.dialEnd(c, anna, "BUSY");
        a.hangup(c, 17, "User busy");
        Call call = f.awaitCompleted(id);
        assertEquals(Optional.of(CallClass.UNANSWERED), call.outcome().callClass());
        assertEquals("busy", call.outcome().classification().map(Classification::reason).orElse(null));
    }

    @Test
    void callerHangingUpWhileRingingGaveUp() throws Exception {
        Chan c = caller("1795382400.1", "+15557654321");
        Chan anna = manager("101", "00000060", "1795382400.2", c.linkedid());
        long id = f.open(c, T0);
        AsteriskCall a = new AsteriskCall(f.peer, T0);
        a.newchannel(c);
        a.dialBegin(c, anna, "101");
        a.tick(7);
        a.hangup(c, 16, "Normal Clearing");
        a.dialEnd(c, anna, "CANCEL");
        Call call = f.awaitCompleted(id);
        assertEquals(Optional.of(CallClass.UNANSWERED), call.outcome().callClass());
        assertEquals("caller gave up after 7 s ringing", call.outcome().classification().map(Classification::reason).orElse(null));
        assertEquals(7, call.outcome().ringSeconds().orElse(null));
    }

    @Test
    void overflowToSecondManagerWhoAnswers() throws Exception {
        Chan c = caller("1795382500.1", "+15557654321");
        Chan anna = manager("101", "00000070", "1795382500.2", c.linkedid());
        Chan boris = manager("102", "00000071", "1795382500.3", c.linkedid());
        long id = f.open(c, T0);
        AsteriskCall a = new AsteriskCall(f.peer, T0);
        a.newchannel(c);
        a.dialBegin(c, anna, "101");
        a.tick(20);
        a.dialEnd(c, anna, "NOANSWER");
        a.dialBegin(c, boris, "102");
        a.tick(4);
        a.dialEnd(c, boris, "ANSWER");
        a.bridge("b7", c, boris);
        a.tick(40);
        a.hangup(boris, 16, "Normal Clearing");
        a.hangup(c, 16, "Normal Clearing");
        Call call = f.awaitCompleted(id);
        assertEquals(Optional.of(CallClass.TARGET), call.outcome().callClass());
        assertEquals(f.boris, call.managerId().orElse(null));
        assertEquals(24, call.outcome().ringSeconds().orElse(null));
        assertEquals(40, call.outcome().talkSeconds().orElse(null));
        assertEquals(4, f.calls.events(id).stream().filter(e -> e.kind().startsWith("dial")).count(),
                "both dial attempts are on the timeline");
    }

    @Test
    void blindTransferKeepsAttributionAndCountsCallersConnectedTime() throws Exception {
        Chan c = caller("1795382600.1", "+15557654321");
        Chan anna = manager("101", "00000080", "1795382600.2", c.linkedid());
        Chan boris = manager("102", "00000081", "1795382600.3", c.linkedid());
        long id = f.open(c, T0);
        AsteriskCall a = new AsteriskCall(f.peer, T0);
        a.newchannel(c);
        a.dialBegin(c, anna, "101");
        a.tick(3);
        a.dialEnd(c, anna, "ANSWER");
        a.bridge("b8", c, anna);
        a.tick(10);
        a.blindTransfer("b8", anna, c, "from-internal", "102");
        a.bridgeLeave("b8", 1, anna);
        a.hangup(anna, 16, "Normal Clearing");
        a.bridgeLeave("b8", 0, c);
        a.dialBegin(c, boris, "102");
        a.tick(5);
        a.dialEnd(c, boris, "ANSWER");
        a.bridge("b9", c, boris);
        a.tick(30);
        a.hangup(c, 16, "Normal Clearing");
        a.hangup(boris, 16, "Normal Clearing");
        Call call = f.awaitCompleted(id);
        assertEquals(Optional.of(CallClass.TARGET), call.outcome().callClass());
        assertEquals(45, call.outcome().talkSeconds().orElse(null), "from Anna's answer to the caller's hangup");
        assertEquals(f.anna, call.managerId().orElse(null), "the manager who took the call");
        assertEquals("Google Ads", call.visit().lastTouch().channelName().orElse(null));
        assertTrue(f.calls.events(id).stream().anyMatch(e -> e.kind().equals("transfer")));
    }

    @Test
    void attendedTransferKeepsTheCall() throws Exception {
        Chan c = caller("1795382700.1", "+15557654321");
        Chan anna = manager("101", "00000090", "1795382700.2", c.linkedid());
        // Anna's consultation call is a call of its own: its channels carry another linkedid
        Chan anna2 = manager("101", "00000091", "1795382710.5", "1795382710.5");
        Chan boris = manager("102", "00000092", "1795382710.6", "1795382710.5");
        long id = f.open(c, T0);
        AsteriskCall a = new AsteriskCall(f.peer, T0);
        a.newchannel(c);
        a.dialBegin(c, anna, "101");
        a.tick(2);
        a.dialEnd(c, anna, "ANSWER");
        a.bridge("b10", c, anna);
        a.tick(10);
        a.newchannel(anna2);
        a.dialBegin(anna2, boris, "102");
        a.tick(3);
        a.dialEnd(anna2, boris, "ANSWER");
        a.bridge("b11", anna2, boris);
        a.tick(5);
        a.attendedTransfer("b10", anna, "b11", anna2, c, boris);
        a.bridgeLeave("b10", 1, anna);
        a.bridgeLeave("b11", 1, anna2);
        a.bridgeLeave("b11", 0, boris);
        a.bridgeEnter("b10", 2, boris);
        a.hangup(anna, 16, "Normal Clearing");
        a.hangup(anna2, 16, "Normal Clearing");
        a.tick(20);
        a.hangup(c, 16, "Normal Clearing");
        a.hangup(boris, 16, "Normal Clearing");
        Call call = f.awaitCompleted(id);
        assertEquals(Optional.of(CallClass.TARGET), call.outcome().callClass());
        assertEquals(38, call.outcome().talkSeconds().orElse(null));
        assertEquals(f.anna, call.managerId().orElse(null));
        assertTrue(f.calls.events(id).stream().anyMatch(e -> e.kind().equals("transfer")));
        assertTrue(f.calls.events(id).stream().anyMatch(e -> e.kind().equals("bridged")
                && e.detail().toString().contains("PJSIP/102-00000092")), "Boris joined the caller's bridge");
    }

    @Test
    void repeatCallerIsFlaggedAndKnowsTheLastManager() throws Exception {
        Chan first = caller("1795382800.1", "+15557654321");
        long firstId = f.open(first, T0);
        new AsteriskCall(f.peer, T0).answeredCall(first, manager("102", "000000a0", "1795382800.2", first.linkedid()), "b12", 2, 60);
        f.awaitCompleted(firstId);

        Instant later = T0.plusSeconds(3 * 86400);
        Chan again = caller("1795641000.1", "+15557654321");
        var opened = f.openWithHistory(again, later);
        var history = opened.history();
        assertFalse(history.firstTimeCaller());
        assertTrue(history.repeatCall());
        assertEquals(f.boris, history.lastManagerId().orElseThrow());
        assertEquals(history, f.openWithHistory(again, later).history(), "a repeated open reads the same history");
        long id = opened.callId();
        new AsteriskCall(f.peer, later).answeredCall(again, manager("101", "000000a1", "1795641000.2", again.linkedid()), "b13", 2, 5);
        Call call = f.awaitCompleted(id);
        assertEquals(true, call.repeatCall());
        assertEquals(false, call.firstTimeCaller());
        assertEquals(Optional.of(CallClass.NON_TARGET), call.outcome().callClass());

        var outsideWindow = f.openWithHistory(caller("1803158800.1", "+15557654321"), T0.plusSeconds(90L * 86400))
                .history();
        assertFalse(outsideWindow.repeatCall());
        assertFalse(outsideWindow.firstTimeCaller());
    }

    @Test
    void malformedEventsNeitherCrashNorDisturbTheCall() throws Exception {
        Chan c = caller("1795383000.1", "+15557654321");
        long id = f.open(c, T0);
        f.peer.sendRaw("Event: Hangup\r\nCause: sixteen\r\n\r\n");
        f.peer.sendRaw("Event: DialEnd\r\nDialStatus: ANSWER\r\n\r\n");
        f.peer.sendRaw("this is not AMI\r\n\r\n");
        f.peer.sendRaw("Event: VarSet\r\nVariable: CALLTRACK_CALL_ID\r\nValue: abc\r\nLinkedid: " + c.linkedid() + "\r\n\r\n");
        new AsteriskCall(f.peer, T0).answeredCall(c, manager("101", "000000b0", "1795383000.2", c.linkedid()), "b14", 4, 31);
        Call call = f.awaitCompleted(id);
        assertEquals(Optional.of(CallClass.TARGET), call.outcome().callClass());
        assertEquals(31, call.outcome().talkSeconds().orElse(null));
    }

    @Test
    void callIdVariableLinksChannelsWhoseLinkedidDiffers() throws Exception {
        Chan c = caller("1795383100.1", "+15557654321");
        long id = f.open(c, T0);
        // a Local channel chain started elsewhere: its events carry another linkedid, but our variable names the call
        Chan local = new Chan("Local/1000@from-test-00000003;2", "1795383099.9", "1795383099.9", "+15557654321", "from-test", "1000");
        Chan anna = manager("101", "000000b1", "1795383100.2", local.linkedid());
        AsteriskCall a = new AsteriskCall(f.peer, T0);
        a.newchannel(local);
        a.varSet(local, "CALLTRACK_CALL_ID", String.valueOf(id));
        a.dialBegin(local, anna, "101");
        a.tick(2);
        a.dialEnd(local, anna, "ANSWER");
        a.tick(40);
        a.hangup(local, 16, "Normal Clearing");
        Call call = f.awaitCompleted(id);
        assertEquals(Optional.of(CallClass.TARGET), call.outcome().callClass());
        assertEquals(f.anna, call.managerId().orElse(null));
    }

    @Test
    void openIsIdempotentByLinkedid() {
        Chan c = caller("1795382900.1", "+15557654321");
        long id = f.open(c, T0);
        assertEquals(id, f.open(c, T0.plusSeconds(5)));
        assertEquals(T0, f.calls.find(id).orElseThrow().startedAt(), "the existing row wins");
    }
}
