package io.calltrack.bench;

import io.calltrack.telephony.agi.AgiScripts;
import io.calltrack.telephony.agi.AgiServer;
import io.calltrack.config.CalltrackConfig;
import io.calltrack.config.ConfigSource;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.asteriskjava.fastagi.DefaultAgiServer;

/**
 * Drives {@code scripts/bench-agi-layer}: the FastAGI layer alone, no database. The same trivial script (SET VARIABLE,
 * EXEC Dial, GET VARIABLE DIALSTATUS) runs on calltrack's {@link AgiServer} (Netty, one event loop, the script's
 * continuations on it) and on asterisk-java's {@link DefaultAgiServer} (a thread per call, as many threads as
 * channels), both in this JVM, driven one after the other by {@link AgiLoad} at the same number of channels.
 * Usage: {@code AgiLayerBench <channels> <warm-up seconds> <seconds> <talk ms>}
 */
public final class AgiLayerBench {
    private static final String DIAL = "Local/2001@managers";

    public static void main(String[] args) throws Exception {
        int channels = Integer.parseInt(args[0]);
        Duration warmup = Duration.ofSeconds(Integer.parseInt(args[1]));
        Duration duration = Duration.ofSeconds(Integer.parseInt(args[2]));
        Duration talk = Duration.ofMillis(Long.parseLong(args[3]));
        System.out.printf(Locale.ROOT, "%d channels, each Dial lasts %d ms: at most %.0f calls/s; warm-up %d s, "
                + "measured %d s per server%n", channels, talk.toMillis(), channels * 1000.0 / talk.toMillis(),
                warmup.toSeconds(), duration.toSeconds());

        CalltrackConfig.Agi config = CalltrackConfig.from(ConfigSource.of(Map.of("agi.host", "127.0.0.1",
                "agi.port", "0"))).agi();
        io.calltrack.telephony.agi.AgiScript trivial = (request, channel) -> channel.setVariable("CALLTRACK_CALL_ID", "1")
                .thenCompose(r -> channel.dial(DIAL, Duration.ofSeconds(20), ""))
                .thenApply(status -> null);
        AgiLoad.Result calltrack;
        try (AgiServer server = AgiServer.start(config, AgiScripts.none().with("incoming", trivial),
                new SimpleMeterRegistry())) {
            calltrack = load(server.port(), channels, talk, warmup, duration, "calltrack AgiServer");
        }
        System.out.println(calltrack.summary());

        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        org.asteriskjava.fastagi.AgiScript same = (request, channel) -> {
            channel.setVariable("CALLTRACK_CALL_ID", "1");
            channel.exec("Dial", DIAL + ",20");
            channel.getVariable("DIALSTATUS");
        };
        DefaultAgiServer baseline = new DefaultAgiServer(same);
        baseline.setAddress(InetAddress.getLoopbackAddress());
        baseline.setPort(port);
        baseline.setPoolSize(channels);
        baseline.setMaximumPoolSize(channels);
        Thread acceptor = new Thread(() -> {
            try {
                baseline.startup();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, "asterisk-java-agi");
        acceptor.setDaemon(true);
        acceptor.start();
        Thread.sleep(500);
        AgiLoad.Result asteriskJava = load(port, channels, talk, warmup, duration, "asterisk-java DefaultAgiServer");
        baseline.shutdown();
        System.out.println(asteriskJava.summary());

        System.out.printf(Locale.ROOT, "calltrack / asterisk-java: calls/s %.2fx; p99 %.2f ms vs %.2f ms (%.2fx); "
                        + "errors %d vs %d%n", calltrack.callsPerSecond() / asteriskJava.callsPerSecond(),
                p99(calltrack), p99(asteriskJava), p99(calltrack) / p99(asteriskJava), calltrack.errors(),
                asteriskJava.errors());
    }

    private static AgiLoad.Result load(int port, int channels, Duration talk, Duration warmup, Duration duration,
                                       String label) throws InterruptedException {
        return new AgiLoad(new AgiLoad.Options("127.0.0.1", port, "incoming", channels, talk, warmup, duration,
                AgiLoad.roundRobin(List.of("+13125550001")))).run(label);
    }

    private static double p99(AgiLoad.Result r) {
        return r.latencyMicros().getValueAtPercentile(99) / 1000.0;
    }
}
