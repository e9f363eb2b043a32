package io.calltrack.access;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** A user as the user management API shows them; never their password hash. */
public record User(long id, String login, UserRole role, boolean disabled, Instant createdAt,
                   Optional<Instant> passwordChangedAt, List<Grant> grants) {
    public User {
        grants = List.copyOf(grants);
    }
}
