package io.calltrack.recordings;

/**
 * Told when a call's transcript is stored (its rule tags set with it), after the commit: the outgoing deliveries
 * send it on. Owned here so that transcription knows nothing of who listens. Implementations must not block (they
 * enqueue work of their own) and must not throw: the transcript is already stored.
 */
@FunctionalInterface
public interface TranscriptListener {
    void transcribed(long callId);
}
