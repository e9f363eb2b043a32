package io.calltrack.reports;

import java.util.Arrays;
import java.util.Locale;

/** How report rows are bucketed in time, by the site's calendar; TOTAL is one bucket for the whole range. */
public enum Period {
    DAY, WEEK, MONTH, TOTAL;

    /**
     * SQL for the bucket (a date) of a site-local timestamp or date expression; weeks start on Monday (ISO).
     * {@code b.from_day} is the report's first day (see ReportQuery).
     */
    String bucket(String localExpr) {
        return this == TOTAL ? "b.from_day" : "date_trunc('" + name().toLowerCase(Locale.ROOT) + "', " + localExpr + ")::date";
    }

    public static Period parse(String s) {
        return Arrays.stream(values()).filter(p -> p.name().equalsIgnoreCase(s)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("period must be day, week, month or total, got '" + s + "'"));
    }
}
