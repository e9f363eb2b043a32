package io.calltrack.platform.jobs;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;

/**
 * What a job does; each kind has one {@link JobHandler}. {@link #dbValue} is the one mapping to the {@code job.kind}
 * column (and what the API shows): a new kind is a constant here and a handler, no migration.
 */
public enum JobKind {
    WEBHOOK("webhook"),
    METRICA("metrica"),
    GA4("ga4"),
    TRANSCRIPTION("transcription"),
    /** A site's changed speech rules applied again to one of its transcribed calls. */
    SPEECH_RULES("speech-rules");

    private final String dbValue;

    JobKind(String dbValue) {
        this.dbValue = dbValue;
    }

    @JsonValue
    public String dbValue() {
        return dbValue;
    }

    /** The kind stored as {@code value}. Workers claim only the kinds they have handlers for. */
    public static JobKind ofDb(String value) {
        return Arrays.stream(values()).filter(k -> k.dbValue.equals(value)).findFirst().orElseThrow(() ->
                new IllegalArgumentException("job kind '" + value + "' is unknown to this version of calltrack"));
    }
}
