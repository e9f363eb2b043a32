package io.calltrack.telephony.sip;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.calltrack.config.CalltrackConfig;
import io.calltrack.Json;
import io.calltrack.platform.db.Jdbc;
import io.calltrack.routing.RoutingRepository;
import io.calltrack.support.TestDatabase;
import io.calltrack.support.fuzz.Fuzz;
import io.calltrack.support.fuzz.FuzzWatch;
import io.calltrack.support.fuzz.TimeBudget;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterProperty;
import net.jqwik.api.lifecycle.BeforeProperty;
import net.jqwik.api.statistics.Statistics;

/**
 * The SIP redirect server fuzzed with mutated requests (start line, headers, Content-Length lies, huge headers,
 * binary) over UDP and TCP. Whatever arrives, the server sends only well-formed SIP responses or nothing, logs no
 * error, and answers the next OPTIONS with 200.
 */
class SipFuzzTest {
    private static final List<String> HEADER_NAMES = List.of("Via", "From", "To", "Call-ID", "CSeq", "Contact",
            "Max-Forwards", "Content-Length", "Content-Type", "Route", "Record-Route", "Expires", "Allow", "Supported",
            "Require", "v", "f", "t", "i", "l", "m");
    private static final String SDP = "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
            + "m=audio 4000 RTP/AVP 0\r\n";
    /** A status line, then header lines, then the empty line: what every response must look like. */
    private static final Pattern RESPONSE = Pattern.compile(
            "SIP/2\\.0 [1-6]\\d\\d [^\\r\\n]*\\r\\n([!-9;-~]+: ?[^\\r\\n]*\\r\\n)+\\r\\n.*", Pattern.DOTALL);

    private TestDatabase db;
    private SipService sip;
    private FuzzWatch watch;
    private RawSip raw;

    @BeforeProperty
    void start() throws Exception {
        db = TestDatabase.create();
        CalltrackConfig.Sip config = new CalltrackConfig.Sip(true, "127.0.0.1", 0, 0, Duration.ofSeconds(30), 3,
                Optional.of("sip:reception@10.0.0.1"), 2, 100, 1 << 20);
        sip = SipService.start(config, request -> request.requestUriUser().equals("5550100")
                        ? RedirectDecision.redirect(List.of("sip:101@10.0.0.2", "sip:102@10.0.0.3"))
                        : RedirectDecision.notFound(),
                (request, decision) -> {}, new RoutingRepository(new Jdbc(db.dataSource()), Json.mapper()), new SimpleMeterRegistry(), java.time.Clock.systemUTC());
        raw = new RawSip(sip.port());
        watch = new FuzzWatch().tolerate("A problem occured while trying to send a single CLRF",
                "JAIN-SIP 1.3.0-91: a CRLFCRLF keep-alive on a TCP connection that has not yet carried a SIP message "
                        + "logs an ERROR with a NullPointerException (TCPMessageChannel has no peer protocol yet) "
                        + "instead of answering CRLF; reported in the fuzz report, not fixed in calltrack")
                .tolerate("Max content size Exceeded", "JAIN-SIP 1.3.0-91 ends the reading thread of a TCP connection "
                        + "whose Content-Length is above its limit by letting a RuntimeException escape it; the stack "
                        + "goes on serving (checked below); reported in the fuzz report")
                .tolerate("Problem connecting /127.0.0.1", "JAIN-SIP logs an ERROR when the peer of a TCP connection "
                        + "has gone before the answer is sent; this test closes its connection after 150 ms of quiet, "
                        + "which under load comes before a slow answer (the next OPTIONS is still answered, below)");
    }

    @AfterProperty
    void stop() {
        watch.close();
        raw.close();
        sip.close();
        db.close();
    }

