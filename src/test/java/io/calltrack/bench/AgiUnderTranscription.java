package io.calltrack.bench;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * FastAGI latency at a steady moderate rate with no transcription running, then again while {@link TranscribeBench}
 * transcribes the held set in another JVM on the same machine (the CPU contention a server transcribing its calls
 * would see; the server itself runs with transcription off). Prints both and the ratio.
 * Usage: {@code AgiUnderTranscription <http base> <token> <jdbc url> <agi port> <seconds> <channels> <talk ms>
 * <data dir> <workers>}
 */
public final class AgiUnderTranscription {
    public static void main(String[] args) throws Exception {
        String base = args[0];
        String token = args[1];
        int port = Integer.parseInt(args[3]);
        Duration duration = Duration.ofSeconds(Integer.parseInt(args[4]));
        int channels = Integer.parseInt(args[5]);
        Duration talk = Duration.ofMillis(Long.parseLong(args[6]));
        List<String> numbers = AgiBench.setUp(base, token, args[2], 30, """
                {"departments":[{"name":"Sales","managers":[{"name":"Ann","dialString":"PJSIP/101"}]}],
                 "rules":[{"name":"all","then":{"department":"Sales","strategy":"least_recently_called"}}]}""")
                .numbers();
        AgiLoad.Options options = new AgiLoad.Options("127.0.0.1", port, "incoming", channels, talk,
                Duration.ofSeconds(15), duration, AgiLoad.roundRobin(numbers));

        AgiLoad.Result quiet = new AgiLoad(options).run("no transcription");
        System.out.println(quiet.summary());

        Process transcribing = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx1g", "-cp", System.getProperty("java.class.path"), TranscribeBench.class.getName(), args[7],
                args[8], "100").redirectErrorStream(true).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(transcribing.getInputStream()));
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                if (line.startsWith("model loaded")) break; // transcribing from here on
            }
            Thread drain = new Thread(() -> out.lines().forEach(l -> {}));
            drain.setDaemon(true);
            drain.start();
            AgiLoad.Result busy = new AgiLoad(options).run("while transcribing");
            System.out.println(busy.summary());
            System.out.printf("FastAGI p50 %.2f -> %.2f ms (x%.2f), p99 %.2f -> %.2f ms (x%.2f) while transcribing "
                            + "(goal: p99 at most x2)%n",
                    ms(quiet, 50), ms(busy, 50), ms(busy, 50) / ms(quiet, 50),
                    ms(quiet, 99), ms(busy, 99), ms(busy, 99) / ms(quiet, 99));
        } finally {
            transcribing.destroy();
        }
    }

    private static double ms(AgiLoad.Result r, double percentile) {
        return r.latencyMicros().getValueAtPercentile(percentile) / 1000.0;
    }
}
