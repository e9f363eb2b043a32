package io.calltrack.access;

import java.util.Optional;

/** Establishes who is asking; the HTTP server calls it once per request that is not open to anyone. */
@FunctionalInterface
public interface Authenticator {
    /**
     * The principal the credentials prove, or empty when they prove nobody (none given, a wrong or revoked token, an
     * ended session): the server answers 401. Throws {@link AccessRefused} when they prove somebody but the request
     * must still be refused (a cookie-authenticated change without a valid CSRF proof): the server answers 403.
     */
    Optional<Principal> authenticate(Credentials credentials);
}
