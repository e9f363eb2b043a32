package io.calltrack.access.api;

import io.calltrack.access.Principal;
import io.calltrack.access.UserRole;
import io.calltrack.platform.http.ApiException;
import io.calltrack.platform.http.ApiRequest;

/**
 * What the account routes need of the principal, checked in their handlers until every route's permission is
 * checked in one place. {@code USERS}: the owner's user management; {@code SELF}: a user acting on their own account
 * (their password, their tokens); a read-only token changes nothing.
 */
enum Needs {
    USERS,
    SELF,
    /** any principal: what it may do is decided by whose the thing is (one's own tokens; an owner: anyone's) */
    ANY;

    /** The principal, when it may do this; else a 403 saying why. */
    Principal of(ApiRequest request) {
        Principal p = request.principal().orElseThrow(() -> new IllegalStateException("an admin route without principal"));
        if (p.readOnly() && !request.method().equals("GET")) {
            throw new ApiException(403, "this token is read-only");
        }
        if (this == USERS && p.role() != UserRole.OWNER) {
            throw new ApiException(403, "only an owner manages users");
        }
        if (this == SELF && p.userId() == 0) {
            throw ApiException.badRequest("the bootstrap admin token belongs to no user: log in as a user, or use a "
                    + "user's token");
        }
        return p;
    }
}
