package io.calltrack.routing;

import java.time.Instant;
import java.util.Optional;

/**
 * A person who takes calls. {@code reachable} is the SIP OPTIONS verdict (empty when not probed);
 * {@code lastCallAt} when they last took a call, for least-recently-called routing.
 */
public record Manager(long id, long departmentId, String name, String dialString, boolean active,
                      int ringTimeoutSeconds, Optional<Boolean> reachable, Optional<Instant> lastCallAt) {

    /** What changes call by call, read fresh for every call while the rest of the routing is cached. */
    public record Live(boolean active, Optional<Boolean> reachable, Optional<Instant> lastCallAt) {}

    public Manager with(Live live) {
        return new Manager(id, departmentId, name, dialString, live.active(), ringTimeoutSeconds, live.reachable(),
                live.lastCallAt());
    }

    /** Active and not known to be unreachable. */
    public boolean available() {
        return active && reachable.orElse(true);
    }
}
