package io.calltrack.calls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.calltrack.calls.DialPlan.Ending;
import io.calltrack.calls.DialPlan.Step;
import io.calltrack.calls.DialPlan.Unrouted;
import io.calltrack.routing.Destination;
import io.calltrack.routing.RoutePlan;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** The dial policy on its own: which Dial outcome leads where, without a telephony edge. */
class DialPlanTest {
    static final Destination ANN = Destination.manager("PJSIP/101", 11, 20, 1);
    static final Destination BOB = Destination.manager("PJSIP/102", 12, 20, 1);
    static final Destination SALES_TOGETHER = new Destination(Destination.Kind.RING_ALL, List.of(
            new Destination.Endpoint("PJSIP/101", Optional.of(11L)), new Destination.Endpoint("PJSIP/102", Optional.of(12L))),
            25, Optional.of(1L));
    static final Destination TRUNK = Destination.external("PJSIP/trunk/+12125550199", 30);
    static final Destination MAILBOX = Destination.voicemail("100@default");
    static final Destination FALLBACK = Destination.external("PJSIP/reception", 30);

    static RoutePlan route(Destination... destinations) {
        return new RoutePlan(List.of(destinations), Optional.of("all calls"), false);
    }

    static DialResult result(DialStatus status) {
        return new DialResult(status, Optional.empty(), Optional.empty());
    }

