package io.calltrack.tracking;

import com.github.benmanes.caffeine.cache.CacheLoader;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.PhoneNumberUtil.PhoneNumberFormat;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Phone-number normalisation with libphonenumber. Every number calltrack stores or compares is E.164;
 * input without a country code is read in the configured default region.
 * libphonenumber parses with regular expressions: two parses were a fifth of a ringing call's CPU, and every
 * visitor response formats its number twice. The numbers seen over and over are the tracked numbers, so results
 * are kept in bounded caches (frequency-based admission keeps one-off caller numbers from evicting them).
 */
public final class PhoneNumbers {
    private static final PhoneNumberUtil util = PhoneNumberUtil.getInstance();
    private static final int CACHED_NUMBERS = 20_000;
    /** '+', a country code and subscriber number: 7 to 15 digits, the first not 0 (ITU-T E.164). */
    private static final Pattern E164 = Pattern.compile("\\+[1-9][0-9]{6,14}");

    private final String defaultRegion;
    private final LoadingCache<String, Optional<String>> e164 = cache(this::parseE164);
    private final LoadingCache<String, String> national = cache(n -> format(n, PhoneNumberFormat.NATIONAL));
    private final LoadingCache<String, String> international =
            cache(n -> format(n, PhoneNumberFormat.INTERNATIONAL));

    public PhoneNumbers(String defaultRegion) {
        this.defaultRegion = defaultRegion.toUpperCase(Locale.ROOT);
    }

    private static <V> LoadingCache<String, V> cache(CacheLoader<String, V> loader) {
        return Caffeine.newBuilder().maximumSize(CACHED_NUMBERS).build(loader);
    }

    /**
     * The E.164 form of a number as people and PBXs write it ({@code +1 (212) 555-0100}, {@code 2125550100},
     * {@code 0012125550100}), or empty for anything that is not a possible phone number
     * (Asterisk's {@code unknown}, {@code anonymous}, an empty caller id, letters).
     */
    public Optional<String> toE164(String raw) {
        if (raw == null) return Optional.empty();
        // a PBX usually passes callers already in E.164: take them as they are, not through a cache they would churn
        if (E164.matcher(raw).matches()) return Optional.of(raw);
        return e164.get(raw);
    }

    private Optional<String> parseE164(String raw) {
        if (raw == null) return Optional.empty();
        String s = raw.trim();
        if (s.isEmpty() || s.chars().anyMatch(Character::isLetter)) return Optional.empty();
        // international prefixes as dialled from a PBX: 00 (most of the world) and 011 (North America)
        if (s.startsWith("00")) s = "+" + s.substring(2);
        try {
            PhoneNumber n = util.parse(s, defaultRegion);
            return util.isPossibleNumber(n) ? Optional.of(util.format(n, PhoneNumberFormat.E164)) : Optional.empty();
        } catch (NumberParseException e) {
            return Optional.empty();
        }
    }

    /**
     * E.164 or a 400-style message saying why not: for validating user input, which is always checked against the
     * numbering plan (a PBX's E.164 caller id is taken as it is, see {@link #toE164}).
     */
    public String requireE164(String raw, String what) {
        return parseE164(raw).filter(this::inNumberingPlan).orElseThrow(() -> new IllegalArgumentException(
                what + " '" + raw + "' is not a valid phone number (use E.164 such as +12125550100)"));
    }

    /** A number its country's plan assigns (possible by length is not enough: +4930 is Berlin's code, no number). */
    private boolean inNumberingPlan(String e164) {
        try {
            return util.isValidNumber(util.parse(e164, defaultRegion));
        } catch (NumberParseException e) {
            return false;
        }
    }

    /** How visitors see the number: national format in its own country ({@code (212) 555-0100}). */
    public String display(String e164) {
        return national.get(e164);
    }

    /** The international display form ({@code +1 212-555-0100}), for numbers of another country. */
    public String displayInternational(String e164) {
        return international.get(e164);
    }

    private String format(String e164, PhoneNumberFormat format) {
        try {
            return util.format(util.parse(e164, defaultRegion), format);
        } catch (NumberParseException e) {
            return e164;
        }
    }
}
