package io.calltrack.calls;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class ClassificationTest {
    @Test
    void talkAtTheThresholdIsTargetOneSecondLessIsNot() {
        assertEquals(Optional.of(CallClass.TARGET), Classification.of(true, 30, 5, DialStatus.ANSWER, 30).callClass());
        assertEquals(Optional.of(CallClass.NON_TARGET), Classification.of(true, 29, 5, DialStatus.ANSWER, 30).callClass());
    }

    @Test
    void unansweredReasonsFollowTheLastDialStatus() {
        assertEquals("busy", Classification.of(false, 0, 2, DialStatus.BUSY, 30).reason());
        assertEquals("no answer", Classification.of(false, 0, 20, DialStatus.NOANSWER, 30).reason());
        assertEquals("manager unreachable (CHANUNAVAIL)", Classification.of(false, 0, 0, DialStatus.CHANUNAVAIL, 30).reason());
        assertEquals("caller gave up after 9 s ringing", Classification.of(false, 0, 9, DialStatus.UNKNOWN, 30).reason());
        assertEquals("caller gave up after 4 s ringing", Classification.of(false, 0, 4, DialStatus.CANCEL, 30).reason());
    }
}
