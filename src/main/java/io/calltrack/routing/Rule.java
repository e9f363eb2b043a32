package io.calltrack.routing;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * One routing rule: conditions (each empty set means "any") and an action. Rules are tried in position order;
 * the first whose conditions hold and whose schedule is open routes the call.
 */
public record Rule(long id, String name, boolean enabled, Conditions when, Schedule schedule, Action then) {

    public enum CallerKind { ANY, FIRST_TIME, REPEAT }

    /** Tracked numbers in E.164, channel names, campaigns, sources, caller-number prefixes. */
    public record Conditions(Set<String> numbers, Set<String> channels, Set<String> campaigns, Set<String> sources,
                             List<String> callerPrefixes, CallerKind caller) {
        public static final Conditions ANY = new Conditions(Set.of(), Set.of(), Set.of(), Set.of(), List.of(),
                CallerKind.ANY);

        public Conditions {
            numbers = Set.copyOf(numbers);
            channels = Set.copyOf(channels);
            campaigns = Set.copyOf(campaigns);
            sources = Set.copyOf(sources);
            callerPrefixes = List.copyOf(callerPrefixes);
        }

        boolean match(RouteRequest r) {
            return in(numbers, r.trackedNumber()) && in(channels, r.channelName()) && in(campaigns, r.campaign())
                    && in(sources, r.source())
                    && (callerPrefixes.isEmpty() || r.callerE164().filter(c -> callerPrefixes.stream()
                    .anyMatch(c::startsWith)).isPresent())
                    && switch (caller) {
                        case ANY -> true;
                        case FIRST_TIME -> !r.repeatCaller();
                        case REPEAT -> r.repeatCaller();
                    };
        }

        private static boolean in(Set<String> allowed, Optional<String> value) {
            return allowed.isEmpty() || value.filter(allowed::contains).isPresent();
        }
    }

    /** The department and strategy that take the call, then the overflow chain in order. */
    public record Action(String department, Strategy strategy, List<Overflow> overflow) {
        public Action {
            overflow = List.copyOf(overflow);
        }
    }

    /** A step after the rule's department: another department, an external number, or voicemail. */
    public sealed interface Overflow {
        record ToDepartment(String department, Strategy strategy) implements Overflow {}

        record ToExternal(String dialString, int timeoutSeconds) implements Overflow {}

        record ToVoicemail(String mailbox) implements Overflow {}
    }
}
