package io.calltrack.calls;

import io.calltrack.routing.Destination;
import io.calltrack.routing.RoutePlan;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The dial policy of one call, as plain code: the routing plan's destinations as numbered attempts, and what
 * follows each Dial's result. Both telephony edges consume it and only translate it to their protocol: the FastAGI
 * script walks it one Dial at a time ({@link #first}, {@link #after}); the SIP redirect, which hands the PBX every
 * attempt at once in a 302, lists {@link #attempts()}, or sends the call to its fallback for {@link #unrouted()}.
 * <ul>
 * <li>A destination that is busy, does not answer, cannot be reached or cannot be dialled: the next attempt.</li>
 * <li>An answer ends the plan; so does the caller leaving (Dial's CANCEL, or a hang-up the edge saw).</li>
 * <li>Voicemail ends the plan, whatever happens there (nothing is dialled after it, not the fallback).</li>
 * <li>The fallback, when the edge has one to dial, is the last attempt: after every destination failed, or at
 * once when there is none (no rule matched, nobody available, closed hours without a closed-hours destination).</li>
 * </ul>
 */
public final class DialPlan {

    /** One destination to try; {@code number} counts from 1 in the order tried, the fallback last. */
    public record Attempt(int number, Destination destination, boolean fallback) {}

    /** What the edge does next. */
    public sealed interface Step {
        /** Ring the attempt's endpoints (all at once for a ring-all group) for its timeout; then ask {@link #after}. */
        record Dial(Attempt attempt) implements Step {}

        /** Put the caller through to the attempt's mailbox: the plan ends here. */
        record Voicemail(Attempt attempt) implements Step {}

        /** Nothing more to dial. */
        record Done(Ending ending) implements Step {}
    }

    public enum Ending {
        ANSWERED,
        CALLER_LEFT,
        /** every attempt failed, the fallback's too (or there was no fallback to try) */
        NOBODY_ANSWERED
    }

    /** Why the routing offers no destination, so that the fallback takes the call at once. */
    public enum Unrouted {
        CLOSED_HOURS("closed hours, and no closed-hours destination this telephony reaches"),
        NO_DESTINATION("no destination in the routing plan this telephony reaches");

        private final String description;

        Unrouted(String description) {
            this.description = description;
        }

        public String description() {
            return description;
        }
    }

    private final RoutePlan route;
    /** the route's attempts, then the fallback when there is one */
    private final List<Attempt> tried;

    private DialPlan(RoutePlan route, Optional<Destination> fallback) {
        this.route = route;
        List<Attempt> attempts = new ArrayList<>();
        for (Destination d : route.destinations()) attempts.add(new Attempt(attempts.size() + 1, d, false));
        fallback.ifPresent(f -> attempts.add(new Attempt(attempts.size() + 1, f, true)));
        this.tried = List.copyOf(attempts);
    }

    /** For an edge that dials one attempt at a time and ends at its own {@code fallback}. */
    public static DialPlan of(RoutePlan route, Destination fallback) {
        return new DialPlan(route, Optional.of(fallback));
    }

    /** For an edge whose fallback is not an attempt of the plan (the SIP redirect's fallback contact). */
    public static DialPlan of(RoutePlan route) {
        return new DialPlan(route, Optional.empty());
    }

    /** The routing's attempts in order of preference, without the fallback. */
    public List<Attempt> attempts() {
        return tried.stream().filter(a -> !a.fallback()).toList();
    }

    /** Empty when the routing offers at least one destination. */
    public Optional<Unrouted> unrouted() {
        if (!route.destinations().isEmpty()) return Optional.empty();
        return Optional.of(route.closedHours() ? Unrouted.CLOSED_HOURS : Unrouted.NO_DESTINATION);
    }

    /** The first step; {@code callerGone}: the caller hung up before anything was dialled. */
    public Step first(boolean callerGone) {
        return callerGone ? new Step.Done(Ending.CALLER_LEFT) : stepAt(0);
    }

    /** The step after {@code attempt}'s Dial ended with {@code result}; {@code callerGone}: the edge saw a hang-up. */
    public Step after(Attempt attempt, DialResult result, boolean callerGone) {
        if (callerGone) return new Step.Done(Ending.CALLER_LEFT);
        return switch (result.status()) {
            case ANSWER -> new Step.Done(Ending.ANSWERED);
            case CANCEL -> new Step.Done(Ending.CALLER_LEFT); // app_dial: the caller hung up while it rang
            // NOANSWER, BUSY, CHANUNAVAIL, CONGESTION; DONTCALL, TORTURE (privacy options); INVALIDARGS (a dial
            // string Asterisk rejects); UNKNOWN (not read): this destination is out, the next one may work
            default -> stepAt(attempt.number());
        };
    }

    private Step stepAt(int index) {
        if (index >= tried.size()) return new Step.Done(Ending.NOBODY_ANSWERED);
        Attempt next = tried.get(index);
        return next.destination().kind() == Destination.Kind.VOICEMAIL ? new Step.Voicemail(next) : new Step.Dial(next);
    }
}
