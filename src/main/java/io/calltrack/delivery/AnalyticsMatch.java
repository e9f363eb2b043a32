package io.calltrack.delivery;

import io.calltrack.calls.Call;
import java.util.Optional;

/**
 * What Yandex Metrica and GA4 can link a call to a visit by. Neither knows calltrack's own visitor cookie: Metrica
 * matches its ClientID (the {@code _ym_uid} cookie) or a Yandex Direct click id, GA4 its client_id (from {@code _ga}).
 * A call without the id a target needs is not sent there: it could only be counted against no visit.
 */
public final class AnalyticsMatch {
    private AnalyticsMatch() {}

    /** The id types of Metrica's calls upload that calltrack sends, and the CSV column each one names. */
    public enum MetricaIdType {
        CLIENT_ID("ClientId"), YCLID("Yclid");

        final String column;

        MetricaIdType(String column) {
            this.column = column;
        }

        /** {@code CLIENT_ID} or {@code YCLID}, as Metrica's {@code client_id_type} names them. */
        public static MetricaIdType parse(String s) {
            for (MetricaIdType t : values()) {
                if (t.name().equals(s)) return t;
            }
            throw new IllegalArgumentException("client_id_type must be CLIENT_ID or YCLID, got '" + s + "'");
        }
    }

    /** The id a Metrica upload carries for a call, and its type (the upload's {@code client_id_type}). */
    public record MetricaKey(MetricaIdType type, String value) {}

    static final String METRICA_UNMATCHABLE = "the visitor had no Metrica ClientID (_ym_uid cookie) and no yclid";
    static final String GA4_UNMATCHABLE = "the visitor had no GA4 client id (_ga cookie)";

    /**
     * Metrica's ClientID when the visitor had one: it names the visitor, whatever they clicked. Otherwise a yclid of
     * the session's clicks, the last touch's before the first's: it names the Direct click's visit. Metrica then
     * credits the call by its own attribution model. Empty: Metrica cannot match the call.
     */
    public static Optional<MetricaKey> metrica(Call c) {
        Optional<MetricaKey> byClientId = c.visit().analyticsIds().ymClientId()
                .map(id -> new MetricaKey(MetricaIdType.CLIENT_ID, id));
        if (byClientId.isPresent()) return byClientId;
        return c.visit().touches().last().clickIds().yclid().or(() -> c.visit().touches().first().clickIds().yclid())
                .map(yclid -> new MetricaKey(MetricaIdType.YCLID, yclid));
    }

    /** GA4's client_id of the visitor; empty: GA4 cannot match the call. */
    public static Optional<String> ga4(Call c) {
        return c.visit().analyticsIds().gaClientId();
    }
}
