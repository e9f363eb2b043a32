package io.calltrack.calls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.calltrack.Json;
import io.calltrack.platform.db.Jdbc;
import io.calltrack.routing.RoutingRepository;
import io.calltrack.support.TestDatabase;
import io.calltrack.tracking.Attribution;
import io.calltrack.tracking.CreditedVisit;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The lifecycle without AMI: idempotent signals, listeners told once after commit, the spool's durability. */
class CallLifecycleTest {
    private static final Instant T0 = Instant.parse("2026-11-02T10:00:00Z");

    private final TestDatabase db = TestDatabase.create();
    private final CallRepository calls = repository(db);
    private final List<String> told = new CopyOnWriteArrayList<>();
    private Path spoolDir;
    private CallLifecycle lifecycle;
    private long siteId;

    static CallRepository repository(TestDatabase db) {
        Jdbc jdbc = new Jdbc(db.dataSource());
        return new CallRepository(jdbc, Json.mapper(), new RoutingRepository(jdbc, Json.mapper()));
    }

    @BeforeEach
    void start() throws Exception {
        spoolDir = Files.createTempDirectory("spool");
        lifecycle = new CallLifecycle(calls, new SignalSpool(spoolDir, Json.mapper(), java.time.Clock.systemUTC()), List.of(new CallListener() {
            @Override
            public void callCompleted(CompletedCall call) {
                told.add("completed " + call.id());
            }

            @Override
            public void callReclassified(long callId) {
                told.add("reclassified " + callId);
            }
        }), opened -> told.add("opened " + opened.linkedid()), 60_000);
        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("INSERT INTO site (name, public_key, time_zone, fallback_number) "
                     + "VALUES ('s', 'k', 'UTC', '+1555') RETURNING id")) {
            rs.next();
            siteId = rs.getLong(1);
        }
    }

    @AfterEach
    void stop() {
        lifecycle.close();
        db.close();
    }

    private long open(String linkedid) {
        Attribution.CalledNumber number = new Attribution.CalledNumber(Optional.of(siteId), Optional.empty(),
                "+15551000", false, false);
        return calls.open(new NewCall(linkedid, "agi", T0, Optional.of("+15557654321"),
                new Attribution(Attribution.Kind.UNATTRIBUTED, number, CreditedVisit.NONE), OptionalInt.of(30)), 30)
                .callId();
    }

    private static CallSignal signal(String linkedid, String key, CallSignal.Kind kind, long second, String value) {
        return new CallSignal(linkedid, null, key, kind, T0.plusSeconds(second), "PJSIP/101-00000001", value,
                kind == CallSignal.Kind.ENDED ? 16 : null, null, false);
    }

    private static CallSignal dialEnd(String linkedid, String key, long second, DialStatus status) {
        return CallSignal.dialEnd(linkedid, null, key, T0.plusSeconds(second), "PJSIP/101-00000001", status);
    }

    @Test
    void replayedSignalsChangeNothingAndListenersAreToldOnce() {
        long id = open("L1");
        List<CallSignal> call = List.of(
                dialEnd("L1", "dialend/x", 5, DialStatus.ANSWER),
                signal("L1", "hangup/L1", CallSignal.Kind.ENDED, 25, null));
        call.forEach(lifecycle::accept);
        call.forEach(lifecycle::accept);
        lifecycle.accept(signal("L1", "hangup/L1-late", CallSignal.Kind.ENDED, 500, null));
        var row = calls.find(id).orElseThrow();
        assertEquals(20, row.outcome().talkSeconds().orElse(null));
        assertEquals(Optional.of(CallClass.NON_TARGET), row.outcome().callClass());
        assertEquals(List.of("completed " + id), told);
        assertEquals(3, calls.events(id).size(), "one timeline entry per distinct event key");

        assertEquals(List.of(id), lifecycle.reclassify(siteId, 10), "the threshold went down to 10 s");
        assertEquals(List.of(), lifecycle.reclassify(siteId, 10), "nothing changes twice");
        assertEquals(List.of("completed " + id, "reclassified " + id), told);
    }

    private static CallSignal dialled(long callId, String linkedid, long dialledSecond, long returnedSecond,
                                      DialStatus status, Long talkMillis) {
        return CallSignal.dialled(callId, linkedid, new CallSignal.Dialled(1, "PJSIP/101", null,
                T0.plusSeconds(dialledSecond), status, talkMillis, talkMillis == null ? null : "PJSIP/101-0000002a",
                null), T0.plusSeconds(returnedSecond));
    }

    /** calltrack stopped after Dial returned but before the end was written: what the Dial measured is the outcome. */
    @Test
    void aCallThatEndedUnseenKeepsTheExactTalkTheDialMeasured() {
        long id = open("L5");
        lifecycle.accept(dialled(id, "L5", 1, 40, DialStatus.ANSWER, 31_700L));
        lifecycle.accept(new CallSignal("L5", null, "hangup/L5", CallSignal.Kind.ENDED, T0.plusSeconds(600), null,
                null, null, "the call ended while calltrack could not see Asterisk", true));
        var row = calls.find(id).orElseThrow();
        assertEquals("completed", row.state().value());
        assertEquals(31, row.outcome().talkSeconds().orElse(null));
        assertEquals(Optional.of(CallClass.TARGET), row.outcome().callClass());
        assertEquals(T0.plusSeconds(40), row.endedAt().orElse(null), "when the conversation ended, not when we noticed");
        assertEquals(false, row.outcome().incomplete());
    }

    /** AMI's hangup may be applied before the FastAGI session's facts: they correct it, and listeners hear of it. */
    @Test
    void exactDialFactsArrivingAfterAmisEndCorrectTheOutcome() {
        long id = open("L6");
        lifecycle.accept(dialEnd("L6", "dialend/x", 12, DialStatus.ANSWER));
        lifecycle.accept(signal("L6", "hangup/L6", CallSignal.Kind.ENDED, 50, null));
        assertEquals(38, calls.find(id).orElseThrow().outcome().talkSeconds().orElse(null), "AMI's (lagging) moments");
        lifecycle.accept(dialled(id, "L6", 0, 30, DialStatus.ANSWER, 25_000L));
        var row = calls.find(id).orElseThrow();
        assertEquals(25, row.outcome().talkSeconds().orElse(null));
        assertEquals(Optional.of(CallClass.NON_TARGET), row.outcome().callClass());
        assertEquals(T0.plusSeconds(5), row.answeredAt().orElse(null));
        assertEquals(List.of("completed " + id, "reclassified " + id), told);
    }

    /**
     * One transaction for a burst. A signal PostgreSQL refuses (a NUL in text) does not take the batch's other calls
     * with it; it waits in the spool, the calls behind it keep their order, and after a few tries it is quarantined.
     */
    @Test
    void aBatchIsAppliedWholeAndASignalThatCannotBeAppliedIsQuarantinedNotDropped() {
        long a = open("L7");
        long b = open("L8");
        CallSignal bad = new CallSignal("L8", null, "bad", CallSignal.Kind.ENDED, T0.plusSeconds(9), null, null,
                16, "\u0000 not storable", false);
        lifecycle.acceptAll(List.of(
                dialEnd("L7", "dialend/a", 3, DialStatus.ANSWER),
                signal("L7", "hangup/L7", CallSignal.Kind.ENDED, 40, null),
                bad,
                signal("L8", "hangup/L8", CallSignal.Kind.ENDED, 10, null)));
        assertEquals(Optional.of(CallClass.TARGET), calls.find(a).orElseThrow().outcome().callClass());
        assertEquals("ringing", calls.find(b).orElseThrow().state().value(), "behind the bad signal, in order");

        for (int i = 1; i < CallLifecycle.ATTEMPTS; i++) assertFalse(lifecycle.replay(), "try " + i + " fails");
        assertTrue(lifecycle.replay(), "quarantined on the last try, the rest replayed");
        assertEquals(Optional.of(CallClass.UNANSWERED), calls.find(b).orElseThrow().outcome().callClass());
        SignalSpool spool = new SignalSpool(spoolDir, Json.mapper(), java.time.Clock.systemUTC());
        assertEquals(1, spool.quarantined());
        assertTrue(told.contains("completed " + a) && told.contains("completed " + b), told.toString());
    }

    @Test
    void signalsForUnknownCallsAreIgnored() {
        lifecycle.accept(signal("not-ours", "hangup/not-ours", CallSignal.Kind.ENDED, 5, null));
        assertTrue(told.isEmpty());
    }

    @Test
    void spoolSurvivesATornLastLineAndKeepsOrder() throws Exception {
        SignalSpool spool = new SignalSpool(spoolDir.resolve("other"), Json.mapper(), java.time.Clock.systemUTC());
        spool.append(signal("L2", "a", CallSignal.Kind.DIAL_BEGIN, 1, "101"));
        spool.append(dialEnd("L2", "b", 2, DialStatus.BUSY));
        Files.writeString(spool.file(), "{\"linkedid\":\"L2\",\"ke", java.nio.file.StandardOpenOption.APPEND);
        assertEquals(List.of("a", "b"), spool.readAll().stream().map(CallSignal::key).toList());
        spool.removeFirst(1);
        assertEquals(List.of("b"), spool.readAll().stream().map(CallSignal::key).toList());
    }

    /** An upgrade keeps what waits in the spool: a DialEnd written before its status had a field still counts. */
    @Test
    void aDialEndSpooledByThePreviousVersionReplaysWithItsStatus() throws Exception {
        long id = open("L9");
        Path dir = spoolDir.resolve("upgraded");
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("call-signals.jsonl"), """
                {"linkedid":"L9","callId":null,"key":"dialend/x","kind":"DIAL_END","at":"2026-11-02T10:00:20Z",\
                "channel":"PJSIP/101-00000001","value":"BUSY","cause":null,"text":null,"incomplete":false,"dialled":null}
                {"linkedid":"L9","callId":null,"key":"hangup/L9","kind":"ENDED","at":"2026-11-02T10:00:25Z",\
                "channel":null,"value":null,"cause":16,"text":null,"incomplete":false,"dialled":null}
                """);
        try (CallLifecycle upgraded = new CallLifecycle(calls, new SignalSpool(dir, Json.mapper(),
                java.time.Clock.systemUTC()), List.of(), opened -> { }, 60_000)) {
            assertTrue(upgraded.replay());
        }
        var row = calls.find(id).orElseThrow();
        assertEquals(Optional.of(DialStatus.BUSY), row.outcome().dialStatus());
        assertEquals(Optional.of("busy"), row.outcome().classification().map(Classification::reason));
        assertEquals("BUSY", calls.events(id).get(0).detail().get("value").asText(), "the timeline as before");
    }

    /**
     * A call is judged by the threshold its site had when it rang; re-classifying the site with a new one applies it
     * to the calls still in progress too, so they end judged like the completed ones.
     */
    @Test
    void reclassifyingASiteAppliesItsNewThresholdToCallsStillInProgress() throws Exception {
        long before = open("L10");
        long during = open("L11");
        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
            s.executeUpdate("UPDATE site SET target_threshold_seconds = 10");
        }
        lifecycle.acceptAll(List.of(dialEnd("L10", "dialend/a", 5, DialStatus.ANSWER),
                signal("L10", "hangup/L10", CallSignal.Kind.ENDED, 25, null)));
        assertEquals(Optional.of("talked 20 s, below threshold 30 s"),
                calls.find(before).orElseThrow().outcome().classification().map(Classification::reason),
                "rang while the threshold was 30 s, and nobody re-classified");

        lifecycle.accept(dialEnd("L11", "dialend/b", 5, DialStatus.ANSWER));
        assertEquals(List.of(before), lifecycle.reclassify(siteId, 10), "the completed call");
        lifecycle.accept(signal("L11", "hangup/L11", CallSignal.Kind.ENDED, 25, null));
        var row = calls.find(during).orElseThrow();
        assertEquals(Optional.of(CallClass.TARGET), row.outcome().callClass());
        assertEquals(Optional.of("talked 20 s, threshold 10 s"),
                row.outcome().classification().map(Classification::reason));
    }

    private static final SpeechVerdict PRICE = new SpeechVerdict(CallClass.TARGET, "speech rule 'price request': target");
    private static final SpeechVerdict WRONG =
            new SpeechVerdict(CallClass.NON_TARGET, "speech rule 'wrong number': non-target");

    /** A call of the site (threshold 30 s) answered at 5 s and ended {@code talk} seconds later. */
    private long answered(String linkedid, int talk) {
        long id = open(linkedid);
        lifecycle.acceptAll(List.of(dialEnd(linkedid, "dialend/" + linkedid, 5, DialStatus.ANSWER),
                signal(linkedid, "hangup/" + linkedid, CallSignal.Kind.ENDED, 5 + talk, null)));
        return id;
    }

    private Optional<Classification> classification(long callId) {
        return calls.find(callId).orElseThrow().outcome().classification();
    }

    @Test
    void aSpeechVerdictDecidesAnAnsweredCallsClassAndTheListenersHearOfIt() {
        long shortCall = answered("S1", 12);
        long longCall = answered("S2", 300);
        long busy = open("S3");
        lifecycle.acceptAll(List.of(dialEnd("S3", "dialend/S3", 5, DialStatus.BUSY),
                signal("S3", "hangup/S3", CallSignal.Kind.ENDED, 6, null)));
        told.clear();

        lifecycle.judgedBySpeech(shortCall, Optional.of(PRICE));
        lifecycle.judgedBySpeech(longCall, Optional.of(WRONG));
        lifecycle.judgedBySpeech(busy, Optional.of(PRICE));
        lifecycle.judgedBySpeech(shortCall, Optional.of(PRICE));

        assertEquals(Optional.of(new Classification(Optional.of(CallClass.TARGET), PRICE.reason())),
                classification(shortCall), "12 s, below the 30 s threshold, but the caller asked the price");
        assertEquals(Optional.of(new Classification(Optional.of(CallClass.NON_TARGET), WRONG.reason())),
                classification(longCall));
        assertEquals(Optional.of(new Classification(Optional.of(CallClass.UNANSWERED), "busy")), classification(busy));
        assertEquals(List.of("reclassified " + shortCall, "reclassified " + longCall), told,
                "news of each change once; the busy call did not change");
    }

    @Test
    void aVerdictSurvivesANewThresholdAndACallWithoutOneFollowsIt() {
        long heard = answered("S4", 12);
        long unheard = answered("S5", 12);
        lifecycle.judgedBySpeech(heard, Optional.of(PRICE));
        told.clear();

        assertEquals(List.of(), lifecycle.reclassify(siteId, 60),
                "12 s is below 60 s, but the heard call keeps its verdict (and the other was non-target already)");
        assertEquals(List.of(unheard), lifecycle.reclassify(siteId, 10), "the other one follows the threshold");

        assertEquals(Optional.of(new Classification(Optional.of(CallClass.TARGET), PRICE.reason())),
                classification(heard));
        assertEquals(Optional.of(new Classification(Optional.of(CallClass.TARGET), "talked 12 s, threshold 10 s")),
                classification(unheard));
        assertEquals(List.of("reclassified " + unheard), told);
    }

    @Test
    void withoutAVerdictAnymoreTheCallGoesBackToItsThresholdClass() {
        long id = answered("S6", 12);
        lifecycle.judgedBySpeech(id, Optional.of(PRICE));
        told.clear();

        lifecycle.judgedBySpeech(id, Optional.empty());

        assertEquals(Optional.of(new Classification(Optional.of(CallClass.NON_TARGET),
                "talked 12 s, below threshold 30 s")), classification(id));
        assertEquals(List.of("reclassified " + id), told);
    }

    /** Late exact facts classify the call again: what was said still decides. */
    @Test
    void aCorrectionByLateDialFactsKeepsTheVerdict() {
        long id = open("S7");
        lifecycle.accept(dialEnd("S7", "dialend/x", 12, DialStatus.ANSWER));
        lifecycle.accept(signal("S7", "hangup/S7", CallSignal.Kind.ENDED, 50, null));
        lifecycle.judgedBySpeech(id, Optional.of(WRONG));
        lifecycle.accept(dialled(id, "S7", 0, 45, DialStatus.ANSWER, 40_000L));

        var row = calls.find(id).orElseThrow();
        assertEquals(40, row.outcome().talkSeconds().orElse(null));
        assertEquals(Optional.of(new Classification(Optional.of(CallClass.NON_TARGET), WRONG.reason())),
                row.outcome().classification(), "40 s is above the threshold, but it was a wrong number");
    }
}
