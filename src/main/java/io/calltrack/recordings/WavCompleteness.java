package io.calltrack.recordings;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Whether MixMonitor has finished a WAV file. Asterisk's WAV writer puts 0 in the header's lengths when it opens
 * the file and the real ones when it closes it, which MixMonitor does only after the channel has hung up (a moment
 * after calltrack has seen the call end). A data chunk that says 0 bytes with audio after it is therefore a file
 * still being written; a header-only file is a call that was never bridged, and anything that is not a WAV header
 * is left to the reader to refuse.
 */
final class WavCompleteness {
    private static final int HEADER_BYTES_READ = 4096;

    private WavCompleteness() {}

    static void requireClosed(Path file) throws RecordingStillOpen, UnreadableRecording {
        try {
            long size = Files.size(file);
            byte[] head;
            try (InputStream in = Files.newInputStream(file)) {
                head = in.readNBytes(HEADER_BYTES_READ);
            }
            ByteBuffer b = ByteBuffer.wrap(head).order(ByteOrder.LITTLE_ENDIAN);
            if (head.length < 12 || !tag(head, 0, "RIFF") || !tag(head, 8, "WAVE")) return;
            long at = 12;
            while (at + 8 <= head.length) {
                long length = Integer.toUnsignedLong(b.getInt((int) at + 4));
                if (tag(head, (int) at, "data")) {
                    long audio = size - (at + 8);
                    if (length == 0 && audio > 0) {
                        throw new RecordingStillOpen("recording " + file + " is still being written (its WAV "
                                + "header says no audio yet, " + audio + " bytes follow it): MixMonitor closes it "
                                + "after the hangup");
                    }
                    return;
                }
                at += 8 + length + (length & 1);
            }
        } catch (NoSuchFileException e) {
            throw new UnreadableRecording("recording " + file + " does not exist");
        } catch (IOException e) {
            throw new UnreadableRecording("recording " + file + " could not be read: " + e);
        }
    }

    private static boolean tag(byte[] bytes, int at, String tag) {
        for (int i = 0; i < 4; i++) {
            if (bytes[at + i] != tag.charAt(i)) return false;
        }
        return true;
    }
}
