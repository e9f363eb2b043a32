package io.calltrack.bench;

import io.calltrack.telephony.agi.peer.FakeAsterisk;
import io.calltrack.telephony.ami.peer.AmiPeer;
import io.calltrack.telephony.ami.peer.CallCapture;
import io.calltrack.telephony.ami.peer.CallCapture.DialOutcome;
import io.calltrack.telephony.ami.peer.CallReplay;
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
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Calls as an Asterisk 22 running calltrack's sample dialplan makes them, both sides at once. For each call: the
 * call's AMI stream from a real Asterisk capture ({@link CallReplay}) through the {@link AmiPeer}, and a FastAGI
 * session like res_agi's: the header block of a Local channel in {@code [calltrack-incoming]}, one reply per command,
 * the channel's variables for GET VARIABLE and {@code ${NAME}} in GET FULL VARIABLE, 511 on a dead channel where
 * res_agi refuses, and app_dial's variables after each EXEC Dial as Asterisk 22 sets them (apps/app_dial.c): cleared
 * as Dial starts; RINGTIME(_MS) from the dialled channel's creation to its first ringing (at once here, as in the
 * captures); DIALSTATUS, DIALEDPEERNAME (the answering channel) and DIALEDPEERNUMBER on the answer;
 * ANSWEREDTIME(_MS) from the caller channel's answer and DIALEDTIME(_MS) from its creation when an answered bridge
 * ends. EXEC Dial is answered when the dialled call ends: {@code 200 result=-1} after an answered call (then
 * {@code HANGUP} when it was the caller who hung up), {@code 200 result=0} after NOANSWER, {@code 200 result=-1} and
 * {@code HANGUP} when the caller gave up. The AGI side and the AMI side run on one clock and one thread per call.
 * {@code EXEC MixMonitor} sets MIXMONITOR_FILENAME; when an answered bridge ends, the call's {@link Recorder} is
 * given the files MixMonitor would have written (its {@code b} option: only the bridge is recorded, so a call that
 * was never answered has none), before Dial returns: complete once calltrack learns the call is over.
 */
final class SimulatedAsterisk implements AutoCloseable {
    static final List<String> CAPTURES = List.of("calltrack-answered.txt", "calltrack-noanswer-then-answer.txt",
            "calltrack-caller-gives-up.txt", "calltrack-manager-hangs-up.txt", "ami-routed-call.txt");
    private static final Pattern VARIABLE_REFERENCE = Pattern.compile("\\$\\{([^}]*)}");
    private static final List<String> DIAL_VARIABLES = List.of("DIALSTATUS", "DIALEDPEERNUMBER", "DIALEDPEERNAME",
            "ANSWEREDTIME", "ANSWEREDTIME_MS", "DIALEDTIME", "DIALEDTIME_MS", "RINGTIME", "RINGTIME_MS",
            "PROGRESSTIME", "PROGRESSTIME_MS");
    private static final Duration SESSION_LIMIT = Duration.ofMinutes(2);

    /**
     * What happened to one call: when the FastAGI server's first EXEC Dial came ({@code firstDialNanos} after the
     * connect began, -1 if none), when the call ended in the simulation (the caller or the manager hung up, the
     * caller gave up), which targets calltrack dialled, and what went wrong on the wire, if anything.
     */
    record Result(CallPlan plan, String callerNumber, long firstDialNanos, Instant ended, List<String> dialled,
                  String error) {}

    /**
     * The files of {@code EXEC MixMonitor <file>,<options>}: the mixed {@code file}, and the {@code r()} file (what
     * the channel received) and {@code t()} file (what it sent) when the options name them.
     */
    record MixMonitor(Path mixed, Optional<Path> received, Optional<Path> transmitted) {
        private static final Pattern RECEIVED = Pattern.compile("r\\(([^)]*)\\)");
        private static final Pattern TRANSMITTED = Pattern.compile("t\\(([^)]*)\\)");

        static MixMonitor parse(String applicationArgs) {
            String[] parts = applicationArgs.split(",", 3);
            String options = parts.length > 1 ? parts[1] : "";
            return new MixMonitor(Path.of(parts[0]), option(RECEIVED, options), option(TRANSMITTED, options));
        }

        private static Optional<Path> option(Pattern p, String options) {
            Matcher m = p.matcher(options);
            return m.find() ? Optional.of(Path.of(m.group(1))) : Optional.empty();
        }
    }

