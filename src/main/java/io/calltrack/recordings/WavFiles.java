package io.calltrack.recordings;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import javax.sound.sampled.UnsupportedAudioFileException;

/** Reads a WAV file (linear PCM, or what the JDK converts to it: µ-law, A-law) into its channels. */
public final class WavFiles {
    private WavFiles() {}

    /** Its channels; {@link RecordingStillOpen} while MixMonitor is still writing it ({@link WavCompleteness}). */
    public static List<PcmAudio> channels(Path file) throws UnreadableRecording, RecordingStillOpen {
        WavCompleteness.requireClosed(file);
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(file));
             AudioInputStream wav = AudioSystem.getAudioInputStream(raw)) {
            AudioFormat f = wav.getFormat();
            AudioFormat pcm = new AudioFormat(AudioFormat.Encoding.PCM_SIGNED, f.getSampleRate(), 16,
                    f.getChannels(), 2 * f.getChannels(), f.getSampleRate(), false);
            try (AudioInputStream in = f.matches(pcm) ? wav : AudioSystem.getAudioInputStream(pcm, wav)) {
                return split(in.readAllBytes(), f.getChannels(), (int) f.getSampleRate());
            }
        } catch (NoSuchFileException e) {
            throw new UnreadableRecording("recording " + file + " does not exist");
        } catch (UnsupportedAudioFileException e) {
            throw new UnreadableRecording("recording " + file + " is not a WAV file the JDK can read ("
                    + e.getMessage() + ")");
        } catch (IllegalArgumentException e) {
            throw new UnreadableRecording("recording " + file + " has an encoding that cannot be converted to "
                    + "linear PCM: " + e.getMessage());
        } catch (IOException e) {
            throw new UnreadableRecording("recording " + file + " could not be read: " + e);
        }
    }

    private static List<PcmAudio> split(byte[] bytes, int channels, int rate) throws UnreadableRecording {
        if (channels < 1 || rate <= 0) {
            throw new UnreadableRecording("WAV header says " + channels + " channels at " + rate + " Hz");
        }
        int frames = bytes.length / (2 * channels);
        List<PcmAudio> out = new ArrayList<>();
        for (int c = 0; c < channels; c++) {
            short[] s = new short[frames];
            for (int i = 0; i < frames; i++) {
                int at = (i * channels + c) * 2;
                s[i] = (short) ((bytes[at] & 0xff) | (bytes[at + 1] << 8));
            }
            out.add(new PcmAudio(rate, s));
        }
        return out;
    }
}
