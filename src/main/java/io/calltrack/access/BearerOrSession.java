package io.calltrack.access;

import java.util.Optional;

/**
 * The management API's authenticator: a request with an {@code Authorization} header is judged by it alone (a
 * wrong token is a 401 even with a live session cookie beside it); any other by its session cookie.
 */
public final class BearerOrSession implements Authenticator {
    private final Authenticator bearer;
    private final Authenticator session;

    public BearerOrSession(Authenticator bearer, Authenticator session) {
        this.bearer = bearer;
        this.session = session;
    }

    @Override
    public Optional<Principal> authenticate(Credentials credentials) {
        return credentials.header("authorization").isPresent() ? bearer.authenticate(credentials)
                : session.authenticate(credentials);
    }
}
