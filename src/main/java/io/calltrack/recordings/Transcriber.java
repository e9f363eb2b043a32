package io.calltrack.recordings;

import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** A recording file in, a dialogue out: each side's channel through the engine, the turns interleaved. */
public final class Transcriber {
    /** The dialogue and how much audio it came from (for the real-time factor). */
    public record Result(Dialogue dialogue, double audioSeconds) {}

    private final SpeechEngine engine;

    public Transcriber(SpeechEngine engine) {
        this.engine = engine;
    }

    public Result transcribe(Path recording, String language)
            throws UnreadableRecording, RecordingStillOpen, SpeechEngine.NoModel {
        Map<Side, PcmAudio> sides = RecordingSides.read(recording);
        Map<Side, List<Utterance>> heard = new EnumMap<>(Side.class);
        double seconds = 0;
        for (Map.Entry<Side, PcmAudio> e : sides.entrySet()) {
            heard.put(e.getKey(), engine.recognise(e.getValue(), language));
            seconds = Math.max(seconds, e.getValue().seconds());
        }
        return new Result(Dialogue.of(heard), seconds);
    }
}
