package io.calltrack.telephony.ami;

import static io.calltrack.telephony.ami.AmiFixture.T0;
import static io.calltrack.telephony.ami.AmiFixture.caller;
import static io.calltrack.telephony.ami.AmiFixture.manager;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.calltrack.telephony.ami.peer.AsteriskCall.Chan;
import io.calltrack.telephony.ami.peer.AsteriskCall;
import io.calltrack.telephony.ami.peer.ManagerEventFilter;
import io.calltrack.calls.Call;
import io.calltrack.calls.CallClass;
import io.calltrack.support.LogCapture;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;
import java.util.Map;
import org.asteriskjava.manager.internal.backwardsCompatibility.bridge.BridgesActive;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The AMI user shipped in asterisk-conf/manager.conf, event filters included, as Asterisk applies them: calltrack
 * still gets a call right from the events that pass, and the noise Asterisk 22 adds to a routed call is withheld.
 */
class SampleManagerConfTest {
    private AmiFixture f;

    @BeforeEach
    void start() throws Exception {
        f = new AmiFixture();
        f.peer.filterEvents(ManagerEventFilter.fromManagerConf(Path.of("asterisk-conf/manager.conf"), "calltrack"));
    }

    @AfterEach
    void stop() {
        f.close();
    }

    @Test
    void aRoutedCallIsCompleteFromTheEventsTheSampleFilterLetsThrough() throws Exception {
        try (LogCapture log = new LogCapture(BridgesActive.class)) {
            routedCall(log);
        }
    }

    private void routedCall(LogCapture log) throws Exception {
        Chan c = caller("1795383000.1", "+15557654321");
        Chan anna = manager("101", "00000070", "1795383000.2", c.linkedid());
        long id = f.open(c, T0);
        AsteriskCall a = new AsteriskCall(f.peer, T0);
        a.newchannel(c);
        noise("Newexten", c, Map.of("Extension", "5551000", "Application", "AGI", "AppData", "agi://calltrack/incoming"));
        a.varSet(c, "CALLTRACK_CALL_ID", Long.toString(id));
        a.varSet(c, "CALLTRACK_ATTRIBUTION", "static");
        a.varSet(c, "MIXMONITOR_FILENAME", "/var/spool/asterisk/monitor/calltrack/" + id + ".wav");
        a.dialBegin(c, anna, "101");
        noise("Newstate", anna, Map.of());
        a.tick(6);
        a.dialEnd(c, anna, "ANSWER");
        a.varSet(c, "DIALEDPEERNAME", anna.name());
        a.bridge("b70", c, anna);
        a.tick(40);
        a.bridgeLeave("b70", 1, c);
        a.varSet(c, "DIALSTATUS", "ANSWER");
        a.varSet(c, "ANSWEREDTIME", "40");
        a.hangup(c, 16, "Normal Clearing");
        a.bridgeLeave("b70", 0, anna);
        a.hangup(anna, 16, "Normal Clearing");
        cdr(anna, "", 40);
        cdr(c, anna.name(), 40);

        Call call = f.awaitCompleted(id);
        assertTrue(log.lines().stream().noneMatch(l -> l.contains("Cant find bridge")),
                "asterisk-java sees each bridge created: " + log.lines());
        assertEquals(Optional.of(CallClass.TARGET), call.outcome().callClass());
        assertEquals(f.anna, call.managerId().orElse(null));
        assertEquals(6, call.outcome().ringSeconds().orElse(null));
        assertEquals(40, call.outcome().talkSeconds().orElse(null));
        assertEquals("/var/spool/asterisk/monitor/calltrack/" + id + ".wav", call.recordingPath().orElse(null));
        assertEquals(List.of("Newchannel", "Newexten", "VarSet CALLTRACK_ATTRIBUTION", "Newchannel", "Newstate",
                        "VarSet DIALEDPEERNAME", "VarSet DIALSTATUS", "VarSet ANSWEREDTIME", "Cdr"),
                f.peer.withheld().stream().map(e -> e.get("Event")
                        + (e.containsKey("Variable") ? " " + e.get("Variable") : "")).toList(),
                "only what calltrack uses reaches it");
    }

    /**
     * cdr_manager's record of one channel, as Asterisk 22 writes it: {@code DestinationChannel} is empty (the header
     * still there) for every channel but the one that dialled. Only that one is the cross-check calltrack reads.
     */
    private void cdr(Chan c, String destinationChannel, int billableSeconds) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("Privilege", "cdr,all");
        fields.put("AccountCode", "");
        fields.put("Source", c.callerNum() == null ? "" : c.callerNum());
        fields.put("Channel", c.name());
        fields.put("DestinationChannel", destinationChannel);
        fields.put("LastApplication", destinationChannel.isEmpty() ? "AppDial" : "Dial");
        fields.put("BillableSeconds", Integer.toString(billableSeconds));
        fields.put("Disposition", "ANSWERED");
        fields.put("UniqueID", c.uniqueid());
        f.peer.send("Cdr", fields);
    }

    /** An event calltrack does not use, with the channel fields Asterisk puts on it. */
    private void noise(String event, Chan c, Map<String, String> extra) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("Privilege", "dialplan,all");
        fields.put("Channel", c.name());
        fields.put("Uniqueid", c.uniqueid());
        fields.put("Linkedid", c.linkedid());
        fields.putAll(extra);
        f.peer.send(event, fields);
    }
}
