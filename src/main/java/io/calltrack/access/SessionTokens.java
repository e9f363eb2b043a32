package io.calltrack.access;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * Session cookie values (256 random bits, base64url) and the CSRF token that goes with each: derived from the cookie
 * value by SHA-256 under a label, so it needs no storage, differs from the stored hash (a leaked table gives no CSRF
 * token) and cannot be turned back into the cookie value (a leaked CSRF token opens nothing).
 */
public final class SessionTokens {
    private final SecureRandom random;

    public SessionTokens(SecureRandom random) {
        this.random = random;
    }

    public String generate() {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    public static String csrfTokenFor(String sessionToken) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(ApiTokens.sha256("calltrack csrf " + sessionToken));
    }

    /** Whether {@code offered} is the session's CSRF token, in constant time. */
    public static boolean isCsrfTokenOf(String offered, String sessionToken) {
        return MessageDigest.isEqual(offered.getBytes(StandardCharsets.UTF_8),
                csrfTokenFor(sessionToken).getBytes(StandardCharsets.UTF_8));
    }
}
