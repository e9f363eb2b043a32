package io.calltrack.reports;

import java.util.Arrays;
import java.util.Locale;

/**
 * What a report row is about. Each dimension names the matching column of visitor_session and of call for either
 * touch ({@link AttributionModel}), the column of ad_cost (null: spend is not known at that level), and how the key
 * is shown. A session's own campaign columns are its first touch and {@code last_*} its later paid click (null
 * until there is one); a call stores both touches, the last in the plain columns.
 */
public enum Dimension {
    CHANNEL("v.channel_id::text", lastOfSession("channel_id", "last_channel_id") + "::text",
            "c.first_channel_id::text", "c.channel_id::text", "a.channel_id::text",
            "(SELECT name FROM channel WHERE id = nullif(r.key, '')::bigint)"),
    CAMPAIGN("v.utm_campaign", lastOfSession("utm_campaign", "last_campaign"), "c.first_campaign", "c.campaign",
            "a.campaign", "r.key"),
    KEYWORD("v.utm_term", lastOfSession("utm_term", "last_term"), "c.first_keyword", "c.keyword", null, "r.key"),
    LANDING_PAGE("v.first_page", lastOfSession("first_page", "last_page"), "c.first_landing_page", "c.landing_page",
            null, "r.key"),
    NUMBER("v.number_id::text", "v.number_id::text", "c.number_id::text", "c.number_id::text", null,
            "(SELECT e164 FROM tracked_number WHERE id = nullif(r.key, '')::bigint)"),
    /** One row per period for the whole site. */
    NONE("''", "''", "''", "''", "''", "'all'");

    private final String sessionFirst;
    private final String sessionLast;
    private final String callFirst;
    private final String callLast;
    final String costKey;
    final String label;

    Dimension(String sessionFirst, String sessionLast, String callFirst, String callLast, String costKey,
              String label) {
        this.sessionFirst = sessionFirst;
        this.sessionLast = sessionLast;
        this.callFirst = callFirst;
        this.callLast = callLast;
        this.costKey = costKey;
        this.label = label;
    }

    /** A session's last touch: its later paid click's column, or its own (first touch) while it has none. */
    private static String lastOfSession(String firstColumn, String lastColumn) {
        return "(CASE WHEN v.last_touch_at IS NULL THEN v." + firstColumn + " ELSE v." + lastColumn + " END)";
    }

    public String apiName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The key of a session (alias {@code v}) under {@code model}. */
    String sessionKey(AttributionModel model) {
        return model == AttributionModel.FIRST ? sessionFirst : sessionLast;
    }

    /** The key of a call (alias {@code c}) under {@code model}. */
    String callKey(AttributionModel model) {
        return model == AttributionModel.FIRST ? callFirst : callLast;
    }

    /** Whether the two touches can give a session or call different keys. */
    boolean dependsOnTouch() {
        return !sessionFirst.equals(sessionLast);
    }

    /** The rollup's name for this dimension under {@code model} (the last touch keeps the dimension's own name). */
    String rollupName(AttributionModel model) {
        return model == AttributionModel.FIRST && dependsOnTouch() ? "first_" + apiName() : apiName();
    }

    public static Dimension parse(String s) {
        return Arrays.stream(values()).filter(d -> d.apiName().equals(s)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("group must be one of "
                        + Arrays.stream(values()).map(Dimension::apiName).toList() + ", got '" + s + "'"));
    }
}
