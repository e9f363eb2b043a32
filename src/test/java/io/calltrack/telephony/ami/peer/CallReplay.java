package io.calltrack.telephony.ami.peer;

import io.calltrack.telephony.agi.peer.FakeAsterisk;
import io.calltrack.telephony.ami.peer.CallCapture.Block;
import io.calltrack.telephony.ami.peer.CallCapture.Channel;
import io.calltrack.telephony.ami.peer.CallCapture.DialOutcome;
import io.calltrack.telephony.ami.peer.CallCapture.Event;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Replays real Asterisk 22 call streams ({@link CallCapture}) for a new call, step by step as a FastAGI session and a
 * simulated clock drive it: every event of the capture, noise included, in the capture's order, with the new call's
 * identity: fresh Uniqueids/Linkedid and channel names ({@code -0000xxxx} sequence numbers), its caller and tracked
 * number, the commands the FastAGI server really sent and the replies it got, the values it really set (VarSet of
 * {@code CALLTRACK_CALL_ID}), the dial variables the simulation holds, and timestamps on the replay's clock.
 *
 * <pre>
 * replay.start()                                  // at the call's start: the dialplan up to AGI()
 * replay.command("SET VARIABLE CALLTRACK_CALL_ID \"42\"", "200 result=1")
 * replay.dial("EXEC Dial \"Local/2001@managers,20\"", ANSWERED_CALLER_HANGS_UP)   // it rings
 * replay.dialProgress(null)                       // answered, bridged
 * replay.dialProgress("200 result=-1")            // the caller hung up: Dial returns
 * replay.command("GET VARIABLE DIALSTATUS", "200 result=1 (ANSWER)")
 * replay.agiEnded(true)                           // the server closed the socket
 * </pre>
 * Each step returns the events to send now. A command is replayed with the first block of the same kind in the
 * call's own capture (then in the others of the library); one no capture has is replayed with a bare
 * AGIExecStart/AGIExecEnd (and its VarSet for SET VARIABLE). The managers are Local channels, as in the captures.
 * Not thread-safe: one call is driven by one thread at a time.
 */
