package io.calltrack.bench;

import io.calltrack.Json;
import io.calltrack.calls.RecordingFiles;
import io.calltrack.recordings.ShippedModel;
import io.calltrack.recordings.Side;
import io.calltrack.recordings.Transcriber;
import io.calltrack.recordings.Turn;
import io.calltrack.recordings.VoskEngine;
import io.calltrack.recordings.WavFiles;
import io.calltrack.support.Speech;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;

/**
 * Transcription speed and quality on a held set of synthetic two-sided English calls: each call's manager and caller
 * lines spoken by Festival's HTS voice, 8 kHz mono per direction as MixMonitor's {@code r()}/{@code t()} files write
 * them ({@code <id>-caller.wav}, {@code <id>-manager.wav}) beside the mixed {@code <id>.wav}. The calls go through the
 * same {@link Transcriber} and {@link VoskEngine} the transcription job handler uses, in process (not through the
 * server's job queue), {@code workers} at once. Prints audio and wall seconds, the real-time factor per worker, calls
 * per hour, and the word error rate per side and overall.
 * Arguments: data directory (the model is unpacked into its models/), workers (0: one per two cores, the default of
 * {@code transcription.workers}), rounds (how many times the set is transcribed for the speed figures).
 */
public final class TranscribeBench {
    /** Manager first, then the caller, as in a sales call. Fixed: the set is held, never tuned to the model. */
    private record Call(String manager, String caller) {}

    private static final List<Call> SET = List.of(
            new Call("good morning thank you for calling the furniture store how can I help you",
                    "hello I would like to know the price of the green sofa"),
            new Call("hello this is the service desk my name is anna",
                    "my washing machine stopped working yesterday can someone come and repair it"),
            new Call("thank you for calling what can I do for you today",
                    "I saw your advertisement and I want to order two tickets for friday"),
            new Call("good afternoon the delivery will arrive between ten and twelve",
                    "that is fine please call me when the driver is near the house"),
            new Call("hello you have reached the dental clinic",
                    "I need an appointment for next monday morning if possible"),
            new Call("our best offer is forty dollars per month with free installation",
                    "that sounds good but another company offered me a lower price"),
            new Call("thank you for waiting your order has been placed",
                    "great how long does shipping usually take"),
            new Call("hello which city are you calling from",
                    "I am calling from boston and I want to rent a car for a week"));

    private record Heard(double audioSeconds, double wallSeconds, String caller, String manager) {}

    public static void main(String[] args) throws Exception {
        Path data = Path.of(args[0]);
        int configured = Integer.parseInt(args[1]);
        int workers = configured > 0 ? configured : Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
        int rounds = Integer.parseInt(args[2]);

        Path recordings = Files.createDirectories(data.resolve("recordings"));
        long synthBegan = System.nanoTime();
        List<Path> calls = new ArrayList<>();
        for (int i = 0; i < SET.size(); i++) calls.add(synthesise(SET.get(i), recordings, "bench" + i));
        System.out.printf("held set: %d two-sided calls synthesised at 8 kHz in %.1f s%n", calls.size(),
                (System.nanoTime() - synthBegan) / 1e9);

        try (VoskEngine engine = new VoskEngine(Map.of(), new ShippedModel(data.resolve("models")), Json.mapper())) {
            Transcriber transcriber = new Transcriber(engine);
            long loadBegan = System.nanoTime();
            transcriber.transcribe(calls.get(0), "en"); // the model's first load (once per process) is not timed
            System.out.printf("model loaded and first call transcribed in %.1f s (not counted)%n",
                    (System.nanoTime() - loadBegan) / 1e9);

            ExecutorService pool = Executors.newFixedThreadPool(workers);
            List<Future<Heard>> futures = new ArrayList<>();
            long began = System.nanoTime();
            for (int r = 0; r < rounds; r++) {
                for (Path call : calls) futures.add(pool.submit(() -> transcribe(transcriber, call)));
            }
            List<Heard> heard = new ArrayList<>();
            for (Future<Heard> f : futures) heard.add(f.get());
            double wall = (System.nanoTime() - began) / 1e9;
            pool.shutdown();

            double audio = heard.stream().mapToDouble(Heard::audioSeconds).sum();
            double busy = heard.stream().mapToDouble(Heard::wallSeconds).sum();
            System.out.printf("in process through recordings.Transcriber + VoskEngine (not the server's job queue), "
                    + "%d worker(s) on %d cores, %d calls (%d rounds of the set)%n", workers,
                    Runtime.getRuntime().availableProcessors(), heard.size(), rounds);
            System.out.printf("audio %.1f s, wall %.1f s; real-time factor per worker %.2f (seconds of work per "
                    + "second of audio); %.0f calls/hour of %.1f s each at %d worker(s)%n",
                    audio, wall, busy / audio, heard.size() * 3600 / wall, audio / heard.size(), workers);

            List<Heard> once = heard.subList(0, SET.size());
            double callerWer = wer(once, Side.CALLER);
            double managerWer = wer(once, Side.MANAGER);
            String saidAll = SET.stream().map(c -> c.caller() + " " + c.manager()).collect(Collectors.joining(" "));
            String heardAll = once.stream().map(h -> h.caller() + " " + h.manager()).collect(Collectors.joining(" "));
            System.out.printf("WER caller %.1f %%, manager %.1f %%, overall %.1f %% (goal <= 20 %%)%n",
                    100 * callerWer, 100 * managerWer, 100 * Speech.wordErrorRate(saidAll, heardAll));
            for (int i = 0; i < SET.size(); i++) {
                System.out.printf("  call %d manager: '%s'%n          caller:  '%s'%n", i, once.get(i).manager(),
                        once.get(i).caller());
            }
        }
    }

    /** The call's two directions and the mixed file, named as MixMonitor's are; the mixed file's path returned. */
    private static Path synthesise(Call call, Path dir, String id) throws Exception {
        Path mixed = dir.resolve(id + ".wav");
        Path manager = Speech.telephone(call.manager(), 0.2,
                RecordingFiles.side(mixed, RecordingFiles.MANAGER));
        double managerEnds = WavFiles.channels(manager).get(0).seconds();
        Path caller = Speech.telephone(call.caller(), managerEnds + 0.4,
                RecordingFiles.side(mixed, RecordingFiles.CALLER));
        return Speech.mix(caller, manager, mixed);
    }

    private static Heard transcribe(Transcriber transcriber, Path call) throws Exception {
        long began = System.nanoTime();
        Transcriber.Result r = transcriber.transcribe(call, "en");
        double wall = (System.nanoTime() - began) / 1e9;
        return new Heard(r.audioSeconds(), wall, said(r, Side.CALLER), said(r, Side.MANAGER));
    }

    private static String said(Transcriber.Result r, Side side) {
        return r.dialogue().turns().stream().filter(t -> t.side() == side).map(Turn::text)
                .collect(Collectors.joining(" "));
    }

    /** One side's WER over the whole set: the words said by that side in every call, against those heard. */
    private static double wer(List<Heard> heard, Side side) {
        StringBuilder said = new StringBuilder();
        StringBuilder got = new StringBuilder();
        for (int i = 0; i < SET.size(); i++) {
            said.append(side == Side.CALLER ? SET.get(i).caller() : SET.get(i).manager()).append(' ');
            got.append(side == Side.CALLER ? heard.get(i).caller() : heard.get(i).manager()).append(' ');
        }
        return Speech.wordErrorRate(said.toString(), got.toString());
    }
}
