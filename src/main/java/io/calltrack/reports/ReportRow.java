package io.calltrack.reports;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;

/**
 * One line of a report: a period (its first day, site-local) and a key of the grouping.
 * Ratios are null where their denominator is zero or unknown; cost is null where spend is not imported at this level.
 */
public record ReportRow(
        LocalDate period,
        String key,
        String label,
        long sessions,
        long calls,
        long uniqueCallers,
        long firstTimeCallers,
        long targetCalls,
        long nonTargetCalls,
        long unansweredCalls,
        long repeatCalls,
        BigDecimal conversion,
        BigDecimal medianRingSeconds,
        BigDecimal medianTalkSeconds,
        BigDecimal cost,
        BigDecimal costPerCall,
        BigDecimal costPerTargetCall,
        BigDecimal revenue,
        BigDecimal roi) {

    public static final List<String> CSV_COLUMNS = List.of("period", "key", "label", "sessions", "calls",
            "unique_callers", "first_time_callers", "target_calls", "non_target_calls", "unanswered_calls",
            "repeat_calls", "conversion", "median_ring_seconds", "median_talk_seconds", "cost", "cost_per_call",
            "cost_per_target_call", "revenue", "roi");

    public List<Object> csvValues() {
        return Arrays.asList(period, key, label, sessions, calls, uniqueCallers, firstTimeCallers, targetCalls,
                nonTargetCalls, unansweredCalls, repeatCalls, conversion, medianRingSeconds, medianTalkSeconds, cost,
                costPerCall, costPerTargetCall, revenue, roi);
    }
}
