package io.calltrack.telephony.agi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.calltrack.telephony.agi.peer.FakeAsterisk;
import io.calltrack.support.LogCapture;
import io.calltrack.support.TestServer;
import io.calltrack.support.fuzz.Fuzz;
import io.calltrack.support.fuzz.FuzzWatch;
import io.calltrack.support.fuzz.TimeBudget;
import java.io.ByteArrayOutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.lifecycle.AfterProperty;
import net.jqwik.api.lifecycle.BeforeProperty;

/**
 * FastAGI fuzzed over a real socket against the whole server: a mutated header block, then replies to commands that
 * a broken Asterisk might send. Whatever arrives, the connection ends (refused, or the call goes on and ends), no
 * exception escapes into the log, a call the server took is recorded, and the next good call is served.
 */
class AgiFuzzTest {
    private static final String FALLBACK = "PJSIP/reception";
    private static final Pattern CALL_ID = Pattern.compile("^SET VARIABLE CALLTRACK_CALL_ID \"(\\d+)\"$");
    private static final List<String> HEADER_NAMES = List.of("agi_network", "agi_network_script", "agi_request",
            "agi_channel", "agi_uniqueid", "agi_callerid", "agi_dnid", "agi_extension", "agi_arg_1", "agi_language");
    private final AtomicInteger uniqueIds = new AtomicInteger();
    private TestServer server;
    private FuzzWatch watch;
    private LogCapture refusals;

    @BeforeProperty
    void start() {
        server = TestServer.start(Map.of("agi.fallback-dial", FALLBACK, "agi.header-timeout", "150ms"));
        watch = new FuzzWatch();
        refusals = new LogCapture(AgiConnectionHandler.class);
    }

    @AfterProperty
    void stop() {
        refusals.close();
        watch.close();
        server.close();
    }

    private FakeAsterisk.Builder call() {
        String unique = "1795382012." + uniqueIds.incrementAndGet();
        return FakeAsterisk.call(server.app().agiPort()).script("incoming").uniqueId(unique)
                .dnid("+13125550001").args("+13125550001").callerId("+16175550123")
                .dialOutcome(FALLBACK, "ANSWER").talks(Duration.ofSeconds(3)).readTimeout(Duration.ofSeconds(5));
    }

    @Property(tries = 150, seed = Fuzz.SEED)
    @TimeBudget(seconds = 6)
    void mutatedHeaderBlocks(@ForAll("headerMutations") HeaderMutation mutation) {
        FakeAsterisk.Builder fake = call();
        byte[] header = mutation.apply(fake.headerBlock());
        int refusedBefore = refusals.lines().size();
        FakeAsterisk.Transcript t;
        try {
            t = fake.rawHeaderBlock(header).run();
        } catch (UncheckedIOException closedWhileWriting) { // refused before the whole header was written
            t = null;
        }
        watch.assertClean(mutation);
        if (t == null || t.commands().isEmpty()) {
            Statistics.label("header").collect("refused: " + refusal(refusedBefore));
        } else {
            Statistics.label("header").collect("accepted");
            assertTrue(t.closedByServer(), "the server ends the call it took: " + t.lines());
            assertRecorded(t);
        }
        nextGoodCallIsServed(mutation);
    }

    @Property(tries = 200, seed = Fuzz.SEED)
    @TimeBudget(seconds = 6)
    void brokenReplies(@ForAll("replyFaults") ReplyFault fault) {
        int refusedBefore = refusals.lines().size();
        FakeAsterisk.Transcript t = call().replyFault(fault).run();
        watch.assertClean(fault);
        assertTrue(t.closedByServer(), "the server ends the connection, it does not wait forever: " + t.lines());
        assertRecorded(t);
        boolean refused = refusals.lines().stream().skip(refusedBefore).anyMatch(l -> l.startsWith("WARN"));
        Statistics.label("reply").collect(refused ? "connection closed: " + refusal(refusedBefore)
                : "call went on and ended");
        nextGoodCallIsServed(fault);
    }

    /** A call the server started was recorded before its first command; the first command names it. */
    private void assertRecorded(FakeAsterisk.Transcript t) {
        Matcher m = CALL_ID.matcher(t.commands().get(0));
        assertTrue(m.matches(), "the first command tells the dialplan the call id: " + t.commands());
        assertEquals(1, count("SELECT count(*) FROM call WHERE id = " + Long.parseLong(m.group(1))),
                "call " + m.group(1) + " is recorded");
    }

    private void nextGoodCallIsServed(Object after) {
        FakeAsterisk.Transcript good = call().run();
        assertTrue(good.closedByServer(), "after " + after + ": " + good.lines());
        assertTrue(good.commands().contains("EXEC Dial \"" + FALLBACK + ",30\""), "after " + after + ": " + good.commands());
        assertRecorded(good);
        watch.assertClean(after);
    }

    /** What the server said when it closed a connection (its kind, without the peer's address and the excerpt). */
    private String refusal(int before) {
        List<String> lines = refusals.lines();
        List<String> warnings = lines.subList(Math.min(before, lines.size()), lines.size()).stream()
                .filter(l -> l.startsWith("WARN")).toList();
        if (warnings.isEmpty()) return "closed without a warning";
        String why = warnings.get(warnings.size() - 1).replaceFirst("^.*closed: ", "");
        return why.replaceAll("'.*", "").replaceAll("\\d+", "N").trim();
    }

