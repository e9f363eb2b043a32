package io.calltrack.reports;

import java.util.Locale;

/**
 * Which touch a report credits sessions and calls to: the last (the latest paid click of the visit, as Metrica and
 * GA credit conversions; the default) or the first (how the visit began).
 */
public enum AttributionModel {
    FIRST, LAST;

    public String apiName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static AttributionModel parse(String s) {
        for (AttributionModel m : values()) {
            if (m.apiName().equals(s)) return m;
        }
        throw new IllegalArgumentException("attribution must be first or last, got '" + s + "'");
    }
}
