package io.calltrack.access;

import java.time.Instant;
import java.util.Optional;
import java.util.Set;

/** An API token as listed: everything but the token itself, which is not stored. */
public record TokenInfo(long id, long userId, String login, String name, Optional<Set<Long>> onlySites,
                        boolean readOnly, Instant createdAt, Optional<Instant> lastUsedAt,
                        Optional<Instant> revokedAt) {}
