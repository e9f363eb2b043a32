package io.calltrack.access;

import java.util.Map;
import java.util.Optional;

/**
 * One line of the audit log: who ({@code userId}/{@code login}; empty for a failed login of an unknown name) did
 * {@code action} (dotted, e.g. {@code login.failed}, {@code routing.changed}, {@code recording.played}) to
 * {@code target} (e.g. {@code site 3}, {@code call 812}), from {@code remoteAddress}, on {@code siteId} if any;
 * {@code detail}: what changed (before/after), never a password or secret.
 */
public record AuditEntry(Optional<Long> userId, String login, String action, Optional<Long> siteId, String target,
                         Map<String, Object> detail, String remoteAddress) {
    public AuditEntry {
        detail = Map.copyOf(detail);
    }
}
