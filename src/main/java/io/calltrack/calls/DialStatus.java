package io.calltrack.calls;

import com.fasterxml.jackson.annotation.JsonCreator;

/**
 * Dial's outcome as Asterisk reports it: DIALSTATUS (app_dial's variable) and DialEnd's DialStatus, which adds
 * ABORT, CONTINUE and GOTO (sent as {@code GOTO:<where>}). {@code UNKNOWN} when it is unset or none of these, so a
 * value a later Asterisk adds is stored as unknown rather than refused. The name is what the API shows.
 */
public enum DialStatus {
    ANSWER, BUSY, NOANSWER, CANCEL, CONGESTION, CHANUNAVAIL, DONTCALL, TORTURE, INVALIDARGS, ABORT, CONTINUE, GOTO,
    UNKNOWN;

    /** The status Asterisk wrote (anything after a ':' is where a GOTO went); UNKNOWN for null or anything else. */
    @JsonCreator
    public static DialStatus of(String value) {
        if (value == null) return UNKNOWN;
        int detail = value.indexOf(':');
        String name = detail < 0 ? value : value.substring(0, detail);
        for (DialStatus s : values()) {
            if (s.name().equals(name)) return s;
        }
        return UNKNOWN;
    }
}