    /** A request as a well-behaved UA would send it, before mutation. */
    record Request(String method, String user, boolean withSdp) {
        String text(RawSip raw, String callId) {
            String r = raw.request(method, user, callId);
            if (!withSdp) return r;
            return r.replace("Content-Length: 0\r\n\r\n", "Content-Type: application/sdp\r\nContent-Length: "
                    + SDP.length() + "\r\n\r\n" + SDP);
        }
    }

    /** Changes to the start line, then to the header lines, then to the bytes. */
    record Mutation(Request request, Optional<String> startLine, List<Fuzz.LineMutation> headers,
                    Optional<String> contentLength, List<Fuzz.ByteMutation> bytes) {
        byte[] apply(RawSip raw) {
            String valid = request.text(raw, "fuzz-" + UUID.randomUUID());
            int headEnd = valid.indexOf("\r\n\r\n");
            List<String> lines = new ArrayList<>(Arrays.asList(valid.substring(0, headEnd).split("\r\n")));
            String body = valid.substring(headEnd + 4);
            startLine.ifPresent(s -> lines.set(0, s));
            List<String> mutated = new ArrayList<>(lines.subList(0, 1));
            mutated.addAll(Fuzz.apply(headers, lines.subList(1, lines.size())));
            contentLength.ifPresent(l -> mutated.replaceAll(h -> h.startsWith("Content-Length:") ? "Content-Length: " + l : h));
            String text = String.join("\r\n", mutated) + "\r\n\r\n" + body;
            return Fuzz.apply(bytes, text.getBytes(StandardCharsets.UTF_8));
        }
    }

