package io.calltrack.reports;

import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The columns each report dimension groups by: of visitor_session (alias {@code v}) and of call ({@code c}) under
 * either touch ({@link AttributionModel}), and of ad_cost ({@code a}). A fixed, reviewed table: these names, in the
 * few expressions below, are the only text reports define into their statements (JDBI {@code define}); nothing from
 * a request ever is. A session's own campaign columns are its first touch and {@code last_*} its later paid click
 * (null until there is one); a call stores both touches, the last in the plain columns.
 */
final class DimensionKeys {
    /**
     * One dimension's columns; null where it has none (a column that does not depend on the touch has no second
     * name; the whole site has no key). {@code spendKnown}: ad_cost is imported at this level.
     */
    private record Columns(String session, String sessionLastTouch, String call, String callFirstTouch,
                           boolean spendKnown, String cost) {}

    private static final Map<Dimension, Columns> COLUMNS = new EnumMap<>(Map.of(
            Dimension.CHANNEL, new Columns("channel_id", "last_channel_id", "channel_id", "first_channel_id",
                    true, "channel_id"),
            Dimension.CAMPAIGN, new Columns("utm_campaign", "last_campaign", "campaign", "first_campaign",
                    true, "campaign"),
            Dimension.KEYWORD, new Columns("utm_term", "last_term", "keyword", "first_keyword", false, null),
            Dimension.LANDING_PAGE, new Columns("first_page", "last_page", "landing_page", "first_landing_page",
                    false, null),
            Dimension.NUMBER, new Columns("number_id", null, "number_id", null, false, null),
            Dimension.NONE, new Columns(null, null, null, null, true, null)));

    private DimensionKeys() {}

    private static Columns of(Dimension d) {
        return COLUMNS.get(d);
    }

    /**
     * A session's key (text) under {@code model}. Its last touch is its later paid click's column, or its own
     * (first touch) column while it has none.
     */
    static String sessionKey(Dimension d, AttributionModel model) {
        Columns c = of(d);
        if (c.session() == null) return "''";
        if (model == AttributionModel.FIRST || c.sessionLastTouch() == null) return "v." + c.session() + "::text";
        return "(CASE WHEN v.last_touch_at IS NULL THEN v." + c.session() + " ELSE v." + c.sessionLastTouch()
                + " END)::text";
    }

    /** A call's key (text) under {@code model}. */
    static String callKey(Dimension d, AttributionModel model) {
        Columns c = of(d);
        if (c.call() == null) return "''";
        boolean first = model == AttributionModel.FIRST && c.callFirstTouch() != null;
        return "c." + (first ? c.callFirstTouch() : c.call()) + "::text";
    }

    /** Whether spend is known at this level (false: the report's cost columns are null). */
    static boolean spendKnown(Dimension d) {
        return of(d).spendKnown();
    }

    /** An ad_cost row's key (text); only meaningful where {@link #spendKnown}. */
    static String costKey(Dimension d) {
        Columns c = of(d);
        return c.cost() == null ? "''" : "a." + c.cost() + "::text";
    }

    /** The rollup's name for {@code d} under {@code model} (the last touch keeps the dimension's own name). */
    static String rollupName(Dimension d, AttributionModel model) {
        boolean dependsOnTouch = of(d).sessionLastTouch() != null;
        return model == AttributionModel.FIRST && dependsOnTouch ? "first_" + d.apiName() : d.apiName();
    }

    /**
     * Every rollup dimension but the whole site's, by name, with its session key: each report dimension under
     * either touch, a name once when both touches give the same key.
     */
    static Map<String, String> rollupSessionKeys() {
        Map<String, String> keys = new LinkedHashMap<>();
        for (Dimension d : Dimension.values()) {
            if (d == Dimension.NONE) continue;
            for (AttributionModel m : AttributionModel.values()) keys.putIfAbsent(rollupName(d, m), sessionKey(d, m));
        }
        return keys;
    }
}
