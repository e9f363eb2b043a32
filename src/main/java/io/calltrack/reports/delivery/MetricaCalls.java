package io.calltrack.reports.delivery;

import io.calltrack.reports.CallRecord;
import io.calltrack.reports.Csv;
import java.util.List;

/**
 * Yandex.Metrica's calls upload CSV (management API "upload_calls", client_id_type=CLIENT_ID). Only calls with a
 * visitor's ClientId can be linked to a visit, so calls without one are left out.
 */
public final class MetricaCalls {
    public static final List<String> COLUMNS = List.of("ClientId", "DateTime", "PhoneNumber", "TalkDuration",
            "HoldDuration", "CallMissed", "Tag", "FirstTimeCaller", "URL", "CallTrackerURL", "StaticCall");

    private MetricaCalls() {}

    public static String csv(List<CallRecord> calls, String callTrackerUrl) {
        return Csv.writeVerbatim(COLUMNS, calls.stream().filter(c -> c.clientId() != null && !c.clientId().isBlank())
                .map(c -> row(c, callTrackerUrl)).toList());
    }

    private static List<Object> row(CallRecord c, String callTrackerUrl) {
        return java.util.Arrays.asList(
                c.clientId(),
                c.startedAt().getEpochSecond(),
                c.callerNumber(),
                c.talkSeconds() == null ? 0 : c.talkSeconds(),
                c.ringSeconds() == null ? 0 : c.ringSeconds(),
                c.missed() ? 1 : 0,
                c.callClass(),
                c.firstTimeCaller() ? 1 : 0,
                c.landingPage(),
                CallLinks.call(callTrackerUrl, c.id()),
                "static".equals(c.attribution()) ? 1 : 0);
    }
}
