package io.calltrack.recordings;

import io.calltrack.calls.RecordingFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * A call's recording split by who spoke. MixMonitor's {@code r()} file (what the caller's channel received: the
 * caller) and {@code t()} file (what it sent: the manager) sit next to the mixed file as {@code <name>-caller.wav} and
 * {@code <name>-manager.wav}; without them a stereo file is read as left caller, right manager, and a mono one as
 * both sides mixed.
 */
public final class RecordingSides {
    private RecordingSides() {}

    public static Map<Side, PcmAudio> read(Path mixed) throws UnreadableRecording, RecordingStillOpen {
        Path caller = RecordingFiles.side(mixed, RecordingFiles.CALLER);
        Path manager = RecordingFiles.side(mixed, RecordingFiles.MANAGER);
        Map<Side, PcmAudio> sides = new EnumMap<>(Side.class);
        if (Files.isRegularFile(caller) && Files.isRegularFile(manager)) {
            sides.put(Side.CALLER, WavFiles.channels(caller).get(0));
            sides.put(Side.MANAGER, WavFiles.channels(manager).get(0));
            return sides;
        }
        List<PcmAudio> channels = WavFiles.channels(mixed);
        if (channels.size() >= 2) {
            sides.put(Side.CALLER, channels.get(0));
            sides.put(Side.MANAGER, channels.get(1));
        } else {
            sides.put(Side.MIXED, channels.get(0));
        }
        return sides;
    }

}
