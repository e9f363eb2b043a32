package io.calltrack.access.api;

import io.calltrack.access.Principal;
import io.calltrack.access.AccessPolicy;
import io.calltrack.access.Permission;
import io.calltrack.platform.http.ApiException;
import io.calltrack.platform.http.ApiRequest;
import java.util.Optional;

/**
 * What the account routes need of the principal beyond their routes' declared permission: {@code USERS} where a
 * route of one's own account acts on another user's (a token for someone else, everyone's tokens), decided by the
 * same {@link AccessPolicy} rule as the users routes; {@code SELF}: a user acting on their own account (their
 * password, their tokens), which the bootstrap token has none of; a read-only token changes nothing.
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
        if (this == USERS) { // acting on another user's account from a route of one's own: the one rule of users.manage
            AccessPolicy.refusal(p, Permission.USERS, Optional.empty()).ifPresent(why -> {
                throw new ApiException(403, why);
            });
        }
        if (this == SELF && p.userId() == 0) {
            throw ApiException.badRequest("the bootstrap admin token belongs to no user: log in as a user, or use a "
                    + "user's token");
        }
        return p;
    }
}
