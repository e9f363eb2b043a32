package io.calltrack.platform.jobs;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;

/**
 * Where a job stands ({@code job.state}). {@code running}: claimed by a worker until its lease runs out
 * ({@code next_attempt_at}); a worker that dies leaves it to be claimed again then. {@code skipped}: recorded but
 * never to be run (with the reason as the last error), e.g. a call an analytics target cannot match.
 */
public enum JobState {
    PENDING("pending"),
    RUNNING("running"),
    DONE("done"),
    DEAD("dead"),
    SKIPPED("skipped");

    private final String dbValue;

    JobState(String dbValue) {
        this.dbValue = dbValue;
    }

    @JsonValue
    public String dbValue() {
        return dbValue;
    }

    public static JobState ofDb(String value) {
        return Arrays.stream(values()).filter(s -> s.dbValue.equals(value)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown job state '" + value + "'"));
    }
}
