package io.calltrack.calls;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * How a finished call went: ring and talk time and its class, from the moments calltrack knows. Pure: the
 * repository reads the facts, this decides, the repository stores.
 *
 * <p>Times come from where they are exact. The FastAGI session knows when Dial returned and app_dial's talk time,
 * so {@code answered} and {@code talkEnded} are exact for a call routed by calltrack; AMI moments are used only
 * where nothing better exists (a call calltrack did not dial, a transfer that goes on after the first bridge).
 *
 * @param ringSeconds null when unknown
 * @param talkSeconds null when unknown
 * @param endedAt     null when unknown
 */
public record CallOutcome(Instant endedAt, Integer ringSeconds, Integer talkSeconds, Classification classification,
                          boolean incomplete) {

    /**
     * What is known of a call when it ends. {@code talkSeconds} and {@code talkEndedAt}: the FastAGI session's
     * exact talk time and when that conversation ended, empty when it did not see one. {@code threshold} is empty
     * for a number no site tracks. {@code heard}: the speech rules' verdict, kept when a late fact corrects the call.
     */
    public record Facts(Instant startedAt, Optional<Instant> answeredAt, Optional<Integer> talkSeconds,
                        Optional<Instant> talkEndedAt, boolean transferred, DialStatus lastDialStatus,
                        OptionalInt threshold, Optional<SpeechVerdict> heard) {}

    /** The call ended at {@code ended}: the caller's hangup, seen by the FastAGI session or by AMI. */
    public static CallOutcome ended(Facts f, Instant ended) {
        Instant end = latest(ended, f.startedAt(), f.answeredAt().orElse(f.startedAt()));
        boolean answered = f.answeredAt().isPresent();
        int ring = seconds(f.startedAt(), f.answeredAt().orElse(end));
        int seen = answered ? seconds(f.answeredAt().get(), end) : 0;
        // app_dial's talk time is exact; a transferred caller talked on after that first bridge, until the end
        int talk = f.talkSeconds().map(t -> f.transferred() ? Math.max(t, seen) : t).orElse(seen);
        Classification k = f.threshold().isEmpty() ? Classification.NOT_TRACKED
                : Classification.of(answered, talk, ring, f.lastDialStatus(), f.threshold().getAsInt(),
                        f.heard());
        return new CallOutcome(end, ring, talk, k, false);
    }

    /**
     * The call ended while calltrack could not see it (AMI down, calltrack stopped): exact where the FastAGI session
     * saw the conversation end, otherwise unknown, never a duration or class made up from the moment we noticed.
     */
    public static CallOutcome endedUnseen(Facts f, String why) {
        if (f.answeredAt().isPresent() && f.talkEndedAt().isPresent() && !f.transferred()) {
            return ended(f, f.talkEndedAt().get());
        }
        Classification k = f.threshold().isEmpty() ? Classification.NOT_TRACKED : Classification.unknown(why);
        return new CallOutcome(null, null, null, k, true);
    }

    private static Instant latest(Instant a, Instant b, Instant c) {
        Instant m = a.isAfter(b) ? a : b;
        return c.isAfter(m) ? c : m;
    }

    /** Whole seconds, rounded down as Asterisk rounds ANSWEREDTIME and billsec. */
    private static int seconds(Instant from, Instant to) {
        return (int) Math.max(0, Duration.between(from, to).getSeconds());
    }
}
