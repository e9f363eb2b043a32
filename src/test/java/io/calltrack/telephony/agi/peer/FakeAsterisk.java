package io.calltrack.telephony.agi.peer;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A FastAGI client that behaves like Asterisk 18-22 (res_agi) on one channel: it connects, sends the header block in
 * Asterisk's order ending with an empty line (bare {@code \n}), then reads one command per line and answers as
 * res_agi does: arguments parsed with its quoting rules, unknown commands 510, usage errors as a 520 block, and once
 * the caller has hung up a {@code HANGUP} line followed by 511 for commands not allowed on a dead channel. The
 * channel rings (state 4) until {@code ANSWER} or {@code EXEC Answer}, as after a dialplan without {@code Answer()}
 * ({@link Builder#answered()} for one with it); prompts play and take digits only once it is up. It ends
 * when the server closes the socket (as Asterisk waits for), when Asterisk itself ends the AGI session after an
 * answered Dial the connection is lost ({@link Builder#connectionLostAfterDial()}), or after the read timeout.
 *
 * <pre>
 * FakeAsterisk.Transcript t = FakeAsterisk.call(port).script("incoming").callerId("5551234").dnid("5550100")
 *         .dialOutcome("PJSIP/101", "NOANSWER").dialOutcome("PJSIP/102", "ANSWER")
 *         .entersDigits("1234#").hangsUpAtStep(5)
 *         .run();
 * t.commands();          // every command line received, in order
 * t.variables();         // channel variables at the end
 * t.closedByServer();    // the server closed the socket
 * </pre>
 */
public final class FakeAsterisk {
    public static final String DEAD_CHANNEL = "511 Command Not Permitted on a dead channel or intercept routine";

    /** res_agi's command table: words and whether the command may run on a dead (hung up) channel. */
    private static final List<KnownCommand> COMMANDS = List.of(
            new KnownCommand("answer", false), new KnownCommand("asyncagi break", true),
            new KnownCommand("channel status", false), new KnownCommand("database del", true),
            new KnownCommand("database deltree", true), new KnownCommand("database get", true),
            new KnownCommand("database put", true), new KnownCommand("exec", true),
            new KnownCommand("get data", false), new KnownCommand("get full variable", true),
            new KnownCommand("get option", false), new KnownCommand("get variable", true),
            new KnownCommand("hangup", false), new KnownCommand("noop", true),
            new KnownCommand("receive char", false), new KnownCommand("receive text", false),
            new KnownCommand("record file", false), new KnownCommand("say alpha", false),
            new KnownCommand("say digits", false), new KnownCommand("say number", false),
            new KnownCommand("say phonetic", false), new KnownCommand("say date", false),
            new KnownCommand("say time", false), new KnownCommand("say datetime", false),
            new KnownCommand("send image", false), new KnownCommand("send text", false),
            new KnownCommand("set autohangup", false), new KnownCommand("set callerid", false),
            new KnownCommand("set context", false), new KnownCommand("set extension", false),
            new KnownCommand("set music", false), new KnownCommand("set priority", false),
            new KnownCommand("set variable", true), new KnownCommand("stream file", false),
            new KnownCommand("control stream file", false), new KnownCommand("tdd mode", false),
            new KnownCommand("verbose", true), new KnownCommand("wait for digit", false));
    /** Applications this fake knows; EXEC of any other answers -2 as Asterisk does for a missing application. */
    private static final List<String> APPLICATIONS = List.of("dial", "mixmonitor", "stopmixmonitor", "set", "noop",
            "answer", "playback", "background", "voicemail", "hangup", "wait", "ringing", "progress");
    private static final Pattern VARIABLE_REFERENCE = Pattern.compile("\\$\\{([^}]*)}");

    private record KnownCommand(List<String> words, boolean allowedWhenDead) {
        KnownCommand(String words, boolean allowedWhenDead) {
            this(List.of(words.split(" ")), allowedWhenDead);
        }
    }

    /** Everything the call saw. {@code lines} is the whole conversation after the header, prefixed "> " (received) and "< " (sent). */
    public record Transcript(List<String> commands, List<String> lines, Map<String, String> variables,
                             boolean hungUp, boolean closedByServer) {}

    /**
     * A broken Asterisk (or something else on its port) for fuzz tests: given the {@code step}-th command (1-based)
     * and the lines res_agi would answer, the bytes actually sent back (the faithful answer is each line plus
     * {@code \n}).
     */
    @FunctionalInterface
    public interface ReplyFault {
        byte[] reply(int step, String command, List<String> faithful);
    }

    private final String host;
    private final int port;
    private final Map<String, String> headers;
    private final Map<String, String> dialOutcomes;
    private final Deque<String> digitEntries;
    private final int hangupAtStep;
    private final boolean calleeHangsUpFirst;
    private final boolean connectionLostAfterDial;
    private boolean hangupAfterNextCommand;
    private final Duration talk;
    private final Duration readTimeout;
    private final Set<String> missingSounds;
    private final byte[] rawHeaderBlock;
    private final ReplyFault replyFault;
    /** The faithful reply lines to the command being answered, while a {@link ReplyFault} may replace them. */
    private List<String> replyLines;

    private final Map<String, String> variables = new LinkedHashMap<>();
    private final List<String> commands = new ArrayList<>();
    private final List<String> lines = new ArrayList<>();
    private boolean dead;
    private boolean up;
    private boolean agiEnded;
    private OutputStream out;

    private FakeAsterisk(Builder b) {
        this.host = b.host;
        this.port = b.port;
        this.headers = new LinkedHashMap<>(b.headers);
        this.dialOutcomes = Map.copyOf(b.dialOutcomes);
        this.digitEntries = new ArrayDeque<>(b.digitEntries);
        this.hangupAtStep = b.hangupAtStep;
        this.calleeHangsUpFirst = b.calleeHangsUpFirst;
        this.connectionLostAfterDial = b.connectionLostAfterDial;
        this.talk = b.talk;
        this.readTimeout = b.readTimeout;
        this.missingSounds = Set.copyOf(b.missingSounds);
        this.rawHeaderBlock = b.rawHeaderBlock;
        this.replyFault = b.replyFault;
        this.up = b.answered;
        variables.put("CHANNEL", headers.get("agi_channel"));
        variables.put("UNIQUEID", headers.get("agi_uniqueid"));
    }

    /** A call on Asterisk's side, to be sent to the FastAGI server on {@code 127.0.0.1:port}. */
    public static Builder call(int port) {
        return new Builder("127.0.0.1", port);
    }

    /** Runs the call on a thread of its own (for concurrent calls). */
    public CompletableFuture<Transcript> start() {
        return CompletableFuture.supplyAsync(this::run, runnable -> {
            Thread t = new Thread(runnable, "fake-asterisk-" + headers.get("agi_uniqueid"));
            t.setDaemon(true);
            t.start();
        });
    }

    /** Connects, sends the header block, answers commands until the server closes the socket or the read timeout. */
    public Transcript run() {
        try (Socket socket = new Socket(host, port)) {
            socket.setSoTimeout((int) readTimeout.toMillis());
            out = socket.getOutputStream();
            out.write(rawHeaderBlock != null ? rawHeaderBlock : headerBlock(headers));
            out.flush();
            InputStream in = socket.getInputStream();
            boolean closedByServer;
            try {
                String line;
                while (!agiEnded && (line = readLine(in)) != null) {
                    lines.add("> " + line);
                    commands.add(line);
                    answerThroughFault(line);
                }
                closedByServer = !agiEnded;
            } catch (SocketTimeoutException e) {
                closedByServer = false;
            } catch (IOException e) { // reset by the server: it closed too
                closedByServer = true;
            }
            return new Transcript(List.copyOf(commands), List.copyOf(lines),
                    Collections.unmodifiableMap(new LinkedHashMap<>(variables)), dead, closedByServer);
        } catch (IOException e) {
            throw new UncheckedIOException("FakeAsterisk could not talk to 127.0.0.1:" + port, e);
        }
    }

    private static byte[] headerBlock(Map<String, String> headers) {
        StringBuilder block = new StringBuilder();
        headers.forEach((name, value) -> block.append(name).append(": ").append(value).append('\n'));
        block.append('\n');
        return block.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Answers as res_agi does; with a {@link ReplyFault}, what it makes of that answer goes out instead. */
    private void answerThroughFault(String line) throws IOException {
        if (replyFault == null) {
            answer(line);
            return;
        }
        replyLines = new ArrayList<>();
        answer(line);
        List<String> faithful = List.copyOf(replyLines);
        replyLines = null;
        byte[] sent = replyFault.reply(commands.size(), line, faithful);
        lines.add("< " + new String(sent, StandardCharsets.UTF_8));
        out.write(sent);
        out.flush();
    }

    private void answer(String line) throws IOException {
        List<String> argv = parseArgs(line);
        int step = commands.size();
        KnownCommand command = find(argv);
        if (step == hangupAtStep && !dead) {
            if (command != null && interruptedByHangup(command, argv)) {
                return;
            }
            hangup();
        }
        if (command == null) {
            send("510 Invalid or unknown command");
        } else if (dead && !command.allowedWhenDead()) {
            send(DEAD_CHANNEL);
        } else {
            run(command, argv);
            boolean read = command.words().get(0).equals("get") && command.words().contains("variable");
            if (hangupAfterNextCommand && !read && !command.words().equals(List.of("exec"))) hangup();
        }
    }

    /** The caller hangs up during a command that waits on the channel: it ends with -1, then HANGUP follows. */
    private boolean interruptedByHangup(KnownCommand command, List<String> argv) throws IOException {
        String name = String.join(" ", command.words());
        if (name.equals("exec") && argv.size() > 1 && argv.get(1).equalsIgnoreCase("dial")) {
            variables.put("DIALSTATUS", "CANCEL");
            send("200 result=-1");
        } else if (name.equals("get data") || name.equals("wait for digit")) {
            send("200 result=-1");
        } else if (name.equals("stream file")) {
            send("200 result=-1 endpos=0");
        } else {
            return false;
        }
        hangup();
        return true;
    }

    private void run(KnownCommand command, List<String> argv) throws IOException {
        int argc = argv.size();
        switch (String.join(" ", command.words())) {
            case "answer" -> answerCall();
            case "noop" -> send("200 result=0");
            case "channel status" -> send("200 result=" + (up ? 6 : 4)); // AST_STATE_UP, or RING before an answer
            case "set variable" -> {
                if (argc != 4) {
                    usage("Usage: SET VARIABLE <variablename> <value>");
                    return;
                }
                variables.put(argv.get(2), argv.get(3));
                send("200 result=1");
            }
            case "get variable" -> {
                if (argc != 3) {
                    usage("Usage: GET VARIABLE <variablename>");
                    return;
                }
                String value = variables.get(argv.get(2));
                send(value == null ? "200 result=0" : "200 result=1 (" + value + ")");
            }
            case "get full variable" -> {
                if (argc < 4) {
                    usage("Usage: GET FULL VARIABLE <variablename> [<channel name>]");
                    return;
                }
                send("200 result=1 (" + substitute(argv.get(3)) + ")");
            }
            case "exec" -> {
                if (argc < 2) {
                    usage("Usage: EXEC <application> <options>");
                    return;
                }
                exec(argv.get(1), argc > 2 ? argv.get(2) : "");
            }
            case "get data" -> {
                if (argc < 3 || argc > 5) {
                    usage("Usage: GET DATA <file to be streamed> [timeout] [max digits]");
                    return;
                }
                getData(argv.get(2), argc > 4 ? Integer.parseInt(argv.get(4)) : 1024);
            }
            case "stream file" -> {
                if (argc < 4 || argc > 5) {
                    usage("Usage: STREAM FILE <filename> <escape digits> [sample offset]");
                    return;
                }
                send("200 result=0 endpos=16000");
            }
            case "verbose" -> {
                if (argc < 2) {
                    usage("Usage: VERBOSE <message> <level>");
                    return;
                }
                send("200 result=1");
            }
            case "hangup" -> {
                send("200 result=1");
                hangup(); // res_agi notices the soft hangup on its next loop and writes HANGUP
            }
            default -> send("200 result=0");
        }
    }

    private void exec(String application, String data) throws IOException {
        String app = application.toLowerCase(Locale.ROOT);
        if (!APPLICATIONS.contains(app)) {
            send("200 result=-2");
            return;
        }
        if (dead) { // applications on a hung up channel fail at once
            if (app.equals("dial")) {
                variables.put("DIALSTATUS", "CANCEL");
            }
            send("200 result=-1");
            return;
        }
        switch (app) {
            case "dial" -> {
                String target = data.split(",", -1)[0];
                String outcome = dialOutcomes.getOrDefault(target, "CHANUNAVAIL");
                // app_dial clears its outcome variables when it starts and sets them as the dial ends
                List.of("DIALEDPEERNAME", "ANSWEREDTIME", "ANSWEREDTIME_MS", "DIALEDTIME", "DIALEDTIME_MS")
                        .forEach(variables::remove);
                variables.put("DIALSTATUS", outcome);
                if (outcome.equals("ANSWER")) {
                    // the first target of a ring-all answers; its channel gets Asterisk's -<sequence> suffix
                    variables.put("DIALEDPEERNAME", target.split("&")[0] + "-0000002a");
                    variables.put("ANSWEREDTIME", Long.toString(talk.toSeconds()));
                    variables.put("ANSWEREDTIME_MS", Long.toString(talk.toMillis()));
                    // after the conversation Dial returns -1 (without its g option). If the caller hung up, res_agi
                    // writes HANGUP. If the callee did (seen on Asterisk 22), the session goes on: variable reads
                    // answer, and HANGUP follows the next command that is not one.
                    send("200 result=-1");
                    if (connectionLostAfterDial) {
                        agiEnded = true;
                    } else if (calleeHangsUpFirst) {
                        hangupAfterNextCommand = true;
                    } else {
                        hangup();
                    }
                } else {
                    send("200 result=0");
                }
            }
            case "mixmonitor" -> {
                variables.put("MIXMONITOR_FILENAME", data.split(",", -1)[0]);
                send("200 result=0");
            }
            case "answer" -> answerCall();
            case "set" -> {
                int eq = data.indexOf('=');
                if (eq > 0) {
                    variables.put(data.substring(0, eq), data.substring(eq + 1));
                }
                send("200 result=0");
            }
            default -> send("200 result=0");
        }
    }

    /** ANSWER and EXEC Answer: the channel is up, so from now on the caller hears prompts and keys reach us. */
    private void answerCall() throws IOException {
        up = true;
        send("200 result=0");
    }

    /**
     * The next scripted entry; '#' ends it early, max digits end it, otherwise it times out with what was typed.
     * A sound Asterisk does not have fails at once with -1. On a channel nobody answered the caller hears nothing
     * and keys reach no one: Asterisk answers a timeout with no digits (after the timeout; this fake at once).
     */
    private void getData(String file, int maxDigits) throws IOException {
        if (missingSounds.contains(file)) {
            send("200 result=-1"); // "File ... does not exist in any format" on Asterisk's console
            return;
        }
        if (!up) {
            send("200 result= (timeout)");
            return;
        }
        String keys = digitEntries.isEmpty() ? "" : digitEntries.poll();
        int hash = keys.indexOf('#');
        if (hash >= 0 && hash <= maxDigits) {
            send("200 result=" + keys.substring(0, hash));
        } else if (keys.length() >= maxDigits) {
            send("200 result=" + keys.substring(0, maxDigits));
        } else {
            send("200 result=" + keys + " (timeout)");
        }
    }

    private String substitute(String expression) {
        Matcher m = VARIABLE_REFERENCE.matcher(expression);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(out, Matcher.quoteReplacement(variables.getOrDefault(m.group(1), "")));
        }
        m.appendTail(out);
        return out.toString();
    }

    private void usage(String usage) throws IOException {
        send("520-Invalid command syntax.  Proper usage follows:");
        send(usage);
        send("520 End of proper usage.");
    }

    private void hangup() throws IOException {
        if (!dead) {
            dead = true;
            send("HANGUP");
        }
    }

    private void send(String line) throws IOException {
        if (replyLines != null) {
            replyLines.add(line);
            return;
        }
        lines.add("< " + line);
        out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    /**
     * How res_agi treats the command line on a channel whose caller has hung up: empty for a command it does not know
     * (510), true when it still runs it (GET VARIABLE, SET VARIABLE, EXEC, ...), false when it answers 511.
     */
    public static Optional<Boolean> runsOnDeadChannel(String line) {
        return Optional.ofNullable(find(parseArgs(line))).map(KnownCommand::allowedWhenDead);
    }

    /** res_agi's find_command: the first table entry whose words start the command, case-insensitively. */
    private static KnownCommand find(List<String> argv) {
        for (KnownCommand c : COMMANDS) {
            if (argv.size() >= c.words().size() && matches(c.words(), argv)) {
                return c;
            }
        }
        return null;
    }

    private static boolean matches(List<String> words, List<String> argv) {
        for (int i = 0; i < words.size(); i++) {
            if (!words.get(i).equalsIgnoreCase(argv.get(i))) {
                return false;
            }
        }
        return true;
    }

    /** res_agi's parse_args: blanks separate words, double quotes group, a backslash makes the next char literal. */
    public static List<String> parseArgs(String line) {
        List<String> argv = new ArrayList<>();
        StringBuilder cur = null;
        boolean quoted = false;
        boolean escaped = false;
        for (char c : line.toCharArray()) {
            if (c == '"' && !escaped) {
                quoted = !quoted;
                if (quoted && cur == null) {
                    cur = new StringBuilder();
                }
            } else if ((c == ' ' || c == '\t') && !quoted && !escaped) {
                if (cur != null) {
                    argv.add(cur.toString());
                    cur = null;
                }
            } else if (c == '\\' && !escaped) {
                escaped = true;
                continue;
            } else {
                if (cur == null) {
                    cur = new StringBuilder();
                }
                cur.append(c);
            }
            escaped = false;
        }
        if (cur != null) {
            argv.add(cur.toString());
        }
        return argv;
    }

    /** Lines end at {@code \n} only, as res_agi's fgets reads them. */
    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != -1) {
            if (b == '\n') {
                return line.toString(StandardCharsets.UTF_8);
            }
            line.write(b);
        }
        return line.size() == 0 ? null : line.toString(StandardCharsets.UTF_8);
    }

    /** Header values default to a realistic inbound PJSIP trunk call on Asterisk 22. */
    public static final class Builder {
        private final String host;
        private final int port;
        private final Map<String, String> headers = new LinkedHashMap<>();
        private final Map<String, String> dialOutcomes = new HashMap<>();
        private final List<String> digitEntries = new ArrayList<>();
        private int hangupAtStep = -1;
        private boolean calleeHangsUpFirst;
        private boolean connectionLostAfterDial;
        private Duration talk = Duration.ofSeconds(42);
        private Duration readTimeout = Duration.ofSeconds(10);
        private List<String> args = List.of();
        private final Set<String> missingSounds = new HashSet<>();
        private boolean answered;
        private byte[] rawHeaderBlock;
        private ReplyFault replyFault;

        private Builder(String host, int port) {
            this.host = host;
            this.port = port;
            headers.put("agi_network", "yes");
            headers.put("agi_network_script", "incoming");
            headers.put("agi_request", "agi://" + host + ":" + port + "/incoming");
            headers.put("agi_channel", "PJSIP/trunk-00000003");
            headers.put("agi_language", "en");
            headers.put("agi_type", "PJSIP");
            headers.put("agi_uniqueid", "1795382012.7");
            headers.put("agi_version", "22.10.1");
            headers.put("agi_callerid", "5551234");
            headers.put("agi_calleridname", "unknown");
            headers.put("agi_callingpres", "0");
            headers.put("agi_callingani2", "0");
            headers.put("agi_callington", "0");
            headers.put("agi_callingtns", "0");
            headers.put("agi_dnid", "5550100");
            headers.put("agi_rdnis", "unknown");
            headers.put("agi_context", "calltrack-incoming");
            headers.put("agi_extension", "5550100");
            headers.put("agi_priority", "2");
            headers.put("agi_enhanced", "0.0");
            headers.put("agi_accountcode", "");
            headers.put("agi_threadid", "140536457201408");
        }

        /** The path after {@code host:port/}: sets agi_network_script and agi_request as Asterisk does. */
        public Builder script(String path) {
            headers.put("agi_network_script", path);
            headers.put("agi_request", "agi://" + host + ":" + port + "/" + path);
            return this;
        }

        public Builder channel(String channel) {
            return header("agi_channel", channel);
        }

        public Builder uniqueId(String uniqueId) {
            return header("agi_uniqueid", uniqueId);
        }

        /** {@code unknown} for an anonymous caller, as Asterisk sends it. */
        public Builder callerId(String number) {
            return header("agi_callerid", number);
        }

        public Builder callerIdName(String name) {
            return header("agi_calleridname", name);
        }

        /** The dialled tracked number; {@code unknown} when the channel has none. */
        public Builder dnid(String dnid) {
            return header("agi_dnid", dnid);
        }

        public Builder extension(String extension) {
            return header("agi_extension", extension);
        }

        public Builder context(String context) {
            return header("agi_context", context);
        }

        /** Any header by its wire name; keeps Asterisk's order for the known ones. */
        public Builder header(String name, String value) {
            headers.put(name, value);
            return this;
        }

        /** The AGI() arguments, sent as agi_arg_1..N after agi_threadid. */
        public Builder args(String... values) {
            this.args = List.of(values);
            return this;
        }

        /** What Dial to {@code dialString} (its first target, e.g. {@code PJSIP/101}) ends in; others: CHANUNAVAIL. */
        public Builder dialOutcome(String dialString, String dialStatus) {
            dialOutcomes.put(dialString, dialStatus);
            return this;
        }

        /** Keys the caller presses at the next GET DATA, e.g. {@code "1234"} or {@code "12#"}; "" lets it time out. */
        public Builder entersDigits(String keys) {
            digitEntries.add(keys);
            return this;
        }

        /** The dialplan ran {@code Answer()} before {@code AGI()}: the channel is up from the start. */
        public Builder answered() {
            this.answered = true;
            return this;
        }

        /** Asterisk has no sound file {@code name} (e.g. {@code calltrack/enter-track-id}) in any format. */
        public Builder missingSound(String name) {
            missingSounds.add(name);
            return this;
        }

        /** The caller hangs up while the server's {@code step}-th command (1-based) is being handled. */
        public Builder hangsUpAtStep(int step) {
            this.hangupAtStep = step;
            return this;
        }

        /** How long an answered Dial's conversation lasted, as app_dial reports it in ANSWEREDTIME(_MS) (default 42 s). */
        public Builder talks(Duration talk) {
            this.talk = talk;
            return this;
        }

        /**
         * An answered Dial ends with the manager hanging up first. As Asterisk 22 does: Dial answers -1, the AGI
         * session goes on (variable reads answer), and HANGUP follows the next command that is not a read.
         */
        public Builder calleeHangsUpFirst() {
            this.calleeHangsUpFirst = true;
            return this;
        }

        /** The connection to calltrack is lost the moment an answered Dial returns (a network fault, not Asterisk). */
        public Builder connectionLostAfterDial() {
            this.connectionLostAfterDial = true;
            return this;
        }

        /** How long to wait for the server's next command or its close before giving up (default 10 s). */
        public Builder readTimeout(Duration timeout) {
            this.readTimeout = timeout;
            return this;
        }

        /** The header block as Asterisk would send it for this call (with the agi_arg_N lines). */
        public byte[] headerBlock() {
            Map<String, String> all = new LinkedHashMap<>(headers);
            for (int i = 0; i < args.size(); i++) {
                all.put("agi_arg_" + (i + 1), args.get(i));
            }
            return FakeAsterisk.headerBlock(all);
        }

        /** Sends {@code bytes} instead of the header block (something that is not quite Asterisk). */
        public Builder rawHeaderBlock(byte[] bytes) {
            this.rawHeaderBlock = bytes.clone();
            return this;
        }

        /** Answers commands through {@code fault} (see {@link ReplyFault}). */
        public Builder replyFault(ReplyFault fault) {
            this.replyFault = fault;
            return this;
        }

        public FakeAsterisk build() {
            for (int i = 0; i < args.size(); i++) {
                headers.put("agi_arg_" + (i + 1), args.get(i));
            }
            return new FakeAsterisk(this);
        }

        public Transcript run() {
            return build().run();
        }

        public CompletableFuture<Transcript> start() {
            return build().start();
        }
    }
}
