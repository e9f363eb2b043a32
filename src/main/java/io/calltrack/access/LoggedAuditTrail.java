package io.calltrack.access;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The audit trail as log lines ({@code audit: login.ok by owner (user 1) from 10.0.0.5 on user 1 {}}), until the
 * audit log is stored in the database.
 */
public final class LoggedAuditTrail implements AuditTrail {
    private static final Logger log = LoggerFactory.getLogger(LoggedAuditTrail.class);

    @Override
    public void record(AuditEntry e) {
        log.info("audit: {} by {}{} from {} on {}{} {}", e.action(), e.login(),
                e.userId().map(id -> " (user " + id + ")").orElse(""), e.remoteAddress(), e.target(),
                e.siteId().map(s -> " (site " + s + ")").orElse(""), e.detail());
    }
}
