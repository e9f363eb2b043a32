package io.calltrack.recordings;

import java.util.List;

/**
 * Offline speech recognition of one channel. Vosk is the one shipped ({@link VoskEngine}); another engine is another
 * implementation, nothing else changes.
 */
public interface SpeechEngine {
    /**
     * The utterances heard in {@code audio} (any sample rate: the engine converts), in order.
     *
     * @throws NoModel when no model for {@code language} is configured or it cannot be loaded
     */
    List<Utterance> recognise(PcmAudio audio, String language) throws NoModel;

    /** No usable model for a language: the job fails with this message, which tells the admin what to set. */
    final class NoModel extends Exception {
        public NoModel(String message) {
            super(message);
        }
    }
}
