package io.calltrack.access;

/** A request whose sender is known but which is refused anyway; the message says why (for the 403 body). */
public final class AccessRefused extends RuntimeException {
    public AccessRefused(String reason) {
        super(reason);
    }
}
