package io.calltrack.bench;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.LineBasedFrameDecoder;
import io.netty.handler.codec.string.StringDecoder;
import io.netty.handler.codec.string.StringEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * A FastAGI load generator that behaves like Asterisk: it opens many concurrent AGI sessions, sends the full
 * {@code agi_*} header block, and answers every command the way Asterisk 18-22 does (SET VARIABLE -> result=1,
 * EXEC MixMonitor/Dial -> result=0, GET VARIABLE DIALSTATUS and GET FULL VARIABLE of app_dial's outcome -> ANSWER, ...) until the server closes the socket.
 * Closed loop: each of {@code concurrency} virtual channels starts its next call when the previous one ends; a call
 * lasts the connect-to-Dial decision plus {@code talk}, as on a PBX where Dial returns when the caller hangs up.
 * Latency is measured from the TCP connect to the first {@code EXEC Dial} command: what a caller waits before
 * a manager's phone rings.
 */
public final class AgiLoad {
    /**
     * {@code talk}: how long each Dial lasts. Asterisk answers {@code EXEC Dial} only when the dialled call ends,
     * so a channel stays open for about {@code talk}, and {@code concurrency} channels offer at most
     * {@code concurrency / talk} calls per second.
     */
    public record Options(String host, int port, String script, int concurrency, Duration talk, Duration warmup,
                          Duration duration, IntFunction<String> calledNumber) {}

    public record Result(String label, int concurrency, long calls, long errors, double seconds,
                         Histogram latencyMicros) {
        public double callsPerSecond() {
            return calls / seconds;
        }

        public String summary() {
            return String.format("%s: %d concurrent channels, %d calls in %.1f s = %.0f calls/s, errors %d, "
                            + "connect->Dial latency p50 %.2f ms, p99 %.2f ms, max %.2f ms",
                    label, concurrency, calls, seconds, callsPerSecond(), errors,
                    latencyMicros.getValueAtPercentile(50) / 1000.0,
                    latencyMicros.getValueAtPercentile(99) / 1000.0,
                    latencyMicros.getMaxValue() / 1000.0);
        }
    }

    private final Options options;
    private final Recorder latency = new Recorder(3);
    private final AtomicLong calls = new AtomicLong();
    private final AtomicLong errors = new AtomicLong();
    private final AtomicLong uniqueIds = new AtomicLong(System.currentTimeMillis() / 1000 * 1000);
    private volatile boolean measuring;
    private volatile boolean stopping;

    public AgiLoad(Options options) {
        this.options = options;
    }

    public Result run(String label) throws InterruptedException {
        EventLoopGroup group = new NioEventLoopGroup(2);
        try {
            Bootstrap b = new Bootstrap().group(group).channel(NioSocketChannel.class)
                    .option(ChannelOption.TCP_NODELAY, true)
                    .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 5000)
                    .handler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            ch.pipeline().addLast(new LineBasedFrameDecoder(8192),
                                    new StringDecoder(StandardCharsets.UTF_8),
                                    new StringEncoder(StandardCharsets.UTF_8));
                        }
                    });
            for (int i = 0; i < options.concurrency(); i++) startCall(b);
            Thread.sleep(options.warmup().toMillis());
            latency.reset();
            calls.set(0);
            errors.set(0);
            measuring = true;
            long start = System.nanoTime();
            Thread.sleep(options.duration().toMillis());
            measuring = false;
            double seconds = (System.nanoTime() - start) / 1e9;
            long done = calls.get();
            long failed = errors.get();
            Histogram h = latency.getIntervalHistogram();
            stopping = true;
            return new Result(label, options.concurrency(), done, failed, seconds, h);
        } finally {
            stopping = true;
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
    }

    private void startCall(Bootstrap b) {
        if (stopping) return;
        long t0 = System.nanoTime();
        long uid = uniqueIds.incrementAndGet();
        String called = options.calledNumber().apply(ThreadLocalRandom.current().nextInt(1 << 30));
        b.connect(options.host(), options.port()).addListener((ChannelFutureListener) f -> {
            if (!f.isSuccess()) {
                if (measuring) errors.incrementAndGet();
                f.channel().eventLoop().schedule(() -> startCall(b), 100, TimeUnit.MILLISECONDS);
                return;
            }
            Channel ch = f.channel();
            ch.pipeline().addLast(new FakeChannel(t0, uid, called));
            ch.closeFuture().addListener(c -> startCall(b));
            ch.writeAndFlush(header(uid, called));
        });
    }

    private String header(long uid, String called) {
        String caller = "+1555" + String.format("%07d", ThreadLocalRandom.current().nextInt(10_000_000));
        String uniqueId = (uid / 1000) + "." + (uid % 1000);
        return "agi_network: yes\n"
                + "agi_network_script: " + options.script() + "\n"
                + "agi_request: agi://" + options.host() + ":" + options.port() + "/" + options.script() + "\n"
                + "agi_channel: PJSIP/trunk-" + String.format("%08x", uid & 0xffffffffL) + "\n"
                + "agi_language: en\n"
                + "agi_type: PJSIP\n"
                + "agi_uniqueid: " + uniqueId + "\n"
                + "agi_version: 22.10.1\n"
                + "agi_callerid: " + caller + "\n"
                + "agi_calleridname: Load Test\n"
                + "agi_callingpres: 0\n"
                + "agi_callingani2: 0\n"
                + "agi_callington: 0\n"
                + "agi_callingtns: 0\n"
                + "agi_dnid: " + called + "\n"
                + "agi_rdnis: unknown\n"
                + "agi_context: calltrack-incoming\n"
                + "agi_extension: " + called + "\n"
                + "agi_priority: 2\n"
                + "agi_enhanced: 0.0\n"
                + "agi_accountcode: \n"
                + "agi_threadid: " + (140000000000000L + uid) + "\n"
                + "\n";
    }

    /** One call's channel: answers commands as Asterisk does, in order, one reply line per command. */
    private final class FakeChannel extends SimpleChannelInboundHandler<String> {
        private final long t0;
        private final long uid;
        private final String called;
        private boolean dialled;

        FakeChannel(long t0, long uid, String called) {
            this.t0 = t0;
            this.uid = uid;
            this.called = called;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, String line) {
            // Asterisk accepts words quoted or not: asterisk-java quotes every one (EXEC "Dial" "...")
            String upper = line.trim().replace("\"", "").toUpperCase(java.util.Locale.ROOT);
            String reply = reply(upper) + "\n";
            if (upper.startsWith("EXEC DIAL")) {
                if (!dialled && measuring) latency.recordValue(Math.max(1, (System.nanoTime() - t0) / 1000));
                dialled = true;
                ctx.executor().schedule(() -> ctx.writeAndFlush(reply), options.talk().toMillis(),
                        TimeUnit.MILLISECONDS);
                return;
            }
            ctx.writeAndFlush(reply);
        }

        private String reply(String upper) {
            if (upper.startsWith("SET VARIABLE")) return "200 result=1";
            if (upper.startsWith("EXEC")) return "200 result=0";
            if (upper.startsWith("GET VARIABLE DIALSTATUS")) {
                return "200 result=1 (ANSWER)";
            }
            if (upper.startsWith("GET FULL VARIABLE")) {
                // app_dial's outcome variables, as Asterisk 22 expands them after an answered Dial
                return "200 result=1 (ANSWER|" + options.talk().toMillis() + "|PJSIP/101-00000001)";
            }
            if (upper.startsWith("GET VARIABLE MIXMONITOR_FILENAME")) return "200 result=0";
            if (upper.startsWith("GET VARIABLE")) return "200 result=0";
            if (upper.startsWith("GET DATA")) return "200 result= (timeout)";
            if (upper.startsWith("CHANNEL STATUS")) return "200 result=6";
            if (upper.startsWith("VERBOSE") || upper.startsWith("ANSWER")) return "200 result=1";
            if (upper.startsWith("HANGUP")) return "200 result=1";
            return "510 Invalid or unknown command";
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (measuring) {
                if (dialled) calls.incrementAndGet();
                else errors.incrementAndGet();
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

    public static IntFunction<String> roundRobin(List<String> numbers) {
        return r -> numbers.get(Math.floorMod(r, numbers.size()));
    }
}
