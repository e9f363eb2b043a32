package io.calltrack.telephony.sip;

import io.calltrack.calls.CallIntake;
import io.calltrack.calls.CallIntake.IncomingCall;
import io.calltrack.calls.DialPlan;
import io.calltrack.routing.Telephony;
import java.util.Optional;

/**
 * Decides an INVITE as FastAGI decides a call: the same attribution, caller history, call record, routing rules and
 * {@link DialPlan}, planned for the SIP redirect, so every endpoint is a SIP URI (managers' {@code sipUri}, external
 * and closed-hours destinations written as {@code sip:}). The translation to a 302: every attempt's endpoints
 * (a ring-all group's one by one) in the plan's order, each URI once, which the server gives falling q-values.
 */
public final class RoutedRedirectDecider implements RedirectDecider {
    private final CallIntake intake;

    public RoutedRedirectDecider(CallIntake intake) {
        this.intake = intake;
    }

    @Override
    public RedirectDecision decide(SipCallRequest request) {
        IncomingCall call = new IncomingCall(request.callId(), request.requestUriUser(),
                request.callerUser().orElse(""), "sip", request.at());
        Optional<CallIntake.Intake> in = intake.beginTracked(call);
        if (in.isEmpty()) return RedirectDecision.notFound();
        DialPlan plan = DialPlan.of(intake.route(in.get(), Telephony.SIP_REDIRECT));
        Optional<DialPlan.Unrouted> unrouted = plan.unrouted();
        if (unrouted.isPresent()) return RedirectDecision.fallback(unrouted.get().description());
        return RedirectDecision.redirect(plan.attempts().stream()
                .flatMap(a -> a.destination().addresses().stream()).distinct().toList());
    }
}
