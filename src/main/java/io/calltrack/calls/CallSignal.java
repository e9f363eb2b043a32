package io.calltrack.calls;

import java.time.Instant;

/**
 * One thing that happened to a call, in domain terms (no AMI types here). {@code key} makes it idempotent per call:
 * a signal whose key the call has already seen changes nothing. The call is found by {@code callId} when the
 * telephony side knew it (our CALLTRACK_CALL_ID channel variable), else by {@code linkedid}.
 *
 * @param channel  the other party's channel (dialled, answering, transfer target) or the channel that hung up
 * @param value    RECORDING: the file; DIAL_BEGIN: the dial string; TRANSFER: its kind; CDR: the billed seconds
 * @param dialStatus DIAL_END: how the dial attempt ended; null for every other kind
 * @param cause    ENDED: the hangup cause code
 * @param text     ENDED: the cause text
 * @param incomplete ENDED: the end was inferred (the call ended while events could not be seen)
 * @param dialled  DIALLED: what the FastAGI session learnt of one dial attempt; null for every other kind
 */
public record CallSignal(String linkedid, Long callId, String key, Kind kind, Instant at,
                         String channel, String value, DialStatus dialStatus, Integer cause, String text,
                         boolean incomplete, Dialled dialled) {

    /**
     * A DIAL_END spooled before its status had a field of its own carried it in {@code value}: read that way, it
     * replays like any other. A DIAL_END without any status ended in a way nobody reported: {@link DialStatus#UNKNOWN}.
     */
    public CallSignal {
        if (kind == Kind.DIAL_END && dialStatus == null) {
            dialStatus = DialStatus.of(value);
            value = null;
        }
    }

    public enum Kind {
        /** a manager's phone starts ringing */
        DIAL_BEGIN,
        /** a dial attempt ended with {@code dialStatus} (ANSWER, NOANSWER, BUSY, CANCEL, CHANUNAVAIL, CONGESTION…) */
        DIAL_END,
        /**
         * the FastAGI session's Dial of one destination returned: its status and exact times from app_dial's
         * variables ({@code at} is when Dial returned). Outranks DIAL_END and BRIDGED for the times it carries.
         */
        DIALLED,
        /** the caller was bridged with {@code channel} (answers calls that were not dialled, e.g. after a transfer) */
        BRIDGED,
        /** the call was transferred (value blind or attended) to {@code channel} */
        TRANSFER,
        /** the recording of the call is {@code value} */
        RECORDING,
        /** Asterisk's billing record for a leg of the call (cdr_manager): a cross-check, {@code value} = billsec */
        CDR,
        /** the caller's channel hung up: the call is over */
        ENDED,
        /**
         * a call rang while it could not be recorded (database down, overload): {@code channel} is the called number,
         * {@code value} the caller, {@code text} the origin. Replayed through {@link CallIntake} at its original time.
         */
        OPENED
    }

    /**
     * One dial attempt as the FastAGI session saw it.
     *
     * @param attempt       1-based position in the routing plan
     * @param destination   what was dialled (a dial string; ring-all targets joined by Asterisk's {@code &})
     * @param managerId     the manager the destination stands for; null for ring-all, external numbers, the fallback
     * @param dialledAt     when Dial was sent
     * @param talkMillis    ANSWEREDTIME_MS when answered, else null
     * @param answeredBy    DIALEDPEERNAME when answered, else null
     * @param callerUpSince when something answered the caller before this Dial (a Track ID prompt), else null:
     *                      ANSWEREDTIME then counts from that moment, not from the manager's answer
     */
    public record Dialled(int attempt, String destination, Long managerId, Instant dialledAt, DialStatus status,
                          Long talkMillis, String answeredBy, Instant callerUpSince) {}

    /** A signal of a kind that carries no dial outcome (neither DIAL_END nor DIALLED). */
    public CallSignal(String linkedid, Long callId, String key, Kind kind, Instant at, String channel, String value,
                      Integer cause, String text, boolean incomplete) {
        this(linkedid, callId, key, kind, at, channel, value, null, cause, text, incomplete, null);
    }

    /** A dial attempt to {@code channel} ended with {@code status}. */
    public static CallSignal dialEnd(String linkedid, Long callId, String key, Instant at, String channel,
                                     DialStatus status) {
        return new CallSignal(linkedid, callId, key, Kind.DIAL_END, at, channel, null, status, null, null, false,
                null);
    }

    /** A call to record later: attribution then uses the leases as they were at {@code at}. */
    public static CallSignal opened(CallIntake.IncomingCall call) {
        return new CallSignal(call.linkedid(), null, "opened", Kind.OPENED, call.at(), call.calledNumber(),
                call.callerNumber(), null, call.origin(), false);
    }

    /** The FastAGI session's dial attempt {@code d}, which returned at {@code returnedAt}. */
    public static CallSignal dialled(long callId, String linkedid, Dialled d, Instant returnedAt) {
        return new CallSignal(linkedid, callId, "route-" + d.attempt(), Kind.DIALLED, returnedAt, d.answeredBy(),
                null, null, null, null, false, d);
    }

    /**
     * calltrack's FastAGI script is done with the call (the caller hung up, or the plan and fallback are over and the
     * dialplan takes the call back): the tracked call's end, by calltrack's own clock.
     */
    public static CallSignal routedCallOver(long callId, String linkedid, Instant at) {
        return new CallSignal(linkedid, callId, "agi-end", Kind.ENDED, at, null, null, null, null, false);
    }
}
