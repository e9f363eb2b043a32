package io.calltrack.access;

import java.time.Duration;
import java.util.Optional;

/**
 * The browser session cookie {@code calltrack_session}: HttpOnly (no script reads it), SameSite=Strict (no other
 * site's page makes the browser send it), Path=/, Secure when the browser reaches calltrack over TLS.
 */
public final class SessionCookie {
    public static final String NAME = "calltrack_session";

    private SessionCookie() {}

    /** The session's value from a {@code Cookie} header. */
    public static Optional<String> in(Optional<String> cookieHeader) {
        if (cookieHeader.isEmpty()) return Optional.empty();
        for (String part : cookieHeader.get().split(";")) {
            String p = part.trim();
            if (p.startsWith(NAME + "=") && p.length() > NAME.length() + 1) return Optional.of(p.substring(NAME.length() + 1));
        }
        return Optional.empty();
    }

    /** The {@code Set-Cookie} value that gives the browser the session for {@code maxAge}. */
    public static String set(String value, Duration maxAge, boolean secure) {
        return NAME + "=" + value + "; Max-Age=" + maxAge.toSeconds() + "; Path=/; HttpOnly; SameSite=Strict"
                + (secure ? "; Secure" : "");
    }

    /** The {@code Set-Cookie} value that makes the browser forget it. */
    public static String cleared(boolean secure) {
        return set("", Duration.ZERO, secure);
    }
}
