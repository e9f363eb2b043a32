package io.calltrack.calls;

/** Dial's outcome as Asterisk reports it in DIALSTATUS; {@code UNKNOWN} when it is unset or not one of these. */
public enum DialStatus {
    ANSWER, BUSY, NOANSWER, CANCEL, CONGESTION, CHANUNAVAIL, DONTCALL, TORTURE, INVALIDARGS, UNKNOWN;

    public static DialStatus of(String value) {
        for (DialStatus s : values()) {
            if (s.name().equals(value)) {
                return s;
            }
        }
        return UNKNOWN;
    }
}
