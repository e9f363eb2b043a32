package io.calltrack.support;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Synthetic telephone audio: Festival's HTS voice (cmu_us_slt_arctic_hts) speaks a sentence, sox turns it into
 * 8 kHz 16-bit mono as Asterisk records it. Festival, the voice or sox missing: the test fails under CI=true (.ci/run
 * installs them) and is skipped elsewhere.
 */
public final class Speech {
    private static final Path TEXT2WAVE = Path.of("/usr/bin/text2wave");
    private static final Path SOX = Path.of("/usr/bin/sox");
    private static final Path VOICE = Path.of("/usr/share/festival/voices/us/cmu_us_slt_arctic_hts");

    private Speech() {}

    public static void require() {
        for (Path p : new Path[] {TEXT2WAVE, SOX, VOICE}) {
            if (Files.exists(p)) continue;
            String why = p + " is missing (apt-get install festival festvox-us-slt-hts sox)";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) fail(why);
            Assumptions.abort(why);
        }
    }

    /** {@code text} spoken after {@code leadingSilence} seconds, as 8 kHz telephone audio in {@code out}. */
    public static Path telephone(String text, double leadingSilence, Path out) throws IOException {
        Path dir = Files.createTempDirectory("speech");
        Path txt = Files.writeString(dir.resolve("in.txt"), text);
        Path wav = dir.resolve("tts.wav");
        run(TEXT2WAVE.toString(), "-eval", "(voice_cmu_us_slt_arctic_hts)", txt.toString(), "-o", wav.toString());
        run(SOX.toString(), wav.toString(), "-r", "8000", "-c", "1", "-b", "16", out.toString(),
                "pad", String.valueOf(leadingSilence), "0.3");
        return out;
    }

    /** Two mono files as one stereo file (left, right), the shorter padded with silence. */
    public static Path stereo(Path left, Path right, Path out) throws IOException {
        run(SOX.toString(), "-M", left.toString(), right.toString(), "-c", "2", out.toString());
        return out;
    }

    /** Mono files summed into one mono file, as MixMonitor's mixed recording (the shorter padded with silence). */
    public static Path mix(Path one, Path other, Path out) throws IOException {
        run(SOX.toString(), "-m", one.toString(), other.toString(), out.toString());
        return out;
    }

    private static void run(String... command) throws IOException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(String.join(" ", command) + " did not finish in 60 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        if (p.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " exited " + p.exitValue() + ": "
                    + new String(p.getInputStream().readAllBytes()));
        }
    }

    /** Word error rate of {@code heard} against {@code said}: word-level edit distance over the words said. */
    public static double wordErrorRate(String said, String heard) {
        List<String> ref = words(said);
        List<String> hyp = words(heard);
        int[] prev = new int[hyp.size() + 1];
        for (int j = 0; j <= hyp.size(); j++) prev[j] = j;
        for (int i = 1; i <= ref.size(); i++) {
            int[] cur = new int[hyp.size() + 1];
            cur[0] = i;
            for (int j = 1; j <= hyp.size(); j++) {
                int sub = prev[j - 1] + (ref.get(i - 1).equals(hyp.get(j - 1)) ? 0 : 1);
                cur[j] = Math.min(sub, Math.min(prev[j] + 1, cur[j - 1] + 1));
            }
            prev = cur;
        }
        return ref.isEmpty() ? (hyp.isEmpty() ? 0 : 1) : (double) prev[hyp.size()] / ref.size();
    }

    private static List<String> words(String s) {
        return new ArrayList<>(Arrays.stream(s.toLowerCase(java.util.Locale.ROOT).split("[^\\p{L}\\p{N}']+"))
                .filter(w -> !w.isEmpty()).toList());
    }
}
