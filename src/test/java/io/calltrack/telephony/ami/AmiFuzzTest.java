package io.calltrack.telephony.ami;

import static io.calltrack.telephony.ami.AmiFixture.T0;
import static io.calltrack.telephony.ami.AmiFixture.caller;
import static io.calltrack.telephony.ami.AmiFixture.manager;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.calltrack.telephony.ami.peer.AsteriskCall;
import io.calltrack.telephony.ami.peer.AsteriskCall.Chan;
import io.calltrack.calls.Call;
import io.calltrack.calls.CallClass;
import io.calltrack.support.fuzz.Fuzz;
import io.calltrack.support.fuzz.FuzzWatch;
import io.calltrack.support.fuzz.TimeBudget;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterProperty;
import net.jqwik.api.lifecycle.BeforeProperty;
import net.jqwik.api.statistics.Statistics;

/**
 * AMI fuzzed through the real AmiClient (asterisk-java's connection) from the AMI peer: the events of an answered
 * call as Asterisk writes them, with some events' lines mutated (missing, duplicated, garbage, absurd numbers and
 * timestamps, unknown event names). Whatever arrives, nothing is logged as an error, the connection is kept, and a
 * good call that follows is completed as without the fuzz.
 */
class AmiFuzzTest {
    private static final List<String> FIELD_NAMES = List.of("Event", "Privilege", "Timestamp", "Channel", "Uniqueid",
            "Linkedid", "DestUniqueid", "DestLinkedid", "DestChannel", "DialStatus", "BridgeUniqueid", "Cause",
            "Cause-txt", "Variable", "Value", "BillableSeconds", "Duration", "Disposition", "UniqueID",
            "DestinationChannel", "StartTime", "AnswerTime", "EndTime", "ChannelState");
    /** What {@link #call()} sends: Newchannel, VarSet, Newchannel + DialBegin, DialEnd, BridgeCreate + 2 BridgeEnter, VarSet, 2 Hangup, Cdr. */
    private static final int EVENTS_PER_CALL = 12;
    private final AtomicInteger calls = new AtomicInteger(1000);
    private AmiFixture f;
    private FuzzWatch watch;
    private int logins;

    @BeforeProperty
    void start() throws Exception {
        f = new AmiFixture();
        logins = f.peer.logins();
        // asterisk-java 3.41.0 itself logs errors for input it cannot map (a duplicated header becomes a list it
        // cannot set, a bridge it has not seen created), and its reader thread exits with a NullPointerException on an
        // event line with an empty name or a second Privilege line, dropping the connection. Reported in the fuzz
        // report; what calltrack must do about it is checked below: reconnect and get the next call right.
        watch = new FuzzWatch().tolerate("ERROR org.asteriskjava.", "asterisk-java's own error lines, see above")
                .tolerate("WARN org.asteriskjava.", "asterisk-java's own warnings with a stack trace, see above");
    }

    @AfterProperty
    void stop() {
        f.peer.rewriteEvents(UnaryOperator.identity());
        watch.close();
        f.close();
    }

    /** The {@code index}-th event of the call (modulo their number) gets {@code lines} applied to its lines. */
    record EventMutation(int index, List<Fuzz.LineMutation> lines) {}

    @Provide
    Arbitrary<List<EventMutation>> mutations() {
        Arbitrary<List<Fuzz.LineMutation>> lines = Fuzz.lineMutations(FIELD_NAMES);
        Arbitrary<List<Fuzz.LineMutation>> timestamp = Fuzz.absurdValue().map(v -> List.of(
                new Fuzz.ReplaceValue(1, v))); // Timestamp is the second line of every event AsteriskCall writes
        Arbitrary<EventMutation> one = Combinators.combine(Arbitraries.integers().between(0, 30),
                Arbitraries.frequencyOf(Tuple.of(3, lines), Tuple.of(1, timestamp))).as(EventMutation::new);
        return one.list().ofMinSize(1).ofMaxSize(4);
    }

