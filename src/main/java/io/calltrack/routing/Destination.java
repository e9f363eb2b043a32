package io.calltrack.routing;

import java.util.List;
import java.util.Optional;

/**
 * One place to send the call, rung for {@code timeoutSeconds}: a manager's phone, a ring-all group (every endpoint
 * rings at once and the first to answer takes the call), an external number, or a voicemail box (its one endpoint
 * is the mailbox, e.g. {@code 100@default}). Endpoint addresses are in the form the call's {@link Telephony} uses:
 * Asterisk dial strings or SIP URIs. How a group is written on the wire is the telephony edge's business.
 */
public record Destination(Kind kind, List<Endpoint> endpoints, int timeoutSeconds, Optional<Long> departmentId) {
    public enum Kind { MANAGER, RING_ALL, EXTERNAL, VOICEMAIL }

    /** One phone (or mailbox) and the manager it belongs to, if any. */
    public record Endpoint(String address, Optional<Long> managerId) {}

    public Destination {
        endpoints = List.copyOf(endpoints);
        if (endpoints.isEmpty()) throw new IllegalArgumentException("a destination needs at least one endpoint");
    }

    public static Destination manager(String address, long managerId, int timeoutSeconds, long departmentId) {
        return new Destination(Kind.MANAGER, List.of(new Endpoint(address, Optional.of(managerId))), timeoutSeconds,
                Optional.of(departmentId));
    }

    public static Destination external(String address, int timeoutSeconds) {
        return new Destination(Kind.EXTERNAL, List.of(new Endpoint(address, Optional.empty())), timeoutSeconds,
                Optional.empty());
    }

    public static Destination voicemail(String mailbox) {
        return new Destination(Kind.VOICEMAIL, List.of(new Endpoint(mailbox, Optional.empty())), 0, Optional.empty());
    }

    /**
     * The manager a single phone stands for; empty for a ring-all group (who answered is known from the answer),
     * an external number and voicemail.
     */
    public Optional<Long> managerId() {
        return kind == Kind.MANAGER ? endpoints.get(0).managerId() : Optional.empty();
    }

    /** The endpoints' addresses, in order. */
    public List<String> addresses() {
        return endpoints.stream().map(Endpoint::address).toList();
    }
}