    @Provide
    Arbitrary<Mutation> mutations() {
        Arbitrary<Request> request = Combinators.combine(
                Arbitraries.of("INVITE", "INVITE", "OPTIONS", "CANCEL", "ACK", "BYE", "REGISTER", "FROBNICATE"),
                Arbitraries.of("5550100", "5550199", "+15550100", "calltrack"), Arbitraries.of(true, false))
                .as(Request::new);
        Arbitrary<String> word = Arbitraries.oneOf(Fuzz.absurdValue(), Arbitraries.of("INVITE", "sip:5550100@127.0.0.1",
                "sips:x@y", "tel:+15550100", "mailto:a@b", "SIP/2.0", "SIP/3.0", "sip/2.0", "SIP/2.0/UDP", "<sip:a@b>"));
        Arbitrary<Optional<String>> startLine = Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.just(Optional.empty())),
                Tuple.of(1, Combinators.combine(word, word, word, Arbitraries.of(" ", "  ", "\t", ""))
                        .as((a, b, c, sep) -> Optional.of(a + sep + b + sep + c))),
                Tuple.of(1, Fuzz.garbageText(60).map(Optional::of)));
        Arbitrary<List<Fuzz.LineMutation>> headers = Arbitraries.frequencyOf(
                Tuple.of(1, Arbitraries.just(List.of())), Tuple.of(2, Fuzz.lineMutations(HEADER_NAMES)));
        Arbitrary<Optional<String>> length = Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.just(Optional.empty())),
                Tuple.of(1, Arbitraries.oneOf(Fuzz.absurdValue(), Arbitraries.integers().between(-5, 70_000).map(String::valueOf))
                        .map(Optional::of)));
        Arbitrary<List<Fuzz.ByteMutation>> bytes = Arbitraries.frequencyOf(
                Tuple.of(2, Arbitraries.just(List.of())), Tuple.of(1, Fuzz.byteMutations()));
        return Combinators.combine(request, startLine, headers, length, bytes).as(Mutation::new)
                .filter(m -> m.startLine().isPresent() || !m.headers().isEmpty() || m.contentLength().isPresent()
                        || !m.bytes().isEmpty());
    }

    @Property(tries = 300, seed = Fuzz.SEED)
    @TimeBudget(seconds = 6)
    void overUdp(@ForAll("mutations") Mutation mutation) throws IOException {
        byte[] datagram = mutation.apply(raw);
        if (datagram.length > 65_000) datagram = Arrays.copyOf(datagram, 65_000); // one UDP datagram at most
        raw.send(datagram);
        List<String> answers = stillAnswersOptions(mutation);
        answers.forEach(a -> assertWellFormed(a, mutation));
        Statistics.label("udp").collect(answers.isEmpty() ? "dropped" : "answered " + statuses(answers));
        watch.assertClean(mutation);
    }

    @Property(tries = 300, seed = Fuzz.SEED)
    @TimeBudget(seconds = 6)
    void overTcp(@ForAll("mutations") Mutation mutation) throws IOException {
        byte[] stream = mutation.apply(raw);
        List<String> answers = new ArrayList<>();
        try (Socket tcp = new Socket("127.0.0.1", sip.port())) {
            tcp.setSoTimeout(150);
            String viaTcp = new String(stream, StandardCharsets.ISO_8859_1)
                    .replaceFirst("SIP/2.0/UDP 127.0.0.1:\\d+", "SIP/2.0/TCP 127.0.0.1:" + tcp.getLocalPort());
            try {
                tcp.getOutputStream().write(viaTcp.getBytes(StandardCharsets.ISO_8859_1));
                tcp.getOutputStream().flush();
                answers.addAll(split(readUntilQuiet(tcp.getInputStream())));
            } catch (IOException closedByServer) {
                // the stack may close a connection it cannot frame: a drop
            }
        }
        answers.forEach(a -> assertWellFormed(a, mutation));
        Statistics.label("tcp").collect(answers.isEmpty() ? "dropped" : "answered " + statuses(answers));
        stillAnswersOptions(mutation);
        watch.assertClean(mutation);
    }

    /** Sends a good OPTIONS and waits for its 200; returns every other message that arrived meanwhile. */
    private List<String> stillAnswersOptions(Object after) throws IOException {
        String callId = "after-" + UUID.randomUUID();
        raw.send(raw.request("OPTIONS", "calltrack", callId));
        List<String> others = new ArrayList<>();
        while (true) {
            String message = raw.receive().orElseThrow(() -> new AssertionError("no answer to OPTIONS after " + after));
            if (message.contains("Call-ID: " + callId + "\r\n") && !message.startsWith("SIP/2.0 1")) {
                assertTrue(message.startsWith("SIP/2.0 200 "), "after " + after + ": " + message);
                return others;
            }
            others.add(message);
        }
    }

    private static void assertWellFormed(String response, Object after) {
        assertTrue(RESPONSE.matcher(response).matches(), "a malformed answer to " + after + ": " + response);
        // From and To are copied from the request, which may lack them; these three route the response
        for (String header : List.of("Via:", "Call-ID:", "CSeq:")) {
            assertTrue(response.contains("\r\n" + header), "no " + header + " in the answer to " + after + ": " + response);
        }
    }

    private static String statuses(List<String> answers) {
        return answers.stream().map(a -> a.substring(8, Math.min(11, a.length()))).distinct().sorted().toList().toString();
    }

    private static byte[] readUntilQuiet(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        try {
            for (int n; (n = in.read(buffer)) != -1; ) out.write(buffer, 0, n);
        } catch (SocketTimeoutException quiet) {
            // nothing more for now
        }
        return out.toByteArray();
    }

    /** TCP responses one after another, each framed by its Content-Length. */
    private static List<String> split(byte[] stream) {
        String s = new String(stream, StandardCharsets.ISO_8859_1);
        List<String> out = new ArrayList<>();
        while (!s.isEmpty()) {
            int end = s.indexOf("\r\n\r\n");
            if (end < 0) {
                out.add(s); // an unterminated answer: assertWellFormed says so
                break;
            }
            var m = Pattern.compile("(?im)^(?:Content-Length|l): *(\\d+)\r$").matcher(s.substring(0, end + 2));
            int length = m.find() ? Integer.parseInt(m.group(1)) : 0;
            int to = Math.min(s.length(), end + 4 + length);
            out.add(s.substring(0, to));
            s = s.substring(to);
        }
        return out;
    }
}
