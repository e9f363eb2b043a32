package io.calltrack.calls;

import java.util.Optional;

/** What a site's past calls say about a caller: first call ever, a repeat within the window, who took the last one. */
public record CallerHistory(boolean firstTimeCaller, boolean repeatCall, Optional<Long> lastManagerId) {}
