package io.calltrack.telephony.ami.peer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.calltrack.telephony.ami.peer.CallCapture.Block;
import io.calltrack.telephony.ami.peer.CallCapture.DialOutcome;
import io.calltrack.telephony.ami.peer.CallCapture.Event;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The load peer's replay of real Asterisk 22 captures: driven with a capture's own commands, a replayed call is that
 * capture again, event for event, but it is a new call (fresh ids, the new caller, the values the FastAGI server set,
 * the replay's clock). If a capture or the replay changes, this says so.
 */
class CallReplayTest {
    static final List<String> CAPTURES = List.of("calltrack-answered.txt", "calltrack-noanswer-then-answer.txt",
            "calltrack-caller-gives-up.txt", "calltrack-manager-hangs-up.txt", "ami-routed-call.txt");
    static final List<CallCapture> LIBRARY = CAPTURES.stream().map(n -> CallCapture.load("asterisk-22/" + n)).toList();
    static final Instant NOW = Instant.parse("2027-01-05T10:00:00Z");
    static final CallReplay.Caller CALLER = new CallReplay.Caller("+14155550199", "13125559876", "10.0.0.7:14573");

    @ParameterizedTest
    @ValueSource(strings = {"calltrack-answered.txt", "calltrack-noanswer-then-answer.txt", "calltrack-caller-gives-up.txt",
            "calltrack-manager-hangs-up.txt", "ami-routed-call.txt"})
    void aReplayedCallIsTheCapturedCallAgainForANewCall(String name) {
        CallCapture capture = LIBRARY.get(CAPTURES.indexOf(name));
        Map<String, String> variables = new HashMap<>(Map.of("ANSWEREDTIME_MS", "4321", "DIALSTATUS", "ANSWER"));
        CallReplay replay = new CallReplay(LIBRARY, capture, CALLER, new CallReplay.Ids(0x40), variables,
                Clock.fixed(NOW, ZoneOffset.UTC));
        List<Event> replayed = play(replay, capture);

        assertEquals(capture.events().stream().map(Event::name).toList(), replayed.stream().map(Event::name).toList(),
                "the capture's events, noise included, in the capture's order");
        Set<String> capturedIds = new HashSet<>();
        for (Event e : capture.events()) {
            for (String f : List.of("Uniqueid", "Linkedid", "Channel", "DestUniqueid", "DestChannel", "BridgeUniqueid")) {
                if (e.get(f) != null && !e.get(f).equals("<unknown>")) capturedIds.add(e.get(f));
            }
        }
        for (Event e : replayed) {
            for (String value : e.fields().values()) {
                assertFalse(capturedIds.contains(value), () -> e.name() + " still carries the capture's " + value);
                assertFalse(value.contains(capture.callerNumber()), () -> e.name() + " still carries the captured caller");
            }
            if (e.get("Linkedid") != null) assertEquals(replay.linkedid(), e.get("Linkedid"), e.name() + " Linkedid");
            if (e.get("Timestamp") != null) assertEquals("1799143200.000000", e.get("Timestamp"));
        }
        assertTrue(replayed.stream().anyMatch(e -> replay.agiChannel().equals(e.get("Channel"))));
        assertTrue(replay.agiChannel().matches("Local/13125559876@[a-z-]+-[0-9a-f]{8};2"), replay.agiChannel());
        List<String> results = new ArrayList<>();
        for (Event e : replayed) if (e.name().equals("AGIExecEnd")) results.add(e.get("ResultCode") + " " + e.get("Result"));
        List<String> captured = new ArrayList<>();
        for (Event e : capture.events()) if (e.name().equals("AGIExecEnd")) captured.add(e.get("ResultCode") + " " + e.get("Result"));
        assertEquals(captured, results, "AGIExecEnd as res_agi reports each reply");
    }

    @ParameterizedTest
    @ValueSource(strings = {"calltrack-answered.txt", "calltrack-manager-hangs-up.txt"})
    void theVarSetsCarryWhatTheServerSetAndTheDialVariablesOfTheSimulation(String name) {
        CallCapture capture = LIBRARY.get(CAPTURES.indexOf(name));
        Map<String, String> variables = new HashMap<>(Map.of("ANSWEREDTIME_MS", "4321", "DIALSTATUS", "ANSWER"));
        CallReplay replay = new CallReplay(LIBRARY, capture, CALLER, new CallReplay.Ids(0x40), variables,
                Clock.fixed(NOW, ZoneOffset.UTC));
        List<Event> replayed = play(replay, capture);

        List<String> callIds = replayed.stream().filter(e -> e.name().equals("VarSet")
                && "CALLTRACK_CALL_ID".equals(e.get("Variable"))).map(e -> e.get("Value")).toList();
        assertEquals(List.of("4242"), callIds);
        assertTrue(replayed.stream().anyMatch(e -> e.name().equals("AGIExecStart")
                && "SET VARIABLE CALLTRACK_CALL_ID \"4242\"".equals(e.get("Command"))));
        List<String> answered = replayed.stream().filter(e -> e.name().equals("VarSet")
                && "ANSWEREDTIME_MS".equals(e.get("Variable"))).map(e -> e.get("Value")).toList();
        assertEquals(List.of("", "4321"), answered, "cleared as Dial starts, then the simulation's talk time");
        assertTrue(replayed.stream().anyMatch(e -> e.name().equals("DialBegin")
                && replay.dialledChannel().equals(e.get("DestChannel"))), "the manager's channel is a new one");
    }

    /** Drives the replay with the capture's own commands and replies (the call id set is 4242) and outcomes. */
    static List<Event> play(CallReplay replay, CallCapture capture) {
        List<Event> out = new ArrayList<>(replay.start());
        for (Block b : capture.blocks()) {
            String command = b.command().startsWith("SET VARIABLE CALLTRACK_CALL_ID")
                    ? "SET VARIABLE CALLTRACK_CALL_ID \"4242\"" : b.command();
            String reply = reply(b);
            if (b.outcome() == null) {
                out.addAll(replay.command(command, reply));
                continue;
            }
            out.addAll(replay.dial(command, b.outcome()));
            for (int phase = 1; phase < b.phases().size(); phase++) {
                boolean ends = b.phases().get(phase).stream().anyMatch(e -> e.name().equals("AGIExecEnd"));
                out.addAll(replay.dialProgress(ends ? reply : null));
            }
            assertEquals(0, replay.dialPhasesLeft());
        }
        out.addAll(replay.agiEnded(capture.agiStatus().equals("HANGUP")));
        return out;
    }

    /** A reply res_agi would have written for the block's AGIExecEnd. */
    static String reply(Block b) {
        Event end = b.events().stream().filter(e -> e.name().equals("AGIExecEnd")).findFirst().orElseThrow();
        if (end.get("ResultCode").equals("510")) return "510 Invalid or unknown command";
        if (end.get("Result").equals("Unknown Result")) return "200 result=-1";
        return b.verb().startsWith("EXEC ") ? "200 result=0" : "200 result=1";
    }

    @Test
    void theCapturesDialOutcomesAreRecognised() {
        assertEquals(List.of(DialOutcome.ANSWERED_CALLER_HANGS_UP), dialOutcomes("calltrack-answered.txt"));
        assertEquals(List.of(DialOutcome.NO_ANSWER, DialOutcome.ANSWERED_CALLER_HANGS_UP),
                dialOutcomes("calltrack-noanswer-then-answer.txt"));
        assertEquals(List.of(DialOutcome.CALLER_GIVES_UP), dialOutcomes("calltrack-caller-gives-up.txt"));
        assertEquals(List.of(DialOutcome.ANSWERED_MANAGER_HANGS_UP), dialOutcomes("calltrack-manager-hangs-up.txt"));
        assertEquals(List.of(3), LIBRARY.get(0).blocks().stream().filter(b -> b.outcome() != null)
                .map(b -> b.phases().size()).toList(), "rings, is answered, ends");
    }

    static List<DialOutcome> dialOutcomes(String name) {
        return LIBRARY.get(CAPTURES.indexOf(name)).blocks().stream().map(Block::outcome)
                .filter(o -> o != null).toList();
    }
}