    @Property(tries = 150, seed = Fuzz.SEED)
    @TimeBudget(seconds = 8)
    void mutatedEventsOfACall(@ForAll("mutations") List<EventMutation> mutations) throws Exception {
        AtomicInteger event = new AtomicInteger();
        f.peer.rewriteEvents(text -> mutate(text, event.getAndIncrement(), mutations));
        long fuzzed = call();
        f.peer.rewriteEvents(UnaryOperator.identity());

        // the good call also tells when the fuzzed events were read: its events come after them
        long first = call();
        int before = logins;
        await().atMost(Duration.ofSeconds(20)).until(() -> f.peer.logins() > before
                || f.calls.find(first).orElseThrow().state() == Call.State.COMPLETED);
        long good = first;
        boolean reconnected = f.peer.logins() > logins;
        if (reconnected) { // asterisk-java's reader died: calltrack must be back, and right
            while (logins < f.peer.logins()) {
                f.peer.awaitLogin();
                f.peer.awaitChannelListing();
                logins++;
            }
            good = call();
        }
        Call completed = f.awaitCompleted(good);
        assertEquals(Optional.of(CallClass.TARGET), completed.outcome().callClass(),
                "a good call after " + mutations + ": " + completed);
        assertEquals(Optional.of(95), completed.outcome().talkSeconds(), "after " + mutations);
        watch.assertClean(mutations);
        Statistics.label("AMI connection").collect(reconnected ? "lost (asterisk-java's reader died), calltrack reconnected"
                : "kept");
        FuzzWatch.assertAlive("ami-supervisor", "ami-signals");
        Statistics.label("fuzzed call").collect(f.calls.find(fuzzed).orElseThrow().state().value());
    }

    /** An answered call (8 s ringing, 95 s talk, Cdr and the call id VarSet included); returns its id. */
    private long call() {
        int n = calls.incrementAndGet();
        Chan c = caller("1795390000." + n * 2, "+1555765" + String.format(Locale.ROOT, "%04d", n % 10_000));
        Chan anna = manager("101", String.format(Locale.ROOT, "%08x", n), "1795390000." + (n * 2 + 1), c.linkedid());
        AsteriskCall a = new AsteriskCall(f.peer, T0.plusSeconds(n * 1000L));
        a.newchannel(c);
        long id = f.open(c, a.now());
        a.varSet(c, AmiEventMapper.CALL_ID_VARIABLE, Long.toString(id));
        a.dialBegin(c, anna, "101");
        a.tick(8);
        a.dialEnd(c, anna, "ANSWER");
        a.bridge("bridge-" + n, c, anna);
        a.varSet(c, AmiEventMapper.RECORDING_VARIABLE, "/var/spool/asterisk/monitor/" + id + ".wav");
        a.tick(95);
        a.hangup(c, 16, "Normal Clearing");
        a.hangup(anna, 16, "Normal Clearing");
        f.peer.send("Cdr", cdr(c, anna, a));
        return id;
    }

    /** Cdr as cdr_manager writes it for the caller's leg (see asterisk-22/ami-routed-call.txt). */
    private static Map<String, String> cdr(Chan c, Chan anna, AsteriskCall a) {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("Privilege", "cdr,all");
        f.put("AccountCode", "");
        f.put("Source", c.callerNum());
        f.put("Destination", c.exten());
        f.put("DestinationContext", c.context());
        f.put("CallerID", "\"\" <" + c.callerNum() + ">");
        f.put("Channel", c.name());
        f.put("DestinationChannel", anna.name());
        f.put("LastApplication", "Dial");
        f.put("LastData", "PJSIP/101,20");
        f.put("StartTime", "2026-11-02 10:00:00");
        f.put("AnswerTime", "2026-11-02 10:00:08");
        f.put("EndTime", "2026-11-02 10:01:43");
        f.put("Duration", "103");
        f.put("BillableSeconds", "95");
        f.put("Disposition", "ANSWERED");
        f.put("AMAFlags", "DOCUMENTATION");
        f.put("UniqueID", c.uniqueid());
        f.put("UserField", "");
        return f;
    }

    /** The event's lines with the mutations that name it applied; still one message (CR LF lines, an empty line). */
    private static String mutate(String text, int index, List<EventMutation> mutations) {
        List<String> lines = new ArrayList<>(Arrays.asList(text.substring(0, text.length() - 4).split("\r\n")));
        for (EventMutation m : mutations) {
            if (Math.floorMod(m.index(), EVENTS_PER_CALL) == index) lines = Fuzz.apply(m.lines(), lines);
        }
        // a mutated line must not end the message early or start another: AMI has no escaping for CR LF
        lines.replaceAll(l -> l.replace("\r", " ").replace("\n", " "));
        lines.removeIf(String::isEmpty);
        return String.join("\r\n", lines) + "\r\n\r\n";
    }
}
