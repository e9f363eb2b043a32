package io.calltrack.telephony.ami.peer;

import io.calltrack.telephony.agi.peer.FakeAsterisk;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One call's AMI stream as a real Asterisk sent it (a capture in {@code src/test/resources/asterisk-22}, see its
 * README), cut where the call waits for something outside Asterisk: the FastAGI server's next command, a phone that
 * rings, a caller who hangs up. {@link CallReplay} plays these pieces again for new calls.
 *
 * <ul>
 *   <li>{@link #setup()}: from the caller's first Newchannel to the first AGIExecStart (the dialplan up to AGI()).</li>
 *   <li>{@link #blocks()}: one per AGI command, from its AGIExecStart to the next one, with what Asterisk did
 *       meanwhile (VarSet of a SET VARIABLE, MixMonitorStart, a whole Dial). A block's events are split into
 *       {@link Block#phases()} where the capture's clock jumps (more than {@value #GAP_SECONDS} s between two events):
 *       a Dial rings, is answered, ends. A burst of nothing but Newexten (the manager's dialplan moving on by itself)
 *       stays with the phase before it.</li>
 *   <li>{@link #afterAgi()}: from the VarSet of AGISTATUS (the FastAGI server closed the socket) to the end.</li>
 * </ul>
 * Login events (FullyBooted, SuccessfulAuth), actions and responses are not part of the call.
 */
public final class CallCapture {
    static final double GAP_SECONDS = 0.25;
    private static final Pattern CHANNEL_SEQUENCE = Pattern.compile("-([0-9a-f]{8})(;[12])?$");
    private static final Pattern AGI_ADDRESS = Pattern.compile("^h?agi://([^/]+)/");

    /** One AMI event: its name and its fields in the order Asterisk wrote them. */
    public record Event(String name, Map<String, String> fields) {
        public Event {
            fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields));
        }

        public String get(String field) {
            return fields.get(field);
        }

        Double timestamp() {
            String t = fields.get("Timestamp");
            return t == null ? null : Double.parseDouble(t);
        }
    }

    /** How the EXEC Dial of a block ended, by the DialEnd of the dialling channel and who hung up first. */
    public enum DialOutcome { ANSWERED_CALLER_HANGS_UP, ANSWERED_MANAGER_HANGS_UP, NO_ANSWER, CALLER_GIVES_UP, OTHER }

    /** One AGI command as Asterisk played it; {@code dialTarget} is the first target of an EXEC Dial, else null. */
    public record Block(String command, String verb, List<List<Event>> phases, List<Event> channels, String dialTarget,
                        DialOutcome outcome) {
        public List<Event> events() {
            return phases.stream().flatMap(List::stream).toList();
        }
    }

    /** A channel of the capture: its name and uniqueid, as its Newchannel announced it. */
    record Channel(String name, String uniqueid) {
        /** The {@code -0000000b} of {@code Local/2001@managers-0000000b;1}. */
        String sequence() {
            Matcher m = CHANNEL_SEQUENCE.matcher(name);
            if (!m.find()) throw new IllegalStateException("no sequence number in channel name " + name);
            return m.group(1);
        }
    }

    private final String name;
    private final List<Event> setup;
    private final List<Block> blocks;
    private final List<Event> afterAgi;
    private final Channel callerOne;
    private final Channel callerTwo;
    private final String callerNumber;
    private final String dialledNumber;
    private final String agiAddress;

    private CallCapture(String name, List<Event> events) {
        this.name = name;
        int firstCommand = indexOf(events, 0, e -> e.name().equals("AGIExecStart"));
        if (firstCommand < 0) throw new IllegalArgumentException(name + ": no AGI command in the capture");
        this.setup = List.copyOf(events.subList(0, firstCommand));
        List<Event> channels = setup.stream().filter(e -> e.name().equals("Newchannel")).toList();
        if (channels.size() < 2) throw new IllegalArgumentException(name + ": the caller's two Local halves are not in the setup");
        String agiUniqueid = events.get(firstCommand).get("Uniqueid");
        this.callerOne = channel(channels.stream().filter(c -> c.get("Uniqueid").equals(c.get("Linkedid"))).findFirst()
                .orElseThrow(() -> new IllegalArgumentException(name + ": no channel with Uniqueid == Linkedid")));
        this.callerTwo = channel(channels.stream().filter(c -> c.get("Uniqueid").equals(agiUniqueid)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException(name + ": the AGI channel has no Newchannel")));
        this.callerNumber = setup.stream().filter(e -> e.name().equals("NewCallerid")).map(e -> e.get("CallerIDNum"))
                .findFirst().orElseThrow(() -> new IllegalArgumentException(name + ": no NewCallerid in the setup"));
        this.dialledNumber = channels.get(0).get("Exten");
        this.agiAddress = setup.stream().filter(e -> e.name().equals("Newexten") && "AGI".equals(e.get("Application")))
                .map(e -> AGI_ADDRESS.matcher(e.get("AppData"))).filter(Matcher::find).map(m -> m.group(1))
                .findFirst().orElseThrow(() -> new IllegalArgumentException(name + ": no AGI() in the setup"));

        int lastEnd = lastIndexOf(events, e -> e.name().equals("AGIExecEnd"));
        int agiStatus = indexOf(events, lastEnd, e -> e.name().equals("VarSet") && "AGISTATUS".equals(e.get("Variable")));
        int end = agiStatus < 0 ? events.size() : agiStatus;
        this.afterAgi = List.copyOf(events.subList(end, events.size()));
        List<Block> found = new ArrayList<>();
        for (int start = firstCommand; start < end; ) {
            int next = indexOf(events, start + 1, e -> e.name().equals("AGIExecStart"));
            if (next < 0 || next > end) next = end;
            found.add(block(events.subList(start, next)));
            start = next;
        }
        this.blocks = List.copyOf(found);
    }

    /** Loads a capture from the test resources, e.g. {@code asterisk-22/calltrack-answered.txt}. */
    public static CallCapture load(String resource) {
        try (InputStream in = CallCapture.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) throw new IllegalArgumentException("no test resource " + resource);
            return parse(resource, new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The capture's text: messages separated by empty lines, {@code >>> CLIENT SENT:} before each action. */
    static CallCapture parse(String name, String text) {
        List<Event> events = new ArrayList<>();
        boolean started = false;
        for (String message : text.replace("\r\n", "\n").split("\n\n")) {
            List<String> lines = message.lines().filter(l -> !l.isEmpty()).toList();
            if (lines.isEmpty() || !lines.get(0).startsWith("Event: ")) continue; // banner, action or response
            Map<String, String> fields = new LinkedHashMap<>();
            for (String line : lines.subList(1, lines.size())) {
                int colon = line.indexOf(':');
                if (colon <= 0) throw new IllegalArgumentException(name + ": not a field: '" + line + "'");
                fields.put(line.substring(0, colon), line.substring(colon + 1).strip());
            }
            Event e = new Event(lines.get(0).substring("Event: ".length()).strip(), fields);
            started |= e.name().equals("Newchannel");
            if (started) events.add(e);
        }
        return new CallCapture(name, events);
    }

    private Block block(List<Event> events) {
        Event start = events.get(0);
        String command = start.get("Command");
        String commandId = start.get("CommandId");
        if (events.stream().filter(e -> e.name().equals("AGIExecEnd") && commandId.equals(e.get("CommandId"))).count() != 1) {
            throw new IllegalArgumentException(name + ": command '" + command + "' has no AGIExecEnd of its own");
        }
        String verb = verb(command);
        String target = verb.equals("EXEC DIAL") ? dialTarget(command) : null;
        List<Event> channels = events.stream().filter(e -> e.name().equals("Newchannel")).toList();
        List<List<Event>> phases = phases(events);
        return new Block(command, verb, phases, channels, target, target == null ? null : outcome(events, phases));
    }

    /** Splits where the clock jumps; a burst of Newexten alone joins the phase before it. */
    private static List<List<Event>> phases(List<Event> events) {
        List<List<Event>> bursts = new ArrayList<>();
        Double last = null;
        for (Event e : events) {
            Double t = e.timestamp();
            if (bursts.isEmpty() || (last != null && t != null && t - last > GAP_SECONDS)) bursts.add(new ArrayList<>());
            bursts.get(bursts.size() - 1).add(e);
            if (t != null) last = t;
        }
        List<List<Event>> phases = new ArrayList<>();
        for (List<Event> burst : bursts) {
            boolean dialplanOnly = burst.stream().allMatch(e -> e.name().equals("Newexten"));
            if (dialplanOnly && !phases.isEmpty()) phases.get(phases.size() - 1).addAll(burst);
            else phases.add(burst);
        }
        return phases.stream().map(List::copyOf).toList();
    }

    private DialOutcome outcome(List<Event> events, List<List<Event>> phases) {
        String status = events.stream()
                .filter(e -> e.name().equals("DialEnd") && callerTwo.uniqueid().equals(e.get("Uniqueid")))
                .map(e -> e.get("DialStatus")).findFirst().orElse("");
        return switch (status) {
            case "NOANSWER" -> DialOutcome.NO_ANSWER;
            case "CANCEL" -> DialOutcome.CALLER_GIVES_UP;
            case "ANSWER" -> {
                Set<String> hangups = Set.of("HangupRequest", "SoftHangupRequest", "Hangup");
                Event first = phases.get(phases.size() - 1).stream().filter(e -> hangups.contains(e.name())).findFirst()
                        .orElseThrow(() -> new IllegalArgumentException(name + ": an answered Dial that never ends"));
                boolean caller = first.get("Uniqueid").equals(callerOne.uniqueid())
                        || first.get("Uniqueid").equals(callerTwo.uniqueid());
                yield caller ? DialOutcome.ANSWERED_CALLER_HANGS_UP : DialOutcome.ANSWERED_MANAGER_HANGS_UP;
            }
            default -> DialOutcome.OTHER;
        };
    }

    /**
     * What a command is, for finding a block to replay it with: {@code SET VARIABLE <NAME>}, {@code GET VARIABLE
     * <NAME>}, {@code EXEC <APP>}, else its command words ({@code GET FULL VARIABLE}, {@code CHANNEL STATUS}, ...).
     */
    public static String verb(String command) {
        List<String> words = FakeAsterisk.parseArgs(command).stream().map(w -> w.toUpperCase(Locale.ROOT)).toList();
        if (words.isEmpty()) return "";
        if (words.size() >= 3 && (words.get(0).equals("SET") || words.get(0).equals("GET")) && words.get(1).equals("VARIABLE")) {
            return String.join(" ", words.subList(0, 3));
        }
        if (words.get(0).equals("EXEC") && words.size() >= 2) return "EXEC " + words.get(1);
        if (words.size() >= 3 && words.get(0).equals("GET") && words.get(1).equals("FULL")) return "GET FULL VARIABLE";
        return String.join(" ", words.subList(0, Math.min(2, words.size())));
    }

    /** The first dial target of {@code EXEC Dial "Local/2001@managers&PJSIP/102,20,tT"}: Local/2001@managers. */
    public static String dialTarget(String command) {
        List<String> words = FakeAsterisk.parseArgs(command);
        if (words.size() < 3) return "";
        return words.get(2).split(",", -1)[0].split("&", -1)[0];
    }

    private static Channel channel(Event newchannel) {
        return new Channel(newchannel.get("Channel"), newchannel.get("Uniqueid"));
    }

    private static int indexOf(List<Event> events, int from, Predicate<Event> p) {
        for (int i = Math.max(0, from); i < events.size(); i++) if (p.test(events.get(i))) return i;
        return -1;
    }

    private static int lastIndexOf(List<Event> events, Predicate<Event> p) {
        for (int i = events.size() - 1; i >= 0; i--) if (p.test(events.get(i))) return i;
        return -1;
    }

    public String name() {
        return name;
    }

    public List<Event> setup() {
        return setup;
    }

    public List<Block> blocks() {
        return blocks;
    }

    public List<Event> afterAgi() {
        return afterAgi;
    }

    /** AGISTATUS as Asterisk set it when the FastAGI session ended: HANGUP once the caller had gone, else SUCCESS. */
    public String agiStatus() {
        return afterAgi.isEmpty() ? "" : Objects.requireNonNullElse(afterAgi.get(0).get("Value"), "");
    }

    /** The whole call, in the capture's order. */
    public List<Event> events() {
        List<Event> all = new ArrayList<>(setup);
        blocks.forEach(b -> all.addAll(b.events()));
        all.addAll(afterAgi);
        return all;
    }

    /** The caller's originating half ({@code ;1}): its Uniqueid is the call's Linkedid. */
    Channel callerOne() {
        return callerOne;
    }

    /** The half that runs the dialplan and the AGI ({@code ;2}). */
    Channel callerTwo() {
        return callerTwo;
    }

    String callerNumber() {
        return callerNumber;
    }

    /** The number the caller dialled: the extension of the caller's channels. */
    String dialledNumber() {
        return dialledNumber;
    }

    /** The {@code host:port} of the AGI() application's URL. */
    String agiAddress() {
        return agiAddress;
    }

    @Override
    public String toString() {
        return name;
    }
}
