package io.calltrack.routing;

import java.time.Instant;
import java.util.Optional;

/**
 * A person who takes calls, reached by what Asterisk dials ({@code dialString}, {@code PJSIP/101}) and/or at a SIP
 * URI the SIP redirect offers ({@code sipUri}); at least one is present. {@code reachable} is the SIP OPTIONS
 * verdict on the {@code sipUri} (empty when not probed); {@code lastCallAt} when they last took a call, for
 * least-recently-called routing.
 */
public record Manager(long id, long departmentId, String name, Optional<String> dialString, Optional<String> sipUri,
                      boolean active, int ringTimeoutSeconds, Optional<Boolean> reachable, Optional<Instant> lastCallAt) {

    /** What changes call by call, read fresh for every call while the rest of the routing is cached. */
    public record Live(boolean active, Optional<Boolean> reachable, Optional<Instant> lastCallAt) {}

    public Manager with(Live live) {
        return new Manager(id, departmentId, name, dialString, sipUri, live.active(), ringTimeoutSeconds,
                live.reachable(), live.lastCallAt());
    }

    /** Active and not known to be unreachable. */
    public boolean available() {
        return active && reachable.orElse(true);
    }

    /** Where {@code telephony} reaches this manager; empty when it cannot. */
    public Optional<String> destinationFor(Telephony telephony) {
        return telephony == Telephony.ASTERISK ? dialString : sipUri;
    }
}