    private long count(String sql) {
        try (Connection c = server.db().dataSource().getConnection(); PreparedStatement s = c.prepareStatement(sql);
             ResultSet rs = s.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    // ---- header blocks ----

    /** Line mutations of the header block (without its terminating empty line), then byte mutations of it all. */
    record HeaderMutation(List<Fuzz.LineMutation> lines, boolean terminated, List<Fuzz.ByteMutation> bytes) {
        byte[] apply(byte[] valid) {
            String text = new String(valid, StandardCharsets.UTF_8);
            List<String> headerLines = Arrays.asList(text.substring(0, text.length() - 2).split("\n", -1));
            String mutated = String.join("\n", Fuzz.apply(lines, headerLines)) + (terminated ? "\n\n" : "\n");
            return Fuzz.apply(bytes, mutated.getBytes(StandardCharsets.UTF_8));
        }
    }

    @Provide
    Arbitrary<HeaderMutation> headerMutations() {
        Arbitrary<List<Fuzz.LineMutation>> lines = Arbitraries.oneOf(Arbitraries.just(List.of()),
                Fuzz.lineMutations(HEADER_NAMES));
        Arbitrary<List<Fuzz.ByteMutation>> bytes = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(2, Arbitraries.just(List.of())), net.jqwik.api.Tuple.of(1, Fuzz.byteMutations()));
        return Combinators.combine(lines, Arbitraries.of(true, true, true, false), bytes).as(HeaderMutation::new)
                .filter(m -> !m.lines().isEmpty() || !m.bytes().isEmpty() || !m.terminated());
    }

    // ---- replies ----

    /** At the {@code step}-th command (later steps are answered faithfully), {@code reply} replaces the answer. */
    record ReplyFault(int step, Reply reply) implements FakeAsterisk.ReplyFault {
        @Override
        public byte[] reply(int at, String command, List<String> faithful) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            if (at == step) {
                out.writeBytes(reply.bytes().apply(faithful));
            } else {
                faithful.forEach(l -> out.writeBytes((l + "\n").getBytes(StandardCharsets.UTF_8)));
            }
            return out.toByteArray();
        }
    }

    /** What goes out instead of the faithful answer, given the faithful answer's lines. */
    record Reply(String description, Function<List<String>, byte[]> bytes) {
        @Override
        public String toString() {
            return description;
        }
    }

    private static byte[] lines(List<String> lines, String ending) {
        return lines.stream().map(l -> l + ending).collect(Collectors.joining()).getBytes(StandardCharsets.UTF_8);
    }

    /** {@code line} instead of the real reply, or before it. */
    private static Reply line(String line, boolean thenReal) {
        byte[] sent = (line + "\n").getBytes(StandardCharsets.UTF_8);
        return new Reply(Fuzz.excerpt(sent) + (thenReal ? " then the real reply" : ""), faithful -> {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.writeBytes(sent);
            if (thenReal) out.writeBytes(lines(faithful, "\n"));
            return out.toByteArray();
        });
    }

    @Provide
    Arbitrary<ReplyFault> replyFaults() {
        Arbitrary<String> value = Fuzz.absurdValue();
        Arbitrary<Reply> reply = Arbitraries.oneOf(
                value.map(v -> line("200 result=" + v, false)),
                value.map(v -> line("200 result=" + v, false)),
                value.map(v -> line("200 result=1 (" + v + ")", false)),
                Combinators.combine(value, Fuzz.garbageText(30)).as((v, d) -> line("200 result=" + v + " (" + d + ")", false)),
                Combinators.combine(value, Fuzz.garbageText(30)).as((v, d) -> line("200 result=" + v + " (" + d, false)),
                value.map(v -> line("200 result=0 endpos=" + v, false)),
                Arbitraries.of("510 Invalid or unknown command", "510", "510 ",
                        "511 Command Not Permitted on a dead channel or intercept routine", "511 ",
                        "520 Invalid command syntax.  Proper usage not available.", "520 ", "200", "200 result",
                        "200 result=", "200 RESULT=1", "200  result=1", "201 result=1", "100 Trying", "HANGUP",
                        "hangup", "HANGUP now", "").map(l -> line(l, false)),
                Fuzz.garbageText(20).list().ofMaxSize(5).map(usage -> line("520-Invalid command syntax.  Proper usage "
                        + "follows:\n" + usage.stream().map(u -> u + "\n").collect(Collectors.joining())
                        + "520 End of proper usage.", false)),
                Arbitraries.just(line("HANGUP", true)),
                Arbitraries.just(new Reply("the real reply twice", faithful -> lines(faithful, "\n").length == 0
                        ? new byte[0] : (new String(lines(faithful, "\n"), StandardCharsets.UTF_8).repeat(2))
                        .getBytes(StandardCharsets.UTF_8))),
                Arbitraries.just(new Reply("the real reply with CRLF", faithful -> lines(faithful, "\r\n"))),
                Fuzz.garbageText(60).map(g -> line(g, false)),
                Fuzz.garbageBytes(40).map(b -> {
                    byte[] sent = Arrays.copyOf(b, b.length + 1);
                    sent[b.length] = '\n';
                    return new Reply(Fuzz.excerpt(sent), faithful -> sent);
                }),
                Arbitraries.integers().between(8_000, 20_000).map(n -> line("200 result=1 (" + "x".repeat(n) + ")", false)));
        return Combinators.combine(Arbitraries.integers().between(1, 9), reply).as(ReplyFault::new);
    }
}
