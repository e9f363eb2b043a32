package io.calltrack.tracking;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;
import java.util.Optional;

/**
 * Where a call came from, as known when it rings: how it was attributed ({@code kind}), the number the caller
 * dialled and the visit it is credited to ({@link CreditedVisit#NONE} when there is none).
 */
public record Attribution(Kind kind, CalledNumber number, CreditedVisit visit) {

    public enum Kind {
        STATIC, DYNAMIC, TRACK_ID, AMBIGUOUS, UNATTRIBUTED, UNKNOWN_NUMBER;

        /** The value of the CHECK constraint on {@code call.attribution}, and what the API shows. */
        @JsonValue
        public String dbValue() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** The kind stored as {@code value}. */
        public static Kind of(String value) {
            return valueOf(value.toUpperCase(Locale.ROOT));
        }
    }

    /**
     * The dialled number: its site and tracked number (empty for a number no site knows, and the number for a site's
     * fallback number), in E.164. {@code trackIdEntry}: the number asks every caller for a Track ID;
     * {@code askTrackIdWhenUnattributed}: the site wants one asked when a dynamic call cannot be attributed.
     */
    public record CalledNumber(Optional<Long> siteId, Optional<Long> numberId, String e164, boolean trackIdEntry,
                               boolean askTrackIdWhenUnattributed) {
        /** A number of no site. */
        static CalledNumber unknown(String called) {
            return new CalledNumber(Optional.empty(), Optional.empty(), called, false, false);
        }
    }

    /** No visit explains the call: ambiguous, unattributed and unknown numbers. */
    static Attribution withoutVisit(Kind kind, CalledNumber number) {
        return new Attribution(kind, number, CreditedVisit.NONE);
    }

    /** This session's attribution on the number the caller actually dialled (a Track ID names only the session). */
    public Attribution onNumberOf(Attribution dialled) {
        return new Attribution(kind, dialled.number, visit);
    }

    public Optional<String> channelName() {
        return visit.lastTouch().channelName();
    }

    public Optional<String> source() {
        return visit.lastTouch().source();
    }

    public Optional<String> campaign() {
        return visit.lastTouch().campaign();
    }
}
