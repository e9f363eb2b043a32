package io.calltrack.ami;

import static io.calltrack.ami.AmiFixture.T0;
import static io.calltrack.ami.AmiFixture.caller;
import static io.calltrack.ami.AmiFixture.manager;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.calltrack.ami.peer.AsteriskCall;
import io.calltrack.ami.peer.AsteriskCall.Chan;
import java.nio.file.Files;
import java.util.Map;
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

    private void assertSameOutcomeAsWithoutFault(Map<String, Object> call) {
        assertEquals("target", call.get("class"));
        assertEquals("talked 95 s, threshold 30 s", call.get("class_reason"));
        assertEquals(f.anna, call.get("manager_id"));
        assertEquals(T0.plusSeconds(8), call.get("answered_at"));
        assertEquals(T0.plusSeconds(103), call.get("ended_at"));
        assertEquals(95, call.get("talk_seconds"));
        assertEquals(false, call.get("incomplete"));
    }

    /** Waits until the caller's hangup (the last signal of the call) has reached the spool. */
    private void awaitSpooled() throws Exception {
        for (int i = 0; i < 400; i++) {
            if (Files.exists(f.spoolFile()) && Files.readString(f.spoolFile()).contains("hangup/" + c.uniqueid())) return;
            Thread.sleep(25);
        }
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
        Map<String, Object> call = f.awaitCompleted(id);
        assertEquals(true, call.get("incomplete"));
        assertEquals(f.anna, call.get("manager_id"), "what was known is kept");
        assertEquals(T0.plusSeconds(8), call.get("answered_at"));
        assertNull(call.get("ended_at"), "the end was not seen: not the moment calltrack logged in again");
        assertNull(call.get("talk_seconds"));
        assertNull(call.get("class"), "no class is better than a wrong one");
        assertEquals("outcome unknown: the call ended while calltrack could not see Asterisk "
                + "(AMI disconnected or calltrack stopped)", call.get("class_reason"));
    }

    @Test
    void databaseDownMidCallAndBack() throws Exception {
        f.dbProxy.cut();
        hangUpAfter95s();
        awaitSpooled();
        assertTrue(Files.readString(f.spoolFile()).contains("hangup/" + c.uniqueid()), "the hangup waits in the spool");
        f.dbProxy.restore();
        assertSameOutcomeAsWithoutFault(f.awaitCompleted(id));
        for (int i = 0; i < 400 && Files.size(f.spoolFile()) > 0; i++) Thread.sleep(25);
        assertEquals(0, Files.size(f.spoolFile()), "the spool is emptied once written");
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
