package io.calltrack.routing;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A site's routing configuration as one consistent read: rules in order, departments by name. */
public record RoutingSnapshot(List<Rule> rules, Map<String, Department> departments,
                              Optional<String> closedHoursDestination) {
    public RoutingSnapshot {
        rules = List.copyOf(rules);
        departments = Map.copyOf(departments);
    }
}
