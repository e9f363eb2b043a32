package io.calltrack.bench;

import io.calltrack.Json;
import io.calltrack.recordings.ShippedModel;
import io.calltrack.recordings.Side;
import io.calltrack.recordings.Transcriber;
import io.calltrack.recordings.Turn;
import io.calltrack.recordings.VoskEngine;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;

/**
 * {@code scripts/bench-transcribe --in-process}: the engine alone, no server, no database, no calls. The
 * {@link HeldCalls} go through the {@link Transcriber} and {@link VoskEngine} the transcription job handler uses,
 * {@code workers} at once: a quick check of WER and of the engine's own real-time factor, next to which
 * {@link QueuedTranscriptionBench}'s figures show what the server adds.
 * Arguments: data directory (the set is synthesised into it, the model unpacked into its models/), workers (0: one
 * per two cores, the default of {@code transcription.workers}), rounds (how many times the set is transcribed).
 */
public final class TranscribeBench {
    private record Timed(HeldCalls.Heard heard, double audioSeconds, double wallSeconds) {}

    public static void main(String[] args) throws Exception {
        Path data = Path.of(args[0]);
        int configured = Integer.parseInt(args[1]);
        int workers = configured > 0 ? configured : Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
        int rounds = Integer.parseInt(args[2]);
        List<HeldCalls.Held> set = HeldCalls.synthesise(data.resolve("set"));

        try (VoskEngine engine = new VoskEngine(Map.of(), new ShippedModel(data.resolve("models")), Json.mapper())) {
            Transcriber transcriber = new Transcriber(engine);
            long loadBegan = System.nanoTime();
            transcriber.transcribe(set.get(0).mixed(), "en"); // the model's first load (once per process) is not timed
            System.out.printf(Locale.ROOT, "model loaded and first call transcribed in %.1f s (not counted)%n",
                    (System.nanoTime() - loadBegan) / 1e9);

            ExecutorService pool = Executors.newFixedThreadPool(workers);
            List<Future<Timed>> futures = new ArrayList<>();
            long began = System.nanoTime();
            for (int r = 0; r < rounds; r++) {
                for (HeldCalls.Held call : set) futures.add(pool.submit(() -> transcribe(transcriber, call)));
            }
            List<Timed> timed = new ArrayList<>();
            for (Future<Timed> f : futures) timed.add(f.get());
            double wall = (System.nanoTime() - began) / 1e9;
            pool.shutdown();

            double audio = timed.stream().mapToDouble(Timed::audioSeconds).sum();
            double busy = timed.stream().mapToDouble(Timed::wallSeconds).sum();
            System.out.printf(Locale.ROOT, "in process (recordings.Transcriber + VoskEngine, no server): %d worker(s) "
                    + "on %d cores, %d calls (%d rounds of the set)%n", workers,
                    Runtime.getRuntime().availableProcessors(), timed.size(), rounds);
            System.out.printf(Locale.ROOT, "audio %.1f s, wall %.1f s; real-time factor per worker %.2f (seconds of "
                    + "work per second of audio); %.0f calls/hour of %.1f s each at %d worker(s)%n",
                    audio, wall, busy / audio, timed.size() * 3600 / wall, audio / timed.size(), workers);
            HeldCalls.printWer(timed.subList(0, set.size()).stream().map(Timed::heard).toList());
        }
    }

    private static Timed transcribe(Transcriber transcriber, HeldCalls.Held call) throws Exception {
        long began = System.nanoTime();
        Transcriber.Result r = transcriber.transcribe(call.mixed(), "en");
        double wall = (System.nanoTime() - began) / 1e9;
        return new Timed(new HeldCalls.Heard(call.index(), said(r, Side.CALLER), said(r, Side.MANAGER)),
                r.audioSeconds(), wall);
    }

    private static String said(Transcriber.Result r, Side side) {
        return r.dialogue().turns().stream().filter(t -> t.side() == side).map(Turn::text)
                .collect(Collectors.joining(" "));
    }
}
