package io.calltrack.telephony.sip;

import io.calltrack.calls.CallLifecycle;
import io.calltrack.calls.CallRepository;
import io.calltrack.calls.CallSignal;
import io.calltrack.calls.DialStatus;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The calls side of the redirect server: marks a call redirected once the 302 went out, and turns the outcome the
 * PBX reports later into the same lifecycle signals AMI produces, so the call is classified like any other.
 */
public final class CallRedirects implements RedirectRecorder, SipOutcomeSink {
    private final CallRepository calls;
    private final CallLifecycle lifecycle;
    private final Clock clock;

    public CallRedirects(CallRepository calls, CallLifecycle lifecycle, Clock clock) {
        this.calls = calls;
        this.lifecycle = lifecycle;
        this.clock = clock;
    }

    /** A number no site tracks was not recorded ({@link RedirectDecision.NotFound}): nothing to mark. */
    @Override
    public void redirected(SipCallRequest request, RedirectDecision decision) {
        if (decision instanceof RedirectDecision.NotFound) return;
        List<String> contacts = decision instanceof RedirectDecision.Redirect r ? r.contacts() : List.of();
        calls.redirected(request.callId(), contacts, clock.instant());
    }

    /**
     * Times are rebuilt from the call's start: answered after {@code ringSeconds}, ended {@code talkSeconds}
     * later. The answering manager is matched by SIP URI ({@code manager} should be the contact we sent).
     */
    @Override
    public Result outcome(SipOutcome outcome) {
        Optional<CallRepository.Reported> call = calls.reported(outcome.callId(), "sip");
        Optional<Result> already = SipOutcomeSink.known(call, outcome);
        if (already.isPresent()) return already.get();
        Instant answeredAt = call.get().startedAt().plusSeconds(outcome.ringSeconds());
        Instant endedAt = answeredAt.plusSeconds(outcome.talkSeconds());
        String id = outcome.callId();
        List<CallSignal> signals = new ArrayList<>();
        if (outcome.answered()) {
            signals.add(new CallSignal(id, null, "sip-answer", CallSignal.Kind.BRIDGED, answeredAt,
                    outcome.manager().orElse(null), null, null, null, false));
        } else {
            signals.add(CallSignal.dialEnd(id, null, "sip-dial-end", answeredAt, null, DialStatus.NOANSWER));
        }
        outcome.recordingUrl().ifPresent(url -> signals.add(new CallSignal(id, null, "sip-recording",
                CallSignal.Kind.RECORDING, endedAt, null, url, null, null, false)));
        signals.add(new CallSignal(id, null, "sip-end", CallSignal.Kind.ENDED, endedAt, null, null, 16,
                "reported by the PBX", false));
        signals.forEach(lifecycle::accept);
        return new Result.Stored();
    }
}
