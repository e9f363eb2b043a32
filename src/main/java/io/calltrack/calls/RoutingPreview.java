package io.calltrack.calls;

import io.calltrack.routing.Destination;
import io.calltrack.routing.RouteExplanation;
import io.calltrack.routing.RoutingService;
import io.calltrack.routing.Telephony;
import io.calltrack.tracking.Attribution;
import io.calltrack.tracking.CallAttributor;
import io.calltrack.tracking.PhoneNumbers;
import io.calltrack.tracking.Site;
import java.time.Instant;
import java.util.Optional;

/**
 * "Who gets this call?": what would happen to a call from a caller to a tracked number at a moment, worked out as
 * {@link CallIntake} works out a ringing call (attribution, the caller's history, the same routing request), by the
 * real routing engine and {@link DialPlan}, with nothing recorded and no round-robin turn taken.
 */
public final class RoutingPreview {
    private final CallAttributor attributor;
    private final PhoneNumbers numbers;
    private final CallerHistories histories;
    private final RoutingService routing;

    public RoutingPreview(CallAttributor attributor, PhoneNumbers numbers, CallerHistories histories,
                          RoutingService routing) {
        this.attributor = attributor;
        this.numbers = numbers;
        this.histories = histories;
        this.routing = routing;
    }

    /** The call as routing saw it, its answer with reasons, and the dial plan the telephony edge would walk. */
    public record Preview(Site site, Attribution attribution, Optional<String> callerE164, CallerHistory history,
                          RouteExplanation route, DialPlan dialPlan) {}

    /**
     * The preview for {@code telephony}; {@code fallback}: the edge's own last attempt (Asterisk's agi.fallback-dial),
     * empty for the SIP redirect. Empty when no site tracks the number.
     */
    public Optional<Preview> of(String calledNumber, String callerNumber, Instant at, Telephony telephony,
                                Optional<Destination> fallback) {
        CallAttributor.CallOrigin origin = attributor.origin(calledNumber, at);
        if (origin.site().isEmpty()) return Optional.empty();
        Site site = origin.site().get();
        Optional<String> caller = numbers.toE164(callerNumber);
        CallerHistory history = histories.before(site.id(), caller, at, site.repeatWindowDays());
        RouteExplanation route = routing.preview(CallIntake.request(site, origin.attribution(), caller, history, at,
                telephony));
        DialPlan plan = fallback.map(f -> DialPlan.of(route.plan(), f)).orElseGet(() -> DialPlan.of(route.plan()));
        return Optional.of(new Preview(site, origin.attribution(), caller, history, route, plan));
    }
}
