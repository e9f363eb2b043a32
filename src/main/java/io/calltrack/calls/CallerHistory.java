package io.calltrack.calls;

import java.util.Optional;

/** What a site's past calls say about a caller: first call ever, a repeat within the window, who took the last one. */
public record CallerHistory(boolean firstTimeCaller, boolean repeatCall, Optional<Long> lastManagerId) {
    /** No earlier call from this number. */
    public static final CallerHistory FIRST_CALL = new CallerHistory(true, false, Optional.empty());
    /** No caller number: cannot be recognised, so neither first-time nor repeat. */
    public static final CallerHistory ANONYMOUS = new CallerHistory(false, false, Optional.empty());
}