    /**
     * Walks the plan as an edge would, each Dial ending with the next of {@code outcomes} (the caller stays):
     * the destinations dialled, then what ended it ("voicemail 100@default", or the {@link Ending}).
     */
    static List<String> walk(DialPlan plan, DialStatus... outcomes) {
        List<String> seen = new ArrayList<>();
        Iterator<DialStatus> next = List.of(outcomes).iterator();
        Step step = plan.first(false);
        while (step instanceof Step.Dial d) {
            seen.add(d.attempt().number() + ":" + String.join("+", d.attempt().destination().addresses())
                    + (d.attempt().fallback() ? " (fallback)" : ""));
            step = plan.after(d.attempt(), result(next.next()), false);
        }
        seen.add(step instanceof Step.Voicemail v ? "voicemail " + v.attempt().destination().addresses().get(0)
                : ((Step.Done) step).ending().name());
        return seen;
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "ANSWER, ANSWERED",
            "CANCEL, CALLER_LEFT",
            "NOANSWER, 2:PJSIP/102",
            "BUSY, 2:PJSIP/102",
            "CHANUNAVAIL, 2:PJSIP/102",
            "CONGESTION, 2:PJSIP/102",
            "DONTCALL, 2:PJSIP/102",
            "TORTURE, 2:PJSIP/102",
            "INVALIDARGS, 2:PJSIP/102",
            "UNKNOWN, 2:PJSIP/102"})
    void eachDialStatusLeadsToItsNextStep(DialStatus status, String expected) {
        DialPlan plan = DialPlan.of(route(ANN, BOB), FALLBACK);
        Step.Dial first = (Step.Dial) plan.first(false);
        Step next = plan.after(first.attempt(), result(status), false);
        String got = next instanceof Step.Dial d
                ? d.attempt().number() + ":" + String.join("+", d.attempt().destination().addresses())
                : ((Step.Done) next).ending().name();
        assertEquals(expected, got);
    }

    @ParameterizedTest
    @EnumSource(DialStatus.class)
    void aCallerWhoHungUpEndsThePlanWhateverDialSaid(DialStatus status) {
        DialPlan plan = DialPlan.of(route(ANN, BOB), FALLBACK);
        Step.Dial first = (Step.Dial) plan.first(false);
        assertEquals(new Step.Done(Ending.CALLER_LEFT), plan.after(first.attempt(), result(status), true));
    }

    @Test
    void aCallerGoneBeforeTheFirstDialIsNotDialled() {
        assertEquals(new Step.Done(Ending.CALLER_LEFT), DialPlan.of(route(ANN), FALLBACK).first(true));
    }

    @ParameterizedTest(name = "the fallback ends with {0}")
    @CsvSource({"ANSWER, ANSWERED", "NOANSWER, NOBODY_ANSWERED", "BUSY, NOBODY_ANSWERED", "CANCEL, CALLER_LEFT"})
    void whenEveryDestinationFailedTheFallbackIsTheLastAttempt(DialStatus fallbackOutcome, Ending ending) {
        assertEquals(List.of("1:PJSIP/101", "2:PJSIP/trunk/+12125550199", "3:PJSIP/reception (fallback)", ending.name()),
                walk(DialPlan.of(route(ANN, TRUNK), FALLBACK), DialStatus.BUSY, DialStatus.NOANSWER, fallbackOutcome));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(booleans = {false, true})
    void withoutADestinationTheFallbackTakesTheCallAtOnce(boolean closedHours) {
        DialPlan plan = DialPlan.of(new RoutePlan(List.of(), Optional.empty(), closedHours), FALLBACK);
        assertEquals(List.of("1:PJSIP/reception (fallback)", "ANSWERED"), walk(plan, DialStatus.ANSWER));
        assertEquals(Optional.of(closedHours ? Unrouted.CLOSED_HOURS : Unrouted.NO_DESTINATION), plan.unrouted());
        assertEquals(List.of(), plan.attempts());
    }

    @Test
    void closedHoursWithADestinationDialItThenTheFallback() {
        DialPlan plan = DialPlan.of(new RoutePlan(List.of(Destination.external("PJSIP/night-desk", 30)),
                Optional.empty(), true), FALLBACK);
        assertEquals(Optional.empty(), plan.unrouted(), "the closed-hours destination takes the call");
        assertEquals(List.of("1:PJSIP/night-desk", "2:PJSIP/reception (fallback)", "NOBODY_ANSWERED"),
                walk(plan, DialStatus.NOANSWER, DialStatus.NOANSWER));
    }

    @ParameterizedTest(name = "after {0}")
    @EnumSource(value = DialStatus.class, names = {"NOANSWER", "BUSY", "CHANUNAVAIL", "CONGESTION", "INVALIDARGS"})
    void voicemailEndsThePlanWithoutTheFallbackAndAnythingAfterIt(DialStatus failed) {
        DialPlan plan = DialPlan.of(route(ANN, MAILBOX, BOB), FALLBACK);
        assertEquals(List.of("1:PJSIP/101", "voicemail 100@default"), walk(plan, failed));
    }

    @Test
    void aRingAllGroupIsOneAttemptWithEveryPhone() {
        DialPlan plan = DialPlan.of(route(SALES_TOGETHER, TRUNK), FALLBACK);
        DialPlan.Attempt group = plan.attempts().get(0);
        assertEquals(List.of("PJSIP/101", "PJSIP/102"), group.destination().addresses());
        assertEquals(25, group.destination().timeoutSeconds());
        assertEquals(Optional.empty(), group.destination().managerId(), "who answered comes from the answer");
        assertEquals(List.of("1:PJSIP/101+PJSIP/102", "2:PJSIP/trunk/+12125550199", "ANSWERED"),
                walk(plan, DialStatus.NOANSWER, DialStatus.ANSWER));
    }

    @Test
    void withoutAFallbackAPlanThatFailsEndsUnanswered() {
        DialPlan plan = DialPlan.of(route(ANN, BOB));
        assertEquals(List.of(1, 2), plan.attempts().stream().map(DialPlan.Attempt::number).toList());
        assertTrue(plan.attempts().stream().noneMatch(DialPlan.Attempt::fallback));
        assertEquals(List.of("1:PJSIP/101", "2:PJSIP/102", "NOBODY_ANSWERED"),
                walk(plan, DialStatus.NOANSWER, DialStatus.BUSY));
        assertEquals(Optional.of(Unrouted.NO_DESTINATION), DialPlan.of(RoutePlan.NONE).unrouted());
    }
}
