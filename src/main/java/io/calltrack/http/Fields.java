package io.calltrack.http;

import java.util.Optional;

/**
 * The limits every field of a management request is held to, one place for all endpoints: a value outside them is
 * a 400 naming the field and the allowed range, before anything reaches the database (where an absurd value can
 * fail every later call, e.g. a repeat window of 2^31 days overflowing PostgreSQL's timestamps).
 */
public final class Fields {
    private Fields() {}

    /** A required text of 1 to {@code maxLength} characters, trimmed, without control characters. */
    public static String text(String value, String field, int maxLength) {
        return optionalText(value, field, maxLength)
                .orElseThrow(() -> ApiException.badRequest(field + " is required"));
    }

    /** Absent or blank: empty; else as {@link #text}. */
    public static Optional<String> optionalText(String value, String field, int maxLength) {
        if (value == null || value.isBlank()) return Optional.empty();
        String v = value.trim();
        if (v.length() > maxLength) {
            throw ApiException.badRequest(field + " is " + v.length() + " characters long; at most " + maxLength
                    + " are allowed");
        }
        if (v.chars().anyMatch(Character::isISOControl)) {
            throw ApiException.badRequest(field + " must not contain control characters");
        }
        return Optional.of(v);
    }

    /** {@code dflt} when absent, else a whole number from {@code min} to {@code max}. */
    public static int intIn(Integer value, int dflt, int min, int max, String field) {
        if (value == null) return dflt;
        if (value < min || value > max) {
            throw ApiException.badRequest(field + " must be from " + min + " to " + max + ", got " + value);
        }
        return value;
    }
}
