package io.calltrack.telephony.sip;

import io.calltrack.calls.CallRepository;
import java.util.Optional;

/** Stores a redirected call's outcome (after which the call is classified like any other). */
public interface SipOutcomeSink {

    /** What became of a reported outcome. */
    sealed interface Result {
        /** Stored, or the same outcome reported again (nothing changed). */
        record Stored() implements Result {}

        /** No redirected call has this Call-ID. */
        record UnknownCall() implements Result {}

        /** The call already has another outcome: it is kept, never silently replaced. */
        record Contradicts(CallRepository.Reported.Outcome stored) implements Result {}
    }

    Result outcome(SipOutcome outcome);

    /** The outcome a report would give, in the stored form, for comparing with what was stored before. */
    static CallRepository.Reported.Outcome asStored(SipOutcome o) {
        return new CallRepository.Reported.Outcome(o.answered(), o.answered() ? o.talkSeconds() : 0,
                o.ringSeconds());
    }

    static Optional<Result> known(Optional<CallRepository.Reported> call, SipOutcome o) {
        if (call.isEmpty()) return Optional.of(new Result.UnknownCall());
        return call.get().outcome().map(stored -> stored.equals(asStored(o)) ? new Result.Stored()
                : new Result.Contradicts(stored));
    }
}
