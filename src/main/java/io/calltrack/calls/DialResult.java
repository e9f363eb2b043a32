package io.calltrack.calls;

import java.time.Duration;
import java.util.Optional;

/**
 * How one Dial ended, as app_dial left it in the caller's channel variables when Dial returned. These are exact:
 * Asterisk measures them itself, unlike AMI event timestamps, which lag while its manager queue is backed up.
 *
 * @param talk       ANSWEREDTIME_MS: how long the caller's channel had been up when the bridge ended; empty unless
 *                   answered. It counts from the caller's own answer, so it is the talk time only when nothing
 *                   answered the caller before Dial (see {@link CallSignal.Dialled#callerUpSince()}).
 * @param answeredBy DIALEDPEERNAME: the channel that answered, e.g. {@code PJSIP/101-0000002a}
 */
public record DialResult(DialStatus status, Optional<Duration> talk, Optional<String> answeredBy) {

    /** Dial's outcome could not be read (Asterisk ended the AGI session as Dial returned): AMI tells the rest. */
    public static final DialResult UNKNOWN = new DialResult(DialStatus.UNKNOWN, Optional.empty(), Optional.empty());

    public boolean answered() {
        return status == DialStatus.ANSWER;
    }
}
