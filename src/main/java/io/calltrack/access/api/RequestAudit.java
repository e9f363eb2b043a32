package io.calltrack.access.api;

import io.calltrack.access.AuditEntry;
import io.calltrack.access.AuditTrail;
import io.calltrack.access.Principal;
import io.calltrack.platform.http.ApiException;
import io.calltrack.platform.http.ApiRequest;
import io.calltrack.tracking.api.ClientAddresses;
import java.util.Map;
import java.util.Optional;

/**
 * Writes an audit entry for an HTTP request: who (the request's principal), from where (the client's address,
 * through the trusted proxies as for visitors), what, on which site.
 */
public final class RequestAudit {
    private final AuditTrail trail;
    private final ClientAddresses addresses;

    public RequestAudit(AuditTrail trail, ClientAddresses addresses) {
        this.trail = trail;
        this.addresses = addresses;
    }

    public void record(ApiRequest r, String action, Optional<Long> siteId, String target, Map<String, Object> detail) {
        trail.record(entry(r, action, siteId, target, detail));
    }

    /**
     * The same, before personal data is handed out (a recording, an export): when the entry cannot be written the
     * request is refused (503), so nothing is read that the log does not show.
     */
    public void recordBeforeReading(ApiRequest r, String action, Optional<Long> siteId, String target,
                                    Map<String, Object> detail) {
        try {
            record(r, action, siteId, target, detail);
        } catch (RuntimeException e) {
            org.slf4j.LoggerFactory.getLogger(RequestAudit.class).error(
                    "{} {} refused: its audit entry could not be written: {}", r.method(), r.path(), e.toString());
            throw new ApiException(503, "the audit log cannot be written, retry shortly");
        }
    }

    private AuditEntry entry(ApiRequest r, String action, Optional<Long> siteId, String target,
                             Map<String, Object> detail) {
        Optional<Principal> who = r.principal();
        Optional<Long> userId = who.filter(p -> p.via() != Principal.Via.BOOTSTRAP_TOKEN).map(Principal::userId);
        String login = who.map(Principal::login).orElse("anonymous");
        String from = addresses.of(r.remoteAddress(), addresses.header().flatMap(r::header));
        return new AuditEntry(userId, login, action, siteId, target, detail, from);
    }
}
