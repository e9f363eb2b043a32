package io.calltrack.routing;

import java.time.Instant;
import java.util.Optional;

/**
 * A person who takes calls. {@code reachable} is the SIP OPTIONS verdict (empty when not probed);
 * {@code lastCallAt} when they last took a call, for least-recently-called routing.
 */
public record Manager(long id, long departmentId, String name, String dialString, boolean active,
                      int ringTimeoutSeconds, Optional<Boolean> reachable, Optional<Instant> lastCallAt) {

    /** Active and not known to be unreachable. */
    public boolean available() {
        return active && reachable.orElse(true);
    }
}
