package io.calltrack.calls;

import java.time.Instant;

/**
 * One thing that happened to a call, in domain terms (no AMI types here). {@code key} makes it idempotent per call:
 * a signal whose key the call has already seen changes nothing. The call is found by {@code callId} when the
 * telephony side knew it (our CALLTRACK_CALL_ID channel variable), else by {@code linkedid}.
 *
 * @param channel  the other party's channel (dialled, answering, transfer target) or the channel that hung up
 * @param value    DIAL_END: the dial status; RECORDING: the file; DIAL_BEGIN: the dial string; TRANSFER: its kind
 * @param cause    ENDED: the hangup cause code
 * @param text     ENDED: the cause text
 * @param incomplete ENDED: the end was inferred (the call ended while events could not be seen)
 */
public record CallSignal(String linkedid, Long callId, String key, Kind kind, Instant at,
                         String channel, String value, Integer cause, String text, boolean incomplete) {

    public enum Kind {
        /** a manager's phone starts ringing */
        DIAL_BEGIN,
        /** a dial attempt ended with a status (ANSWER, NOANSWER, BUSY, CANCEL, CHANUNAVAIL, CONGESTION) */
        DIAL_END,
        /** the caller was bridged with {@code channel} (answers calls that were not dialled, e.g. after a transfer) */
        BRIDGED,
        /** the call was transferred (value blind or attended) to {@code channel} */
        TRANSFER,
        /** the recording of the call is {@code value} */
        RECORDING,
        /** the caller's channel hung up: the call is over */
        ENDED,
        /**
         * a call rang while it could not be recorded (database down, overload): {@code channel} is the called number,
         * {@code value} the caller, {@code text} the origin. Replayed through {@link CallIntake} at its original time.
         */
        OPENED
    }

    /** A call to record later: attribution then uses the leases as they were at {@code at}. */
    public static CallSignal opened(CallIntake.IncomingCall call) {
        return new CallSignal(call.linkedid(), null, "opened", Kind.OPENED, call.at(), call.calledNumber(),
                call.callerNumber(), null, call.origin(), false);
    }
}
