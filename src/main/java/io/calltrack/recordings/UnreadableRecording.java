package io.calltrack.recordings;

/** A recording that cannot be transcribed as it is (missing, not a WAV, truncated): retrying will not help. */
public final class UnreadableRecording extends Exception {
    public UnreadableRecording(String message) {
        super(message);
    }
}
