package io.calltrack.routing;

import java.util.List;
import java.util.Optional;

/**
 * Where a call goes, tried in order until one answers. Empty destinations mean no rule applies: the telephony side
 * uses its configured fallback. {@code closedHours}: rules exist for this call but none is open now.
 */
public record RoutePlan(List<Destination> destinations, Optional<String> ruleName, boolean closedHours) {
    public static final RoutePlan NONE = new RoutePlan(List.of(), Optional.empty(), false);

    public RoutePlan {
        destinations = List.copyOf(destinations);
    }
}
