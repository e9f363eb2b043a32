package io.calltrack.access.api;

import io.calltrack.access.Principal;
import io.calltrack.access.UserRole;
import io.calltrack.platform.http.ApiException;
import io.calltrack.platform.http.ApiRequest;

/**
 * The check of the few routes for owners and admins only (the audit log, erasure), until the one authorisation place
 * covers every route.
 */
final class OwnerOrAdmin {
    private OwnerOrAdmin() {}

    static Principal require(ApiRequest r) {
        Principal who = r.principal().orElseThrow(() -> new ApiException(401, "not authenticated"));
        if (who.role() != UserRole.OWNER && who.role() != UserRole.ADMIN) {
            throw new ApiException(403, "only an owner or an admin may do this");
        }
        return who;
    }
}
