package io.calltrack.calls.api;

import io.calltrack.access.Permission;

import io.calltrack.calls.DialPlan;
import io.calltrack.calls.DialResult;
import io.calltrack.calls.DialStatus;
import io.calltrack.calls.RoutingPreview;
import io.calltrack.platform.http.ApiException;
import io.calltrack.platform.http.ApiRequest;
import io.calltrack.platform.http.ApiResponse;
import io.calltrack.platform.http.Fields;
import io.calltrack.platform.http.Need;
import io.calltrack.platform.http.Route;
import io.calltrack.platform.http.RouteProvider;
import io.calltrack.routing.Destination;
import io.calltrack.routing.RouteExplanation;
import io.calltrack.routing.Telephony;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * {@code POST /v1/sites/{id}/routing/simulate}: "who gets this call?" for a tracked number, a caller and a time
 * (default now): the matching rule, how every rule judged the call, and the attempts in the order the call would
 * make them if nobody answered (the dial plan walked with its own rules: voicemail ends it, Asterisk's fallback comes
 * last), each with its endpoints, ring time and reason. Nothing is recorded.
 */
public final class RoutingPreviewRoutes implements RouteProvider {
    private static final DialResult NOBODY_ANSWERED = new DialResult(DialStatus.NOANSWER, Optional.empty(),
            Optional.empty());
    private final RoutingPreview preview;
    private final Destination asteriskFallback;
    private final Clock clock;

    /** {@code asteriskFallback}: the last attempt of every FastAGI call (agi.fallback-dial). */
    public RoutingPreviewRoutes(RoutingPreview preview, Destination asteriskFallback, Clock clock) {
        this.preview = preview;
        this.asteriskFallback = asteriskFallback;
        this.clock = clock;
    }

    @Override
    public List<Route> routes() {
        return List.of(Route.guarded("POST", "/v1/sites/{id}/routing/simulate",
                Need.site(Permission.ROUTING_READ, "id"), this::simulate));
    }

    /** {@code telephony}: "asterisk" (FastAGI, the default) or "sip" (the SIP redirect). */
    public record SimulateRequest(String trackedNumber, String callerNumber, String at, String telephony) {}

    public record Answer(long siteId, String trackedNumber, String callerNumber, Instant at, String localTime,
                         String zone, String attribution, String channel, Caller caller, String rule,
                         boolean closedHours, List<RouteExplanation.RuleCheck> rules, List<Attempt> attempts,
                         String unrouted) {}

    /** The caller's history when the call would ring. */
    public record Caller(boolean firstTime, boolean repeat, Long lastManagerId) {}

    /** One attempt: {@code fallback} is the telephony edge's own last resort, not a routing destination. */
    public record Attempt(int number, String kind, List<Destination.Endpoint> endpoints, int ringSeconds,
                          Long departmentId, boolean fallback, String why) {}

    private ApiResponse simulate(ApiRequest r) {
        long siteId = r.pathId("id");
        SimulateRequest body = r.bodyAs(SimulateRequest.class);
        String number = Fields.text(body.trackedNumber(), "trackedNumber", 32);
        String caller = Fields.optionalText(body.callerNumber(), "callerNumber", 32).orElse(null);
        Instant at = Fields.optionalText(body.at(), "at", 40).map(v -> Fields.instant(v, "at")).orElse(clock.instant());
        Telephony telephony = switch (Fields.optionalText(body.telephony(), "telephony", 16).orElse("asterisk")
                .toLowerCase(Locale.ROOT)) {
            case "asterisk" -> Telephony.ASTERISK;
            case "sip" -> Telephony.SIP_REDIRECT;
            default -> throw ApiException.badRequest("telephony must be asterisk or sip, got '" + body.telephony() + "'");
        };
        RoutingPreview.Preview p = preview.of(number, caller, at, telephony,
                        telephony == Telephony.ASTERISK ? Optional.of(asteriskFallback) : Optional.empty())
                .filter(found -> found.site().id() == siteId)
                .orElseThrow(() -> ApiException.badRequest("trackedNumber " + number + " is not a number of site "
                        + siteId));
        RouteExplanation route = p.route();
        List<Attempt> attempts = new java.util.ArrayList<>();
        // the attempts as the edge would make them if nobody answered: the dial plan's own policy decides what follows
        DialPlan.Step step = p.dialPlan().first(false);
        while (!(step instanceof DialPlan.Step.Done)) {
            DialPlan.Attempt a = step instanceof DialPlan.Step.Dial d ? d.attempt() : ((DialPlan.Step.Voicemail) step).attempt();
            attempts.add(attempt(a, a.fallback() ? fallbackReason(p.dialPlan()) : route.reasons().get(a.number() - 1)));
            if (step instanceof DialPlan.Step.Voicemail) break;
            step = p.dialPlan().after(a, NOBODY_ANSWERED, false);
        }
        return ApiResponse.ok(new Answer(siteId, p.attribution().number().e164(), p.callerE164().orElse(null), at,
                route.localTime(), route.zone(), p.attribution().kind().dbValue(),
                p.attribution().channelName().orElse(null), new Caller(p.history().firstTimeCaller(),
                p.history().repeatCall(), p.history().lastManagerId().orElse(null)),
                route.plan().ruleName().orElse(null), route.plan().closedHours(), route.rules(), attempts,
                p.dialPlan().unrouted().map(DialPlan.Unrouted::description).orElse(null)));
    }

    private static String fallbackReason(DialPlan plan) {
        return plan.unrouted().map(u -> "agi.fallback-dial at once: " + u.description())
                .orElse("agi.fallback-dial, after every attempt before it failed");
    }

    private static Attempt attempt(DialPlan.Attempt a, String why) {
        Destination d = a.destination();
        return new Attempt(a.number(), d.kind().name().toLowerCase(Locale.ROOT), d.endpoints(), d.timeoutSeconds(),
                d.departmentId().orElse(null), a.fallback(), why);
    }
}
