package io.calltrack.access;

import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Who is asking, as the authenticator established it: the user, their role, their grants by site id, and how they
 * came in. An API token may be narrower than its user: {@code onlySites} (when present, nothing outside these sites,
 * whatever the role, {@code /metrics} aside) and {@code readOnly} (no change at all); {@link AccessPolicy} decides.
 */
public record Principal(long userId, String login, UserRole role, Map<Long, Grant> grants, Via via,
                        Optional<Set<Long>> onlySites, boolean readOnly) {
    /** How a request proved who it is. */
    public enum Via {
        /** the installation's bootstrap admin token ({@code admin.token} / {@code data/admin-token}): an owner */
        BOOTSTRAP_TOKEN,
        /** a user's named API token */
        API_TOKEN,
        /** a browser session cookie (changes need the CSRF check) */
        SESSION
    }

    public Principal {
        grants = Map.copyOf(grants);
        onlySites = onlySites.map(Set::copyOf);
    }
}
