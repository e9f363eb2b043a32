package io.calltrack.tracking;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The visitor ids of the site's own analytics tags, which Metrica and GA4 need to link a call to a visit:
 * {@code ymClientId} is Yandex Metrica's ClientID (the {@code _ym_uid} cookie, digits), {@code gaClientId} GA4's
 * client_id (the last two parts of the {@code _ga} cookie: {@code GA1.1.1234567890.1700000000} is
 * {@code 1234567890.1700000000}).
 */
public record AnalyticsIds(Optional<String> gaClientId, Optional<String> ymClientId) {
    public static final AnalyticsIds NONE = new AnalyticsIds(Optional.empty(), Optional.empty());

    /** {@code GA1.<domain depth>.<random>.<first visit time>}; gtag's own {@code get client_id} is the bare pair. */
    private static final Pattern GA_COOKIE = Pattern.compile("(?:GA1\\.\\d{1,2}\\.)?(\\d{1,20}\\.\\d{1,20})");
    private static final Pattern YM_UID = Pattern.compile("[1-9]\\d{0,31}");

    /**
     * The ids in the raw cookie values the page read ({@code _ga}, {@code _ym_uid}; null when absent). A value those
     * tags would not write is ignored: a visit must never fail over a cookie.
     */
    public static AnalyticsIds fromCookies(String gaCookie, String ymUidCookie) {
        return new AnalyticsIds(gaClientId(gaCookie), ymClientId(ymUidCookie));
    }

    static Optional<String> gaClientId(String cookie) {
        if (cookie == null) return Optional.empty();
        Matcher m = GA_COOKIE.matcher(cookie.trim());
        return m.matches() ? Optional.of(m.group(1)) : Optional.empty();
    }

    static Optional<String> ymClientId(String cookie) {
        if (cookie == null) return Optional.empty();
        String v = cookie.trim();
        return YM_UID.matcher(v).matches() ? Optional.of(v) : Optional.empty();
    }
}