    /** Writes a call's recording as MixMonitor does when the recorded bridge ends. */
    interface Recorder {
        /** Writes nothing: no file appears, as when MixMonitor cannot write its directory. */
        Recorder NONE = files -> {};

        void bridgeEnded(MixMonitor files) throws IOException;
    }

    private final AmiPeer peer;
    private final List<CallCapture> library;
    private final Map<CallPlan.Kind, CallCapture> primaries = new EnumMap<>(CallPlan.Kind.class);
    private final CallReplay.Ids ids = new CallReplay.Ids(System.currentTimeMillis() % 100_000);
    private final AtomicLong threadIds = new AtomicLong(140_000_000_000_000L);
    private final EventLoopGroup group = new NioEventLoopGroup(2);
    private final Bootstrap bootstrap;
    private final String host;
    private final int port;
    private final Clock clock = Clock.systemUTC();

    SimulatedAsterisk(AmiPeer peer, String host, int port) {
        this.peer = peer;
        this.host = host;
        this.port = port;
        this.library = CAPTURES.stream().map(n -> CallCapture.load("asterisk-22/" + n)).toList();
        for (CallPlan.Kind k : CallPlan.Kind.values()) primaries.put(k, library.get(CAPTURES.indexOf(k.capture)));
        this.bootstrap = new Bootstrap().group(group).channel(NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 5000)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new LineBasedFrameDecoder(8192),
                                new StringDecoder(StandardCharsets.UTF_8), new StringEncoder(StandardCharsets.UTF_8));
                    }
                });
    }

    /** Starts a call from {@code callerNumber} (E.164) to {@code trackedNumber} (E.164); completes when it is over. */
    CompletableFuture<Result> call(CallPlan plan, String callerNumber, String trackedNumber) {
        return call(plan, callerNumber, trackedNumber, Recorder.NONE);
    }

    /** The same, MixMonitor's files written by {@code recorder}. */
    CompletableFuture<Result> call(CallPlan plan, String callerNumber, String trackedNumber, Recorder recorder) {
        return new Call(plan, callerNumber, trackedNumber.replace("+", ""), recorder).start();
    }

    private void send(List<CallCapture.Event> events) {
        for (CallCapture.Event e : events) peer.send(e.name(), e.fields());
    }

    /** One call: its dialplan, its AGI session and its AMI stream, all on its channel's event loop once connected. */
    private final class Call extends SimpleChannelInboundHandler<String> {
        private final CallPlan plan;
        private final String callerNumber;
        private final String dialled;
        private final Recorder recorder;
        private final Map<String, String> variables = new HashMap<>();
        private final CallReplay replay;
        private final CompletableFuture<Result> done = new CompletableFuture<>();
        private final List<String> dialledTargets = new ArrayList<>();
        private final Instant created;
        private long t0;
        private long firstDial = -1;
        private Instant callerAnswered;
        private Instant ended;
        private MixMonitor mixMonitor;
        private boolean dead;
        private boolean agiEnded;
        private int attempts;
        private String error;

        Call(CallPlan plan, String callerNumber, String dialled, Recorder recorder) {
            this.plan = plan;
            this.callerNumber = callerNumber;
            this.dialled = dialled;
            this.recorder = recorder;
            this.replay = new CallReplay(library, primaries.get(plan.kind()),
                    new CallReplay.Caller(callerNumber, dialled, host + ":" + port), ids, variables, clock);
            this.created = clock.instant();
            // what the sample dialplan has set before AGI(), and what Asterisk resolves for GET VARIABLE
            variables.put("CALLTRACK_NUMBER", dialled);
            variables.put("AGISIGHUP", "yes");
            variables.put("CHANNEL", replay.agiChannel());
            variables.put("UNIQUEID", replay.agiUniqueid());
            variables.put("CHANNEL(linkedid)", replay.linkedid());
            variables.put("EXTEN", dialled);
            variables.put("CONTEXT", "calltrack-incoming");
            variables.put("CALLERID(num)", callerNumber);
            variables.put("CALLERID(name)", "Test Caller");
        }

        CompletableFuture<Result> start() {
            send(replay.start());
            t0 = System.nanoTime();
            bootstrap.connect(host, port).addListener((ChannelFutureListener) f -> {
                if (!f.isSuccess()) {
                    error = "connect: " + f.cause();
                    ended = clock.instant();
                    finish();
                    return;
                }
                Channel ch = f.channel();
                ch.pipeline().addLast(this);
                ch.eventLoop().schedule(() -> {
                    if (!agiEnded) {
                        error = "the FastAGI session was still open after " + SESSION_LIMIT.toSeconds() + " s";
                        ch.close();
                    }
                }, SESSION_LIMIT.toMillis(), TimeUnit.MILLISECONDS);
                ch.writeAndFlush(header());
            });
            return done;
        }

        private String header() {
            return "agi_network: yes\n"
                    + "agi_network_script: incoming\n"
                    + "agi_request: agi://" + host + ":" + port + "/incoming\n"
                    + "agi_channel: " + replay.agiChannel() + "\n"
                    + "agi_language: en\n"
                    + "agi_type: Local\n"
                    + "agi_uniqueid: " + replay.agiUniqueid() + "\n"
                    + "agi_version: 22.10.1\n"
                    + "agi_callerid: " + callerNumber + "\n"
                    + "agi_calleridname: Test Caller\n"
                    + "agi_callingpres: 0\n"
                    + "agi_callingani2: 0\n"
                    + "agi_callington: 0\n"
                    + "agi_callingtns: 0\n"
                    + "agi_dnid: unknown\n"
                    + "agi_rdnis: unknown\n"
                    + "agi_context: calltrack-incoming\n"
                    + "agi_extension: " + dialled + "\n"
                    + "agi_priority: 4\n"
                    + "agi_enhanced: 0.0\n"
                    + "agi_accountcode: \n"
                    + "agi_threadid: " + threadIds.incrementAndGet() + "\n"
                    + "agi_arg_1: " + dialled + "\n"
                    + "\n";
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, String line) {
            List<String> argv = FakeAsterisk.parseArgs(line);
            String verb = CallCapture.verb(line);
            if (verb.equals("EXEC DIAL") && firstDial < 0) firstDial = System.nanoTime() - t0;
            if (FakeAsterisk.runsOnDeadChannel(line).isEmpty()) {
                answer(ctx, line, "510 Invalid or unknown command");
            } else if (dead && !FakeAsterisk.runsOnDeadChannel(line).get()) {
                answer(ctx, line, FakeAsterisk.DEAD_CHANNEL);
            } else if (verb.equals("EXEC DIAL") && !dead) {
                dial(ctx, line, argv);
            } else {
                answer(ctx, line, reply(verb, argv));
            }
        }

        /** res_agi's reply to a command that does not wait on the channel. */
        private String reply(String verb, List<String> argv) {
            if (verb.startsWith("SET VARIABLE") && argv.size() == 4) {
                variables.put(argv.get(2), argv.get(3));
                return "200 result=1";
            }
            if (verb.startsWith("GET VARIABLE") && argv.size() == 3) {
                String value = variables.get(argv.get(2));
                return value == null ? "200 result=0" : "200 result=1 (" + value + ")";
            }
            if (verb.equals("GET FULL VARIABLE") && argv.size() >= 4) return "200 result=1 (" + substitute(argv.get(3)) + ")";
            if (verb.equals("EXEC MIXMONITOR")) {
                mixMonitor = MixMonitor.parse(argv.size() > 2 ? argv.get(2) : "");
                variables.put("MIXMONITOR_FILENAME", mixMonitor.mixed().toString());
                return "200 result=0";
            }
            if (verb.equals("EXEC DIAL")) return "200 result=-1"; // the caller is gone: Dial fails at once
            if (verb.startsWith("EXEC ANSWER") || verb.equals("ANSWER")) {
                if (callerAnswered == null) callerAnswered = clock.instant();
                return "200 result=0";
            }
            if (verb.startsWith("EXEC ")) return "200 result=0";
            if (verb.equals("CHANNEL STATUS")) return "200 result=" + (callerAnswered != null ? 6 : 4);
            if (verb.equals("VERBOSE")) return "200 result=1";
            if (verb.equals("GET DATA")) return "200 result= (timeout)";
            if (verb.equals("HANGUP")) return "200 result=1";
            return "200 result=0";
        }

        private void answer(ChannelHandlerContext ctx, String line, String reply) {
            send(replay.command(line, reply));
            ctx.write(reply + "\n");
            if (!dead && CallCapture.verb(line).equals("HANGUP")) {
                hangUp(); // the server hung the caller up: res_agi notices it on its next turn
                ctx.write("HANGUP\n");
            }
            ctx.flush();
        }

        private String substitute(String expression) {
            Matcher m = VARIABLE_REFERENCE.matcher(expression);
            StringBuilder out = new StringBuilder();
            while (m.find()) m.appendReplacement(out, Matcher.quoteReplacement(variables.getOrDefault(m.group(1), "")));
            m.appendTail(out);
            return out.toString();
        }

        /** EXEC Dial: rings the manager, then ends the way the plan says for this attempt. */
        private void dial(ChannelHandlerContext ctx, String line, List<String> argv) {
            String[] args = argv.size() > 2 ? argv.get(2).split(",", -1) : new String[] {""};
            String target = CallCapture.dialTarget(line);
            Duration timeout = Duration.ofSeconds(args.length > 1 && !args[1].isBlank() ? Long.parseLong(args[1].trim()) : 60);
            CallPlan.Attempt attempt = plan.attempt(attempts++);
            dialledTargets.add(target);
            for (String v : DIAL_VARIABLES) variables.put(v, "");
            // the manager's phone rings at once (Ringing() first, as in the captures): RINGTIME is 0
            variables.put("RINGTIME", "0");
            variables.put("RINGTIME_MS", "0");
            send(replay.dial(line, attempt.outcome()));
            switch (attempt.outcome()) {
                case NO_ANSWER -> later(ctx, timeout, () -> {
                    variables.put("DIALSTATUS", "NOANSWER");
                    dialEnds(ctx, "200 result=0");
                });
                case CALLER_GIVES_UP -> later(ctx, attempt.ring(), () -> {
                    variables.put("DIALSTATUS", "CANCEL");
                    hangUp();
                    dialEnds(ctx, "200 result=-1");
                });
                case ANSWERED_CALLER_HANGS_UP, ANSWERED_MANAGER_HANGS_UP -> later(ctx, attempt.ring(), () -> {
                    Instant now = clock.instant();
                    if (callerAnswered == null) callerAnswered = now; // Dial answers the caller with the manager
                    variables.put("DIALSTATUS", "ANSWER");
                    variables.put("DIALEDPEERNAME", replay.dialledChannel());
                    variables.put("DIALEDPEERNUMBER", target.substring("Local/".length()));
                    send(replay.dialProgress(null));
                    later(ctx, attempt.talk(), () -> {
                        Instant end = clock.instant();
                        duration("ANSWEREDTIME", Duration.between(callerAnswered, end));
                        duration("DIALEDTIME", Duration.between(created, end));
                        variables.put("DIALSTATUS", "ANSWER");
                        bridgeEnded();
                        if (attempt.outcome() == DialOutcome.ANSWERED_CALLER_HANGS_UP) hangUp();
                        else ended = end;
                        dialEnds(ctx, "200 result=-1");
                    });
                });
                default -> throw new IllegalStateException("no simulation for " + attempt.outcome());
            }
        }

        private void bridgeEnded() {
            if (mixMonitor == null) return;
            try {
                recorder.bridgeEnded(mixMonitor);
            } catch (IOException e) {
                if (error == null) error = "writing the recording: " + e;
            }
        }

        /** app_dial's set_duration_var: NAME in whole seconds, NAME_MS in milliseconds. */
        private void duration(String name, Duration d) {
            variables.put(name, String.valueOf(d.toMillis() / 1000));
            variables.put(name + "_MS", String.valueOf(d.toMillis()));
        }

        private void dialEnds(ChannelHandlerContext ctx, String reply) {
            while (replay.dialPhasesLeft() > 1) send(replay.dialProgress(null));
            send(replay.dialProgress(reply));
            ctx.write(reply + "\n");
            if (dead) ctx.write("HANGUP\n");
            ctx.flush();
        }

        private void hangUp() {
            if (dead) return;
            dead = true;
            ended = clock.instant();
        }

        private void later(ChannelHandlerContext ctx, Duration delay, Runnable step) {
            ctx.executor().schedule(() -> {
                if (!agiEnded) step.run();
            }, delay.toMillis(), TimeUnit.MILLISECONDS);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            agiEnded = true;
            if (firstDial < 0 && error == null) error = "the FastAGI session ended without a Dial";
            if (replay.dialPhasesLeft() > 0 && error == null) error = "the FastAGI session ended while Dial was running";
            send(replay.agiEnded(dead));
            if (ended == null) ended = clock.instant(); // the sample dialplan hangs up after the AGI
            finish();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            if (error == null) error = cause.toString();
            ctx.close();
        }

        private void finish() {
            done.complete(new Result(plan, callerNumber, firstDial, ended, List.copyOf(dialledTargets), error));
        }
    }

    @Override
    public void close() throws InterruptedException {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
    }
}
