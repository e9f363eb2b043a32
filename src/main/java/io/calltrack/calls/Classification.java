package io.calltrack.calls;

import java.util.Optional;

/**
 * A finished call's class and the reason, decided from what happened, the site's target threshold and what the
 * site's speech rules heard. One place decides it, for hangups, corrections, re-classification after a threshold
 * change and speech verdicts alike.
 * {@code callClass} is empty when the call is not classified: a number no site tracks, or an outcome nobody saw.
 */
public record Classification(Optional<CallClass> callClass, String reason) {

    /** A call on a number of no site: there is no threshold to judge it by, and it is no site's lead. */
    public static final Classification NOT_TRACKED =
            new Classification(Optional.empty(), "not classified: the called number belongs to no site");

    /**
     * {@code lastDialStatus}: how the last dial attempt ended ({@link DialStatus#UNKNOWN} when none was seen).
     * {@code heard}: the speech rules' verdict, which decides an answered call's class over its talk time (what was
     * said tells a lead better than how long: a short call asking the price is one, a long wrong number is not); an
     * unanswered call has nothing to hear and stays unanswered.
     */
    public static Classification of(boolean answered, int talkSeconds, int ringSeconds, DialStatus lastDialStatus,
                                    int thresholdSeconds, Optional<SpeechVerdict> heard) {
        if (answered && heard.isPresent()) return of(heard.get().callClass(), heard.get().reason());
        if (answered) {
            return talkSeconds >= thresholdSeconds
                    ? of(CallClass.TARGET, "talked " + talkSeconds + " s, threshold " + thresholdSeconds + " s")
                    : of(CallClass.NON_TARGET, "talked " + talkSeconds + " s, below threshold " + thresholdSeconds + " s");
        }
        return switch (lastDialStatus) {
            case BUSY -> of(CallClass.UNANSWERED, "busy");
            case NOANSWER -> of(CallClass.UNANSWERED, "no answer");
            case CHANUNAVAIL, CONGESTION -> of(CallClass.UNANSWERED, "manager unreachable (" + lastDialStatus + ")");
            default -> of(CallClass.UNANSWERED, "caller gave up after " + ringSeconds + " s ringing");
        };
    }

    /** The call ended where calltrack could not see it and nothing exact is known: no class is better than a guess. */
    public static Classification unknown(String why) {
        return new Classification(Optional.empty(), "outcome unknown: " + why);
    }

    private static Classification of(CallClass callClass, String reason) {
        return new Classification(Optional.of(callClass), reason);
    }
}