public final class CallReplay {
    private static final DateTimeFormatter CDR_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT)
            .withZone(ZoneOffset.UTC);
    private static final Set<String> EXTEN_FIELDS = Set.of("Exten", "DestExten", "LocalOneExten", "LocalTwoExten",
            "Destination", "Extension");

    /** Identifiers one simulated Asterisk hands out; they only grow, as Asterisk's do. */
    public static final class Ids {
        private final AtomicLong uniqueids;
        private final AtomicLong channels;
        private final AtomicLong originates = new AtomicLong();

        /** Counters that start at {@code first}, as on an Asterisk that has run a while. */
        public Ids(long first) {
            uniqueids = new AtomicLong(first);
            channels = new AtomicLong(first);
        }

        String uniqueid(Instant now) {
            return now.getEpochSecond() + "." + uniqueids.getAndIncrement();
        }

        String channelSequence() {
            return String.format(Locale.ROOT, "%08x", channels.getAndIncrement());
        }

        String originateActionId() {
            return "orig-" + originates.incrementAndGet();
        }
    }

    /**
     * The new call: {@code callerNumber} as Asterisk shows the caller ({@code +16175550123}), {@code dialledNumber}
     * the extension the call arrives on ({@code 13125550001}), {@code agiAddress} the {@code host:port} of AGI().
     */
    public record Caller(String callerNumber, String dialledNumber, String agiAddress) {}

    private final List<CallCapture> library;
    private final CallCapture primary;
    private final Caller caller;
    private final Ids ids;
    private final Map<String, String> variables;
    private final Clock clock;
    private final String linkedid;
    private final String agiUniqueid;
    private final String callerOneName;
    private final String agiChannel;
    private final Map<CallCapture, Map<String, String>> callTokens = new HashMap<>();
    private final Map<String, String> bridges = new HashMap<>();
    private final Map<String, Instant[]> channelTimes = new HashMap<>();
    private final Map<String, String> lastDialData = new HashMap<>();
    private int blockCursor;
    private Block current;
    private int currentPhase;
    private Map<String, String> currentTokens;
    private String currentCommand;
    private String currentReply;
    private String currentCommandId;
    /** A SET VARIABLE block replayed for a live one: the captured variable's name, and the live name and value. */
    private Map<String, String[]> setVariable = Map.of();
    /** A Dial block replayed for a live one: the captured manager's extension and the live one. */
    private Map<String, String> renamedExten = Map.of();
    private String dialledChannel;

    /**
     * @param library   every capture that may serve a step, in order of preference
     * @param primary   the capture of this kind of call (one of the library): its blocks are used first
     * @param variables the AGI channel's variables as the simulation holds them; VarSet events of the AGI channel
     *                  carry their value at the moment the event is produced
     */
    public CallReplay(List<CallCapture> library, CallCapture primary, Caller caller, Ids ids,
                      Map<String, String> variables, Clock clock) {
        this.library = List.copyOf(library);
        this.primary = primary;
        this.caller = caller;
        this.ids = ids;
        this.variables = variables;
        this.clock = clock;
        Instant now = clock.instant();
        String sequence = ids.channelSequence();
        this.linkedid = ids.uniqueid(now);
        this.agiUniqueid = ids.uniqueid(now);
        this.callerOneName = callerName(primary.callerOne(), primary, sequence);
        this.agiChannel = callerName(primary.callerTwo(), primary, sequence);
    }

    /** The Uniqueid of the caller's first channel: the call's Linkedid. */
    public String linkedid() {
        return linkedid;
    }

    /** {@code agi_uniqueid}: the Uniqueid of the channel that runs the AGI. */
    public String agiUniqueid() {
        return agiUniqueid;
    }

    /** {@code agi_channel}, e.g. {@code Local/13125550001@calltrack-incoming-0000002a;2}. */
    public String agiChannel() {
        return agiChannel;
    }

    /** The dialled half of the current Dial ({@code Local/2001@managers-0000002b;1}): DIALEDPEERNAME once it answers. */
    public String dialledChannel() {
        return dialledChannel;
    }

    /** The dialplan from the caller's first channel up to AGI(). */
    public List<Event> start() {
        return emit(primary.setup(), tokensOf(primary));
    }

    /** A command Asterisk answers at once ({@code reply}, e.g. {@code 200 result=1}): its whole block. */
    public List<Event> command(String line, String reply) {
        String verb = CallCapture.verb(line);
        // a Dial answered at once (the caller is gone, or Dial itself failed) rings nobody: no captured Dial fits
        Block block = verb.equals("EXEC DIAL") ? null : find(b -> b.verb().equals(verb))
                .or(() -> find(b -> b.verb().startsWith("SET VARIABLE") && verb.startsWith("SET VARIABLE")))
                .orElse(null);
        begin(line, block, tokensOfBlock(block));
        currentReply = reply;
        if (block == null) return bare(line, verb);
        List<Event> out = new ArrayList<>();
        while (currentPhase < current.phases().size()) out.addAll(nextPhase());
        return out;
    }

    /** {@code EXEC Dial} that will end as {@code outcome}: what happens until the dialled phone rings. */
    public List<Event> dial(String line, DialOutcome outcome) {
        Block block = find(b -> outcome == b.outcome())
                .orElseThrow(() -> new IllegalArgumentException("no capture has a Dial that ends " + outcome));
        String target = CallCapture.dialTarget(line);
        if (!target.startsWith("Local/")) {
            throw new IllegalArgumentException("the captures dial Local channels, not " + target);
        }
        // the manager's channels are new for this call, and keep their names in what follows (the caller's Cdr)
        Map<String, String> callLevel = tokensOf(captureOf(block));
        String sequence = ids.channelSequence();
        for (Event c : block.channels()) {
            Channel ch = new Channel(c.get("Channel"), c.get("Uniqueid"));
            String name = target + "-" + sequence + ch.name().substring(ch.name().lastIndexOf(';'));
            callLevel.put(ch.name(), name);
            callLevel.put(ch.uniqueid(), ids.uniqueid(clock.instant()));
            if (name.endsWith(";1")) dialledChannel = name;
        }
        Map<String, String> tokens = new HashMap<>(callLevel);
        tokens.put(block.dialTarget(), target);
        tokens.put(block.dialTarget().substring("Local/".length()), target.substring("Local/".length()));
        renamedExten = Map.of(exten(block.dialTarget()), exten(target));
        begin(line, block, tokens);
        List<String> args = FakeAsterisk.parseArgs(line);
        lastDialData.put(agiUniqueid, args.size() > 2 ? args.get(2) : "");
        return nextPhase();
    }

    /** How many steps of the current Dial are still to come ({@link #dialProgress}). */
    public int dialPhasesLeft() {
        return current == null ? 0 : current.phases().size() - currentPhase;
    }

    /**
     * The Dial's next step: answered and bridged, or over. {@code reply} is what Asterisk answers the EXEC Dial with
     * when this step ends it (null while it goes on).
     */
    public List<Event> dialProgress(String reply) {
        if (dialPhasesLeft() == 0) throw new IllegalStateException("no Dial in progress");
        currentReply = reply;
        return nextPhase();
    }

    /**
     * The FastAGI server closed the socket: AGISTATUS and what the dialplan does next. {@code callerGone}: the caller
     * had hung up (AGISTATUS=HANGUP, the channel goes); else AGISTATUS=SUCCESS and the sample dialplan ends the call.
     */
    public List<Event> agiEnded(boolean callerGone) {
        String status = callerGone ? "HANGUP" : "SUCCESS";
        CallCapture from = primary.agiStatus().equals(status) ? primary : library.stream()
                .filter(c -> c.agiStatus().equals(status)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no capture ends its AGI with AGISTATUS " + status));
        current = null;
        renamedExten = Map.of();
        return emit(from.afterAgi(), tokensOf(from));
    }

    // ---- steps ----

    private void begin(String line, Block block, Map<String, String> tokens) {
        current = block;
        currentPhase = 0;
        currentTokens = tokens;
        currentCommand = line;
        currentReply = null;
        currentCommandId = String.valueOf(ThreadLocalRandom.current().nextInt(Integer.MAX_VALUE));
        setVariable = Map.of();
        if (block != null && block.verb().startsWith("SET VARIABLE")) {
            setVariable = Map.of(FakeAsterisk.parseArgs(block.command()).get(2), setArgs(line));
        }
        if (block != null) blockCursor = Math.max(blockCursor, blockIndex(block) + 1);
    }

    private List<Event> nextPhase() {
        return emit(current.phases().get(currentPhase++), currentTokens);
    }

    /** A command no capture shows: AGIExecStart, its VarSet for SET VARIABLE, AGIExecEnd. */
    private List<Event> bare(String line, String verb) {
        Block template = primary.blocks().get(0);
        Event start = template.phases().get(0).get(0);
        Event end = template.events().stream().filter(e -> e.name().equals("AGIExecEnd")).findFirst().orElseThrow();
        List<Event> events = new ArrayList<>(List.of(start));
        if (verb.startsWith("SET VARIABLE")) {
            Event varSet = library.stream().flatMap(c -> c.blocks().stream())
                    .filter(b -> b.verb().startsWith("SET VARIABLE")).flatMap(b -> b.events().stream())
                    .filter(e -> e.name().equals("VarSet")).findFirst().orElseThrow();
            setVariable = Map.of(varSet.get("Variable"), setArgs(line));
            events.add(varSet);
        }
        events.add(end);
        return emit(events, tokensOf(primary));
    }

    /** The name and value of {@code SET VARIABLE NAME "value"}. */
    private static String[] setArgs(String line) {
        List<String> args = FakeAsterisk.parseArgs(line);
        return new String[] {args.get(2), args.size() > 3 ? args.get(3) : ""};
    }

    private Optional<Block> find(Predicate<Block> p) {
        List<Block> own = primary.blocks();
        for (int i = blockCursor; i < own.size(); i++) if (p.test(own.get(i))) return Optional.of(own.get(i));
        for (CallCapture c : library) {
            for (Block b : c.blocks()) if (p.test(b)) return Optional.of(b);
        }
        return Optional.empty();
    }

    private int blockIndex(Block block) {
        return primary.blocks().indexOf(block);
    }

    private CallCapture captureOf(Block block) {
        return library.stream().filter(c -> c.blocks().contains(block)).findFirst().orElse(primary);
    }

    private Map<String, String> tokensOfBlock(Block block) {
        return block == null ? tokensOf(primary) : tokensOf(captureOf(block));
    }

    /** What of a capture names the call (its caller's channels, ids, numbers, AGI address) and what it becomes. */
    private Map<String, String> tokensOf(CallCapture c) {
        return callTokens.computeIfAbsent(c, k -> {
            Map<String, String> t = new HashMap<>();
            t.put(c.callerOne().name(), callerOneName);
            t.put(c.callerTwo().name(), agiChannel);
            t.put(c.callerOne().uniqueid(), linkedid);
            t.put(c.callerTwo().uniqueid(), agiUniqueid);
            t.put(c.callerNumber(), caller.callerNumber());
            t.put(c.dialledNumber(), caller.dialledNumber());
            t.put(c.agiAddress(), caller.agiAddress());
            // channels the dialplan creates outside the AGI's Dial (the dialplan Dial of ami-routed-call.txt)
            for (Event e : c.afterAgi()) {
                if (e.name().equals("Newchannel")) {
                    t.put(e.get("Uniqueid"), ids.uniqueid(clock.instant()));
                    Channel ch = new Channel(e.get("Channel"), e.get("Uniqueid"));
                    t.put(ch.name(), ch.name().replace("-" + ch.sequence() + ";", "-" + ids.channelSequence() + ";"));
                }
            }
            return t;
        });
    }

    private String callerName(Channel captured, CallCapture c, String sequence) {
        return captured.name().replace(c.dialledNumber(), caller.dialledNumber())
                .replace("-" + captured.sequence() + ";", "-" + sequence + ";");
    }

    private static String exten(String localTarget) {
        String resource = localTarget.substring("Local/".length());
        int at = resource.indexOf('@');
        return at < 0 ? resource : resource.substring(0, at);
    }

    // ---- events ----

    private List<Event> emit(List<Event> captured, Map<String, String> tokens) {
        Pattern pattern = tokenPattern(tokens);
        List<Event> out = new ArrayList<>(captured.size());
        for (Event e : captured) out.add(rewrite(e, tokens, pattern));
        return out;
    }

    private Event rewrite(Event e, Map<String, String> tokens, Pattern pattern) {
        Instant now = clock.instant();
        Map<String, String> f = new LinkedHashMap<>();
        e.fields().forEach((k, v) -> f.put(k, replaceTokens(v, tokens, pattern)));
        f.replaceAll((k, v) -> k.equals("BridgeUniqueid") ? bridges.computeIfAbsent(e.get(k), b -> UUID.randomUUID().toString()) : v);
        for (String k : EXTEN_FIELDS) {
            if (f.containsKey(k) && renamedExten.containsKey(e.get(k))) f.put(k, renamedExten.get(e.get(k)));
        }
        if (f.containsKey("Timestamp")) {
            f.put("Timestamp", String.format(Locale.ROOT, "%d.%06d", now.getEpochSecond(), now.getNano() / 1000));
        }
        switch (e.name()) {
            case "AGIExecStart", "AGIExecEnd" -> {
                f.put("CommandId", currentCommandId);
                f.put("Command", currentCommand);
                if (e.name().equals("AGIExecEnd")) {
                    if (currentReply == null) throw new IllegalStateException("the reply to '" + currentCommand + "' is not known yet");
                    f.put("ResultCode", currentReply.substring(0, Math.min(3, currentReply.length())));
                    f.put("Result", result(currentCommand, currentReply));
                }
            }
            case "VarSet" -> {
                if (agiUniqueid.equals(f.get("Uniqueid"))) varSet(e, f);
            }
            case "OriginateResponse" -> f.put("ActionID", ids.originateActionId());
            case "Cdr" -> cdr(f, now);
            default -> { }
        }
        track(e.name(), f, now);
        return new Event(e.name(), f);
    }

    /**
     * A VarSet of the AGI channel: a SET VARIABLE's carries what the server set; one that set a value Asterisk holds
     * (the Dial's DIALSTATUS, ANSWEREDTIME_MS, ..., MIXMONITOR_FILENAME) carries the simulation's value; one that
     * cleared a variable (app_dial clears its variables as it starts) stays empty.
     */
    private void varSet(Event captured, Map<String, String> f) {
        String[] set = setVariable.get(captured.get("Variable"));
        if (set != null) {
            f.put("Variable", set[0]);
            f.put("Value", set[1]);
        } else if (!captured.get("Value").isEmpty() && variables.containsKey(captured.get("Variable"))) {
            f.put("Value", variables.get(captured.get("Variable")));
        }
    }

    /** Result of AGIExecEnd as res_agi writes it for this reply. */
    private static String result(String command, String reply) {
        String code = reply.length() >= 3 ? reply.substring(0, 3) : reply;
        return switch (code) {
            case "510" -> "Invalid or unknown command";
            case "511" -> "Command Not Permitted on a dead channel or intercept routine";
            case "520" -> "Usage";
            default -> {
                // EXEC passes the application's return on: 0 is RESULT_SUCCESS, -1/-2 are no RESULT_* value
                boolean exec = CallCapture.verb(command).startsWith("EXEC ");
                yield exec && !reply.startsWith("200 result=0") ? "Unknown Result" : "Success";
            }
        };
    }

    private void track(String event, Map<String, String> f, Instant now) {
        String uid = f.get("Uniqueid");
        if (uid == null) return;
        switch (event) {
            case "Newchannel" -> channelTimes.put(uid, new Instant[] {now, null, null});
            case "Newstate" -> {
                Instant[] t = channelTimes.get(uid);
                if (t != null && t[1] == null && "Up".equals(f.get("ChannelStateDesc"))) t[1] = now;
            }
            case "Hangup" -> {
                Instant[] t = channelTimes.get(uid);
                if (t != null) t[2] = now;
            }
            default -> { }
        }
    }

    /** A Cdr's times as cdr_manager writes them: the channel's start, answer and end, seconds rounded down. */
    private void cdr(Map<String, String> f, Instant now) {
        Instant[] t = channelTimes.get(f.get("UniqueID"));
        if (t == null) return;
        Instant end = t[2] != null ? t[2] : now;
        f.put("StartTime", CDR_TIME.format(t[0]));
        f.put("AnswerTime", t[1] == null ? "" : CDR_TIME.format(t[1]));
        f.put("EndTime", CDR_TIME.format(end));
        f.put("Duration", String.valueOf(Duration.between(t[0], end).toSeconds()));
        f.put("BillableSeconds", String.valueOf(t[1] == null ? 0 : Duration.between(t[1], end).toSeconds()));
        if ("Dial".equals(f.get("LastApplication")) && lastDialData.containsKey(f.get("UniqueID"))) {
            f.put("LastData", lastDialData.get(f.get("UniqueID")));
        }
    }

    private static Pattern tokenPattern(Map<String, String> tokens) {
        String alternatives = tokens.keySet().stream().filter(k -> !k.isEmpty())
                .sorted(Comparator.comparingInt(String::length).reversed()).map(Pattern::quote)
                .collect(Collectors.joining("|"));
        return Pattern.compile("(?<![\\w.+])(" + alternatives + ")(?![\\w])");
    }

    private static String replaceTokens(String value, Map<String, String> tokens, Pattern pattern) {
        if (value.isEmpty()) return value;
        Matcher m = pattern.matcher(value);
        if (!m.find()) return value;
        StringBuilder out = new StringBuilder();
        do {
            m.appendReplacement(out, Matcher.quoteReplacement(tokens.get(m.group(1))));
        } while (m.find());
        m.appendTail(out);
        return out.toString();
    }
}
