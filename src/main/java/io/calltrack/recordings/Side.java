package io.calltrack.recordings;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * Who spoke. A recording split by direction (MixMonitor's r()/t() files, or a stereo file: left the caller, right
 * the manager) gives both sides; a mono mixed recording can only be {@code MIXED}.
 */
public enum Side {
    CALLER("caller"),
    MANAGER("manager"),
    MIXED("mixed");

    private final String value;

    Side(String value) {
        this.value = value;
    }

    @JsonValue
    public String value() {
        return value;
    }
}
