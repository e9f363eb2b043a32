package io.calltrack.bench;

import io.calltrack.calls.RecordingFiles;
import io.calltrack.recordings.RecordingStillOpen;
import io.calltrack.recordings.UnreadableRecording;
import io.calltrack.recordings.WavFiles;
import io.calltrack.support.Speech;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The transcription benchmark's held set: synthetic two-sided English calls, each call's manager and caller lines
 * spoken by Festival's HTS voice, 8 kHz mono per direction as MixMonitor's {@code r()}/{@code t()} files write them
 * ({@code <id>-caller.wav}, {@code <id>-manager.wav}) beside the mixed {@code <id>.wav}; and the word error rate of
 * what was heard against what was said.
 */
final class HeldCalls {
    /** Manager first, then the caller, as in a sales call. Fixed: the set is held, never tuned to the model. */
    record Said(String manager, String caller) {}

    static final List<Said> SET = List.of(
            new Said("good morning thank you for calling the furniture store how can I help you",
                    "hello I would like to know the price of the green sofa"),
            new Said("hello this is the service desk my name is anna",
                    "my washing machine stopped working yesterday can someone come and repair it"),
            new Said("thank you for calling what can I do for you today",
                    "I saw your advertisement and I want to order two tickets for friday"),
            new Said("good afternoon the delivery will arrive between ten and twelve",
                    "that is fine please call me when the driver is near the house"),
            new Said("hello you have reached the dental clinic",
                    "I need an appointment for next monday morning if possible"),
            new Said("our best offer is forty dollars per month with free installation",
                    "that sounds good but another company offered me a lower price"),
            new Said("thank you for waiting your order has been placed",
                    "great how long does shipping usually take"),
            new Said("hello which city are you calling from",
                    "I am calling from boston and I want to rent a car for a week"));

    /** One synthesised call: what was said, its mixed file (the two direction files beside it) and its length. */
    record Held(int index, Said said, Path mixed, double seconds) {
        /** Its three files where MixMonitor would have written them: hard links, copies across file systems. */
        void placeAt(SimulatedAsterisk.MixMonitor files) throws IOException {
            place(mixed, files.mixed());
            if (files.received().isPresent()) {
                place(RecordingFiles.side(mixed, RecordingFiles.CALLER), files.received().get());
            }
            if (files.transmitted().isPresent()) {
                place(RecordingFiles.side(mixed, RecordingFiles.MANAGER), files.transmitted().get());
            }
        }

        private static void place(Path from, Path to) throws IOException {
            Files.createDirectories(to.getParent());
            try {
                Files.createLink(to, from);
            } catch (IOException | UnsupportedOperationException e) {
                Files.copy(from, to);
            }
        }
    }

    /** What the transcription heard in one held call, per side. */
    record Heard(int index, String caller, String manager) {}

    private HeldCalls() {}

    /** The set synthesised into {@code dir}; prints how long it took. */
    static List<Held> synthesise(Path dir) throws IOException {
        Files.createDirectories(dir);
        long began = System.nanoTime();
        List<Held> held = new ArrayList<>();
        for (int i = 0; i < SET.size(); i++) {
            Said said = SET.get(i);
            Path mixed = dir.resolve("held" + i + ".wav");
            Path manager = Speech.telephone(said.manager(), 0.2, RecordingFiles.side(mixed, RecordingFiles.MANAGER));
            double managerEnds = seconds(manager);
            Path caller = Speech.telephone(said.caller(), managerEnds + 0.4,
                    RecordingFiles.side(mixed, RecordingFiles.CALLER));
            Speech.mix(caller, manager, mixed);
            held.add(new Held(i, said, mixed, seconds(mixed)));
        }
        System.out.printf(Locale.ROOT, "held set: %d two-sided calls (%.1f s of audio) synthesised at 8 kHz in %.1f s%n",
                held.size(), held.stream().mapToDouble(Held::seconds).sum(), (System.nanoTime() - began) / 1e9);
        return held;
    }

    private static double seconds(Path wav) throws IOException {
        try {
            return WavFiles.channels(wav).get(0).seconds();
        } catch (UnreadableRecording | RecordingStillOpen e) {
            throw new IOException("cannot read " + wav + ": " + e.getMessage(), e);
        }
    }

    /** Prints the WER per side and overall of {@code heard} (any number of transcriptions of held calls). */
    static void printWer(List<Heard> heard) {
        String callerSaid = joined(heard, h -> SET.get(h.index()).caller());
        String managerSaid = joined(heard, h -> SET.get(h.index()).manager());
        String callerHeard = joined(heard, Heard::caller);
        String managerHeard = joined(heard, Heard::manager);
        System.out.printf(Locale.ROOT, "WER over %d transcripts: caller %.1f %%, manager %.1f %%, overall %.1f %% "
                        + "(goal <= 20 %%)%n", heard.size(), 100 * Speech.wordErrorRate(callerSaid, callerHeard),
                100 * Speech.wordErrorRate(managerSaid, managerHeard),
                100 * Speech.wordErrorRate(callerSaid + " " + managerSaid, callerHeard + " " + managerHeard));
        boolean[] shown = new boolean[SET.size()];
        for (Heard h : heard) {
            if (shown[h.index()]) continue;
            shown[h.index()] = true;
            System.out.printf("  call %d manager: '%s'%n          caller:  '%s'%n", h.index(), h.manager(), h.caller());
        }
    }

    private static String joined(List<Heard> heard, Function<Heard, String> text) {
        return heard.stream().map(text).collect(Collectors.joining(" "));
    }
}
