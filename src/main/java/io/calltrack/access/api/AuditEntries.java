package io.calltrack.access.api;

import io.calltrack.access.AuditEntry;
import io.calltrack.access.Principal;
import io.calltrack.platform.http.ApiRequest;
import io.calltrack.tracking.api.ClientAddresses;
import java.util.Map;
import java.util.Optional;

/** Audit entries for what a principal did through the API, from the client's address (behind a proxy: the header's). */
final class AuditEntries {
    private final ClientAddresses clients;

    AuditEntries(ClientAddresses clients) {
        this.clients = clients;
    }

    String client(ApiRequest r) {
        return clients.of(r.remoteAddress(), clients.header().flatMap(r::header));
    }

    AuditEntry of(Principal p, ApiRequest r, String action, String target, Map<String, Object> detail) {
        return new AuditEntry(p.userId() == 0 ? Optional.empty() : Optional.of(p.userId()), p.login(), action,
                Optional.empty(), target, detail, client(r));
    }
}
