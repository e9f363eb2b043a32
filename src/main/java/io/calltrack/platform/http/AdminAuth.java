package io.calltrack.platform.http;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;

/** Checks the management API's bearer token in constant time. */
public final class AdminAuth {
    private final byte[] token;

    public AdminAuth(String token) {
        this.token = token.getBytes(StandardCharsets.UTF_8);
    }

    public boolean allows(Optional<String> authorizationHeader) {
        return authorizationHeader
                .filter(h -> h.regionMatches(true, 0, "Bearer ", 0, 7))
                .map(h -> MessageDigest.isEqual(token, h.substring(7).trim().getBytes(StandardCharsets.UTF_8)))
                .orElse(false);
    }
}
