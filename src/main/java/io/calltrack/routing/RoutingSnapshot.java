package io.calltrack.routing;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A site's routing configuration as one consistent read: rules in order, departments by name. */
public record RoutingSnapshot(List<Rule> rules, Map<String, Department> departments) {
    public RoutingSnapshot {
        rules = List.copyOf(rules);
        departments = Map.copyOf(departments);
    }

    /** This routing with each manager's live state replaced by {@code live}'s (managers it lacks keep theirs). */
    public RoutingSnapshot with(Map<Long, Manager.Live> live) {
        Map<String, Department> current = new LinkedHashMap<>();
        departments.forEach((name, d) -> current.put(name, new Department(d.id(), d.name(), d.managers().stream()
                .map(m -> live.containsKey(m.id()) ? m.with(live.get(m.id())) : m).toList())));
        return new RoutingSnapshot(rules, current);
    }
}
