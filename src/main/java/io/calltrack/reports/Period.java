package io.calltrack.reports;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** How report rows are bucketed in time, by the site's calendar; TOTAL is one bucket for the whole range. */
public enum Period {
    DAY, WEEK, MONTH, TOTAL;

    /** PostgreSQL's {@code date_trunc} unit of the bucket (weeks start on Monday, ISO); none for TOTAL. */
    Optional<String> truncUnit() {
        return this == TOTAL ? Optional.empty() : Optional.of(name().toLowerCase(Locale.ROOT));
    }

    public static Period parse(String s) {
        return Arrays.stream(values()).filter(p -> p.name().equalsIgnoreCase(s)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("period must be day, week, month or total, got '" + s + "'"));
    }
}
