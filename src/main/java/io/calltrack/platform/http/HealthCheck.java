package io.calltrack.platform.http;

import java.util.Optional;

/** Something {@code /health} reports on besides the database: empty while it is fine, else what an admin should know. */
@FunctionalInterface
public interface HealthCheck {
    Optional<String> problem();
}
