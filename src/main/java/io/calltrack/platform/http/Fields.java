package io.calltrack.platform.http;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * The limits every field of a management request is held to, one place for all endpoints: a value outside them is
 * a 400 naming the field and the allowed range, before anything reaches the database (where an absurd value can
 * fail every later call, e.g. a repeat window of 2^31 days overflowing PostgreSQL's timestamps).
 */
public final class Fields {
    /** Dates and times the API takes: java.time parses years to 999999999, PostgreSQL stores far fewer. */
    public static final LocalDate FIRST_DAY = LocalDate.of(1900, 1, 1);
    public static final LocalDate LAST_DAY = LocalDate.of(9999, 12, 31);

    private Fields() {}

    /** The largest money amount stored (numeric(14, 2) columns: ad costs, deal amounts). */
    public static final BigDecimal MAX_AMOUNT = new BigDecimal("999999999999.99");

    /** {@code amount} unless it is negative or above {@link #MAX_AMOUNT}; cents beyond two places are rounded. */
    public static BigDecimal amount(BigDecimal amount, String field) {
        if (amount.signum() < 0) throw ApiException.badRequest(field + " is negative");
        if (amount.setScale(2, java.math.RoundingMode.HALF_UP).compareTo(MAX_AMOUNT) > 0) { // as PostgreSQL rounds
            throw ApiException.badRequest(field + " is more than " + MAX_AMOUNT.toPlainString());
        }
        return amount;
    }

    /** A date {@code YYYY-MM-DD} from {@link #FIRST_DAY} to {@link #LAST_DAY}. */
    public static LocalDate day(String value, String field) {
        try {
            return dayIn(LocalDate.parse(value), field);
        } catch (DateTimeParseException e) {
            throw ApiException.badRequest(field + " must be a date YYYY-MM-DD, got '" + value + "'");
        }
    }

    /** {@code day} unless it lies outside {@link #FIRST_DAY} to {@link #LAST_DAY}. */
    public static LocalDate dayIn(LocalDate day, String field) {
        if (day.isBefore(FIRST_DAY) || day.isAfter(LAST_DAY)) {
            throw ApiException.badRequest(field + " must be from " + FIRST_DAY + " to " + LAST_DAY + ", got " + day);
        }
        return day;
    }

    /** An ISO-8601 instant ({@code 2026-01-31T00:00:00Z}) on a day from {@link #FIRST_DAY} to {@link #LAST_DAY}. */
    public static Instant instant(String value, String field) {
        Instant at;
        try {
            at = Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw ApiException.badRequest(field + " must be an ISO-8601 instant such as 2026-01-31T00:00:00Z, got '"
                    + value + "'");
        }
        if (at.isBefore(FIRST_DAY.atStartOfDay(ZoneOffset.UTC).toInstant())
                || !at.isBefore(LAST_DAY.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant())) {
            throw ApiException.badRequest(field + " must be from " + FIRST_DAY + " to " + LAST_DAY + ", got " + value);
        }
        return at;
    }

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
