package io.calltrack.reports;

import java.util.Arrays;
import java.util.Locale;

/**
 * What a report row is about: a channel, campaign, keyword, landing page or tracked number, or the whole site.
 * Which columns each one groups by is {@link DimensionKeys}'.
 */
public enum Dimension {
    CHANNEL,
    CAMPAIGN,
    KEYWORD,
    LANDING_PAGE,
    NUMBER,
    /** One row per period for the whole site. */
    NONE;

    public String apiName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Dimension parse(String s) {
        return Arrays.stream(values()).filter(d -> d.apiName().equals(s)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("group must be one of "
                        + Arrays.stream(values()).map(Dimension::apiName).toList() + ", got '" + s + "'"));
    }
}
