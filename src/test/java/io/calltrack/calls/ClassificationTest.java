package io.calltrack.calls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class ClassificationTest {
    @Test
    void talkAtTheThresholdIsTargetOneSecondLessIsNot() {
        assertEquals(Optional.of(CallClass.TARGET), Classification.of(true, 30, 5, DialStatus.ANSWER, 30, Optional.empty()).callClass());
        assertEquals(Optional.of(CallClass.NON_TARGET), Classification.of(true, 29, 5, DialStatus.ANSWER, 30, Optional.empty()).callClass());
    }

    @Test
    void unansweredReasonsFollowTheLastDialStatus() {
        assertEquals("busy", Classification.of(false, 0, 2, DialStatus.BUSY, 30, Optional.empty()).reason());
        assertEquals("no answer", Classification.of(false, 0, 20, DialStatus.NOANSWER, 30, Optional.empty()).reason());
        assertEquals("manager unreachable (CHANUNAVAIL)", Classification.of(false, 0, 0, DialStatus.CHANUNAVAIL, 30, Optional.empty()).reason());
        assertEquals("caller gave up after 9 s ringing", Classification.of(false, 0, 9, DialStatus.UNKNOWN, 30, Optional.empty()).reason());
        assertEquals("caller gave up after 4 s ringing", Classification.of(false, 0, 4, DialStatus.CANCEL, 30, Optional.empty()).reason());
    }

    @Test
    void aSpeechVerdictDecidesAnAnsweredCallWhateverItsTalkTime() {
        SpeechVerdict price = new SpeechVerdict(CallClass.TARGET, "speech rule 'price request': target");
        SpeechVerdict wrong = new SpeechVerdict(CallClass.NON_TARGET, "speech rule 'wrong number': non-target");

        Classification shortCall = Classification.of(true, 12, 5, DialStatus.ANSWER, 30, Optional.of(price));
        Classification longCall = Classification.of(true, 300, 5, DialStatus.ANSWER, 30, Optional.of(wrong));

        assertEquals(new Classification(Optional.of(CallClass.TARGET), "speech rule 'price request': target"), shortCall);
        assertEquals(new Classification(Optional.of(CallClass.NON_TARGET), "speech rule 'wrong number': non-target"),
                longCall);
    }

    @Test
    void anUnansweredCallStaysUnansweredWhateverTheVerdict() {
        SpeechVerdict price = new SpeechVerdict(CallClass.TARGET, "speech rule 'price request': target");

        assertEquals(new Classification(Optional.of(CallClass.UNANSWERED), "busy"),
                Classification.of(false, 0, 2, DialStatus.BUSY, 30, Optional.of(price)));
    }

    @Test
    void aVerdictIsTargetOrNonTargetNeverUnanswered() {
        assertThrows(IllegalArgumentException.class, () -> new SpeechVerdict(CallClass.UNANSWERED, "speech rule 'x'"));
    }
}
