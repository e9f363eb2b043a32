package io.calltrack.sip;

import io.calltrack.calls.CallIntake;
import io.calltrack.calls.CallIntake.IncomingCall;
import io.calltrack.routing.Destination;
import io.calltrack.routing.RoutePlan;
import io.calltrack.routing.Telephony;
import java.util.List;
import java.util.Optional;

/**
 * Decides an INVITE as FastAGI decides a call: the same attribution, caller history, call record and routing
 * rules, planned for the SIP redirect, so every destination is a SIP URI (managers' {@code sipUri}, external and
 * closed-hours destinations written as {@code sip:}); ring-all groups are offered one contact per manager, in order.
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
        RoutePlan plan = intake.route(in.get(), Telephony.SIP_REDIRECT);
        List<String> contacts = plan.destinations().stream().map(Destination::dialString).distinct().toList();
        return contacts.isEmpty()
                ? RedirectDecision.fallback(plan.closedHours() ? "closed hours without a SIP destination"
                : "no SIP destination in the routing plan")
                : RedirectDecision.redirect(contacts);
    }
}
