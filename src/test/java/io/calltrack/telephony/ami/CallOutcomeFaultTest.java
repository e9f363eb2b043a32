package io.calltrack.telephony.ami;

import static io.calltrack.telephony.ami.AmiFixture.T0;
import static io.calltrack.telephony.ami.AmiFixture.caller;
import static io.calltrack.telephony.ami.AmiFixture.manager;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.calltrack.telephony.ami.peer.AsteriskCall.Chan;
import io.calltrack.telephony.ami.peer.AsteriskCall;
import io.calltrack.calls.Call;
import io.calltrack.calls.CallClass;
import io.calltrack.calls.Classification;
import io.calltrack.support.LogCapture;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The same answered call (8 s ringing, 95 s talk: target, Anna) with a fault in the middle; the outcome must not change. */
class CallOutcomeFaultTest {
    private AmiFixture f;
    private Chan c;
    private Chan anna;
    private AsteriskCall a;
    private long id;

    @BeforeEach
    void start() throws Exception {
        f = new AmiFixture();
        c = caller("1795390000.1", "+15557654321");
        anna = manager("101", "000000f0", "1795390000.2", c.linkedid());
        a = new AsteriskCall(f.peer, T0);
        a.newchannel(c);
        id = f.open(c, T0);
        a.dialBegin(c, anna, "101");
        a.tick(8);
        a.dialEnd(c, anna, "ANSWER");
        a.bridge("bf", c, anna);
        // the fault comes after the answer reached calltrack (events still queued at a drop are lost, as in Asterisk)
        await().atMost(Duration.ofSeconds(10)).until(() -> f.calls.find(id).orElseThrow().answeredAt().orElse(null) != null);
    }

    @AfterEach
    void stop() {
        f.close();
    }

    private void hangUpAfter95s() {
        a.tick(95);
        a.hangup(c, 16, "Normal Clearing");
        a.hangup(anna, 16, "Normal Clearing");
    }

    private void assertSameOutcomeAsWithoutFault(Call call) {
        assertEquals(Optional.of(CallClass.TARGET), call.outcome().callClass());
        assertEquals("talked 95 s, threshold 30 s", call.outcome().classification().map(Classification::reason).orElse(null));
        assertEquals(f.anna, call.managerId().orElse(null));
        assertEquals(T0.plusSeconds(8), call.answeredAt().orElse(null));
        assertEquals(T0.plusSeconds(103), call.endedAt().orElse(null));
        assertEquals(95, call.outcome().talkSeconds().orElse(null));
        assertEquals(false, call.outcome().incomplete());
    }

    /** Waits until the caller's hangup (the last signal of the call) has reached the spool. */
    private void awaitSpooled() {
        await("the caller's hangup in the spool").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(25))
                .until(() -> Files.exists(f.spoolFile())
                        && Files.readString(f.spoolFile()).contains("hangup/" + c.uniqueid()));
    }

    @Test
    void amiDroppedMidCallAndRestored() throws Exception {
        f.peer.drop();
        f.peer.awaitLogin();
        f.peer.awaitChannelListing();
        hangUpAfter95s();
        assertSameOutcomeAsWithoutFault(f.awaitCompleted(id));
    }

    /** A call nobody saw end (AMI away, no FastAGI session knew its end): no duration or class is made up. */
    @Test
    void callThatEndedWhileAmiWasAwayHasAnUnknownOutcomeNotAnInventedOne() throws Exception {
        f.peer.refuseConnections(true);
        f.peer.drop();
        hangUpAfter95s(); // nobody hears it
        f.peer.refuseConnections(false);
        f.peer.awaitLogin();
        f.peer.awaitChannelListing();
        Call call = f.awaitCompleted(id);
        assertEquals(true, call.outcome().incomplete());
        assertEquals(f.anna, call.managerId().orElse(null), "what was known is kept");
        assertEquals(T0.plusSeconds(8), call.answeredAt().orElse(null));
        assertNull(call.endedAt().orElse(null), "the end was not seen: not the moment calltrack logged in again");
        assertNull(call.outcome().talkSeconds().orElse(null));
        assertEquals(Optional.empty(), call.outcome().callClass(), "no class is better than a wrong one");
        assertEquals("outcome unknown: the call ended while calltrack could not see Asterisk "
                + "(AMI disconnected or calltrack stopped)", call.outcome().classification().map(Classification::reason).orElse(null));
    }

    /**
     * FastAGI keyed this call by the ;2 half of a Local channel, whose Linkedid is the ;1 half's: after a reconnect
     * it is still up in Asterisk (CoreShowChannels lists it under its Uniqueid), so it must not be closed.
     */
    @Test
    void aLiveCallOnALocalChannelSurvivesReconciliation() throws Exception {
        Chan half1 = new Chan("Local/1000@from-test-00000003;1", "1795391000.6", "1795391000.6", "5551234",
                "from-test", "1000");
        Chan half2 = new Chan("Local/1000@from-test-00000003;2", "1795391000.7", "1795391000.6", "5551234",
                "calltrack-incoming", "1000");
        a.newchannel(half1);
        a.newchannel(half2);
        // FastAGI records the call under agi_uniqueid: the ;2 half's own Uniqueid, not its Linkedid
        long local = f.open(new Chan(half2.name(), half2.uniqueid(), half2.uniqueid(), half2.callerNum(),
                half2.context(), half2.exten()), T0);
        try (LogCapture log = new LogCapture(AmiClient.class)) {
            f.peer.drop();
            await().atMost(Duration.ofSeconds(20)).until(() -> log.lines().stream()
                    .anyMatch(l -> l.contains("AMI reconciled")));
        }
        // queued behind whatever the reconciliation decided: once this call is complete, that was applied too
        a.hangup(c, 16, "Normal Clearing");
        f.awaitCompleted(id);
        assertEquals("ringing", f.calls.find(local).orElseThrow().state().value(), "still up in Asterisk");
    }

    @Test
    void databaseDownMidCallAndBack() throws Exception {
        f.dbProxy.cut();
        hangUpAfter95s();
        awaitSpooled();
        assertTrue(Files.readString(f.spoolFile()).contains("hangup/" + c.uniqueid()), "the hangup waits in the spool");
        f.dbProxy.restore();
        assertSameOutcomeAsWithoutFault(f.awaitCompleted(id));
        await("the spool emptied once written").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(25))
                .until(() -> Files.size(f.spoolFile()) == 0);
    }

    @Test
    void calltrackRestartedWithSpooledEvents() throws Exception {
        f.dbProxy.cut();
        hangUpAfter95s();
        awaitSpooled();
        String spooled = Files.readString(f.spoolFile());
        assertTrue(spooled.contains("hangup/" + c.uniqueid()), spooled);
        // stopped while the database is still down: only the spool remembers the hangup
        f.restart(f.dbProxy::restore);
        assertSameOutcomeAsWithoutFault(f.awaitCompleted(id));
    }
}
