package io.calltrack.calls;

import com.fasterxml.jackson.annotation.JsonValue;
import io.calltrack.tracking.Attribution;
import io.calltrack.tracking.CreditedVisit;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;

/**
 * A recorded call, as the calls API, exports and deliveries read it. Keyed by {@code linkedid} (Asterisk's Linkedid or
 * the SIP Call-ID); {@code origin} is agi or sip. The numbers are E.164 ({@code callerNumber} empty for an anonymous
 * caller). {@code attribution} and {@code visit}: how the call was attributed when it rang and the visit it is
 * credited to (a snapshot, kept when the session is deleted). {@code managerId}: who took it.
 */
public record Call(
        long id,
        String linkedid,
        String origin,
        Optional<Long> siteId,
        Optional<Long> numberId,
        String calledNumber,
        Optional<String> callerNumber,
        Attribution.Kind attribution,
        CreditedVisit visit,
        boolean firstTimeCaller,
        boolean repeatCall,
        State state,
        Instant startedAt,
        Optional<Instant> answeredAt,
        Optional<Instant> endedAt,
        Optional<Long> managerId,
        Outcome outcome,
        Optional<String> recordingPath,
        Optional<BigDecimal> dealAmount) {

    /** Where the call is in its life; a SIP call is {@code REDIRECTED} until the PBX reports its outcome. */
    public enum State {
        RINGING, ANSWERED, COMPLETED, REDIRECTED;

        /** What {@code call.state} stores and the API shows. */
        @JsonValue
        public String value() {
            return name().toLowerCase(Locale.ROOT);
        }

        static State of(String value) {
            return valueOf(value.toUpperCase(Locale.ROOT));
        }
    }

    /**
     * How the call went, as far as it is known. {@code talkEndedAt}: when the FastAGI session saw the conversation
     * end; {@code dialStatus}: the last Dial status (DIALSTATUS, DialEnd); {@code classification}: present once the
     * call is completed; {@code incomplete}: it ended where calltrack could not see it; {@code hangupCause}: the Q.850
     * cause and its text.
     */
    public record Outcome(Optional<Integer> ringSeconds, Optional<Integer> talkSeconds, Optional<Instant> talkEndedAt,
                          Optional<DialStatus> dialStatus, Optional<Classification> classification, boolean incomplete,
                          Optional<Integer> hangupCause, Optional<String> hangupCauseText) {

        public Optional<CallClass> callClass() {
            return classification.flatMap(Classification::callClass);
        }
    }

    /** The same call without its recording, for whoever may not listen to it. */
    public Call withoutRecording() {
        return new Call(id, linkedid, origin, siteId, numberId, calledNumber, callerNumber, attribution, visit,
                firstTimeCaller, repeatCall, state, startedAt, answeredAt, endedAt, managerId, outcome,
                Optional.empty(), dealAmount);
    }

    public boolean missed() {
        return answeredAt.isEmpty();
    }
}
