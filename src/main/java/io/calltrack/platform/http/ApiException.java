package io.calltrack.platform.http;

import java.util.Optional;

/**
 * A request the API refuses; becomes a JSON error {@code {"error": message}} with the given status, and
 * {@code "field"}: the path of the request's element at fault ({@code rules[0].schedule.hours[1]}) when one is.
 */
public final class ApiException extends RuntimeException {
    private final int status;
    private final String field;

    public ApiException(int status, String message) {
        this(status, message, null);
    }

    private ApiException(int status, String message, String field) {
        super(message);
        this.status = status;
        this.field = field;
    }

    public int status() {
        return status;
    }

    /** The path of the request's element at fault, when the error is about one. */
    public Optional<String> field() {
        return Optional.ofNullable(field);
    }

    /** A 400 about one element of the body: the message is "{@code field}: {@code problem}". */
    public static ApiException badField(String field, String problem) {
        return new ApiException(400, field + ": " + problem, field);
    }

    public static ApiException badRequest(String message) {
        return new ApiException(400, message);
    }

    public static ApiException notFound(String message) {
        return new ApiException(404, message);
    }

    public static ApiException conflict(String message) {
        return new ApiException(409, message);
    }
}
