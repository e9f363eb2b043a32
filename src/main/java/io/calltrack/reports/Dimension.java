package io.calltrack.reports;

import java.util.Arrays;
import java.util.Locale;

/**
 * What a report row is about. Each dimension names the matching column of visitor_session, of call and of
 * ad_cost (null: spend is not known at that level), and how the key is shown.
 */
public enum Dimension {
    CHANNEL("v.channel_id::text", "c.channel_id::text", "a.channel_id::text",
            "(SELECT name FROM channel WHERE id = nullif(r.key, '')::bigint)"),
    CAMPAIGN("v.utm_campaign", "c.campaign", "a.campaign", "r.key"),
    KEYWORD("v.utm_term", "c.keyword", null, "r.key"),
    LANDING_PAGE("v.first_page", "c.landing_page", null, "r.key"),
    NUMBER("v.number_id::text", "c.number_id::text", null,
            "(SELECT e164 FROM tracked_number WHERE id = nullif(r.key, '')::bigint)"),
    /** One row per period for the whole site. */
    NONE("''", "''", "''", "'all'");

    final String sessionKey;
    final String callKey;
    final String costKey;
    final String label;

    Dimension(String sessionKey, String callKey, String costKey, String label) {
        this.sessionKey = sessionKey;
        this.callKey = callKey;
        this.costKey = costKey;
        this.label = label;
    }

    public String apiName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Dimension parse(String s) {
        return Arrays.stream(values()).filter(d -> d.apiName().equals(s)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("group must be one of "
                        + Arrays.stream(values()).map(Dimension::apiName).toList() + ", got '" + s + "'"));
    }
}
