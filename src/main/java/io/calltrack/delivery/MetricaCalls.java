package io.calltrack.delivery;

import io.calltrack.calls.Call;
import io.calltrack.calls.CallClass;
import io.calltrack.tracking.Attribution;
import io.calltrack.reports.Csv;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Yandex Metrica's calls upload (management API {@code offline_conversions/upload_calls}): a CSV whose first column
 * is the visitor id its {@code client_id_type} names ({@code ClientId} for CLIENT_ID, {@code Yclid} for YCLID), then
 * DateTime (Unix time, UTC), PhoneNumber, TalkDuration, HoldDuration, CallMissed, Tag, FirstTimeCaller, URL,
 * CallTrackerURL, StaticCall. One file carries one id type, so a call goes into the file of the id
 * {@link AnalyticsMatch#metrica} picks for it, and a call Metrica cannot match into none.
 */
public final class MetricaCalls {
    private static final List<String> AFTER_ID = List.of("DateTime", "PhoneNumber", "TalkDuration", "HoldDuration",
            "CallMissed", "Tag", "FirstTimeCaller", "URL", "CallTrackerURL", "StaticCall");
    private static final String ID_TYPE_PARAMETER = "client_id_type";

    private MetricaCalls() {}

    /** The header of a file of {@code type}. */
    public static List<String> columns(AnalyticsMatch.MetricaIdType type) {
        return Stream.concat(Stream.of(type.column), AFTER_ID.stream()).toList();
    }

    /** The file of the calls Metrica matches by {@code type}, in the given order. */
    public static String csv(List<Call> calls, AnalyticsMatch.MetricaIdType type, String callTrackerUrl) {
        return Csv.writeVerbatim(columns(type), calls.stream()
                .flatMap(c -> AnalyticsMatch.metrica(c).filter(k -> k.type() == type).stream()
                        .map(k -> row(c, k, callTrackerUrl)))
                .toList());
    }

    /**
     * The configured upload URL with {@code client_id_type} set to {@code type}; a {@code client_id_type} the
     * configured URL names is replaced: the id column decides it.
     */
    static String uploadUrl(String configured, AnalyticsMatch.MetricaIdType type) {
        int q = configured.indexOf('?');
        String base = q < 0 ? configured : configured.substring(0, q);
        Stream<String> kept = q < 0 ? Stream.empty() : Arrays.stream(configured.substring(q + 1).split("&"))
                .filter(p -> !p.isEmpty() && !p.equals(ID_TYPE_PARAMETER) && !p.startsWith(ID_TYPE_PARAMETER + "="));
        return base + "?" + Stream.concat(kept, Stream.of(ID_TYPE_PARAMETER + "=" + type.name()))
                .collect(Collectors.joining("&"));
    }

    private static List<Object> row(Call c, AnalyticsMatch.MetricaKey key, String callTrackerUrl) {
        Optional<String> landing = c.visit().lastTouch().landingPage();
        return Arrays.asList(
                key.value(),
                c.startedAt().getEpochSecond(),
                c.callerNumber().orElse(null),
                c.outcome().talkSeconds().orElse(0),
                c.outcome().ringSeconds().orElse(0),
                c.missed() ? 1 : 0,
                c.outcome().callClass().map(CallClass::value).orElse(null),
                c.firstTimeCaller() ? 1 : 0,
                landing.orElse(null),
                CallLinks.call(callTrackerUrl, c.id()),
                c.attribution() == Attribution.Kind.STATIC ? 1 : 0);
    }
}
