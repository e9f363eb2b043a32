package io.calltrack.recordings;

/** A recording MixMonitor has not finished writing yet: worth another attempt later. */
public final class RecordingStillOpen extends Exception {
    public RecordingStillOpen(String message) {
        super(message);
    }
}
