package io.calltrack.routing;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A routing decision with its reasons, for people checking their rules: the call's time in the site's zone, how each
 * rule judged the call (conditions, schedule), and for each destination of the engine's plan why it is there (the
 * rule's department and strategy, an overflow step, the repeat caller's last manager, closed hours). The plan is the
 * engine's; this only describes it.
 */
public record RouteExplanation(String localTime, String zone, List<RuleCheck> rules, RoutePlan plan,
                               List<String> reasons) {

    /** One rule as it judged the call; {@code chosen}: the rule that routes it. */
    public record RuleCheck(String name, boolean enabled, boolean conditionsMatch, boolean scheduleOpen,
                            boolean chosen) {}

    public RouteExplanation {
        rules = List.copyOf(rules);
        reasons = List.copyOf(reasons);
    }

    static RouteExplanation of(RouteRequest request, RoutingSnapshot site, RoutePlan plan) {
        var local = request.at().atZone(request.siteZone());
        Optional<Rule> chosen = plan.ruleName().flatMap(name -> site.rules().stream()
                .filter(r -> r.name().equals(name)).findFirst());
        List<RuleCheck> checks = site.rules().stream().map(r -> new RuleCheck(r.name(), r.enabled(),
                r.when().match(request), r.schedule().isOpen(local), chosen.map(c -> c == r).orElse(false))).toList();
        List<String> reasons = new ArrayList<>();
        for (Destination d : plan.destinations()) reasons.add(reason(d, request, site, plan, chosen));
        return new RouteExplanation(local.toLocalDateTime().toString(), request.siteZone().getId(), checks, plan,
                reasons);
    }

    private static String reason(Destination d, RouteRequest request, RoutingSnapshot site, RoutePlan plan,
                                 Optional<Rule> rule) {
        if (plan.closedHours()) return "closed hours: no open rule matches, so the site's closed-hours destination";
        if (rule.isEmpty()) return "";
        Rule.Action action = rule.get().then();
        Optional<String> department = d.departmentId().flatMap(id -> site.departments().values().stream()
                .filter(dep -> dep.id() == id).map(Department::name).findFirst());
        if (department.isPresent()) {
            String name = department.get();
            if (name.equals(action.department())) {
                return "rule '" + rule.get().name() + "': department '" + name + "', " + strategy(action.strategy())
                        + lastManager(d, request, action.strategy());
            }
            for (int i = 0; i < action.overflow().size(); i++) {
                if (action.overflow().get(i) instanceof Rule.Overflow.ToDepartment o && o.department().equals(name)) {
                    return "overflow step " + (i + 1) + ": department '" + name + "', " + strategy(o.strategy())
                            + lastManager(d, request, o.strategy());
                }
            }
        }
        for (int i = 0; i < action.overflow().size(); i++) {
            Rule.Overflow o = action.overflow().get(i);
            if (d.kind() == Destination.Kind.EXTERNAL && o instanceof Rule.Overflow.ToExternal e
                    && d.addresses().contains(e.dialString())) {
                return "overflow step " + (i + 1) + ": external number";
            }
            if (d.kind() == Destination.Kind.VOICEMAIL && o instanceof Rule.Overflow.ToVoicemail) {
                return "overflow step " + (i + 1) + ": voicemail";
            }
        }
        return "";
    }

    private static String strategy(Strategy s) {
        return s.name().toLowerCase(Locale.ROOT);
    }

    private static String lastManager(Destination d, RouteRequest request, Strategy strategy) {
        boolean theirs = strategy == Strategy.STICKY && request.repeatCaller() && request.lastManagerId().isPresent()
                && d.managerId().equals(request.lastManagerId());
        return theirs ? "; the repeat caller's last manager, first" : "";
    }
}
