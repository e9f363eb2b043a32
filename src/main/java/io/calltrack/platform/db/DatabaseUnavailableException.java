package io.calltrack.platform.db;

/** PostgreSQL cannot be reached; callers answer with a safe default rather than failing the request. */
public final class DatabaseUnavailableException extends RuntimeException {
    public DatabaseUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
