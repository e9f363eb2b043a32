package io.calltrack.telephony.agi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.awaitility.Awaitility.await;

import io.calltrack.telephony.agi.peer.FakeAsterisk;
import io.calltrack.support.LogCapture;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Input that is not AGI closes that one connection with a log line; a call in progress on another is untouched. */
class AgiMalformedInputTest {
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final CompletableFuture<Void> gate = new CompletableFuture<>();
    private AgiServer server;
    private LogCapture log;

    @BeforeEach
    void start() throws InterruptedException {
        // a good call that holds its connection open until the malformed ones have been dealt with
        AgiScript script = (request, channel) -> channel.setVariable("STEP", "before")
                .thenCompose(r -> gate)
                .thenCompose(r -> channel.setVariable("STEP", "after"))
                .thenAccept(r -> { });
        server = AgiServer.start(AgiServerTest.config(Map.of(
                        "agi.max-line-length", "1024", "agi.max-header-lines", "40", "agi.header-timeout", "300ms")),
                AgiScripts.none().with("incoming", script), registry);
        log = new LogCapture(AgiConnectionHandler.class);
    }

    @AfterEach
    void stop() {
        log.close();
        server.close();
    }

    @Test
    void garbage() throws Exception {
        assertOnlyThatConnectionCloses("GET / HTTP/1.1\r\nHost: pbx\r\n\r\n".getBytes(StandardCharsets.US_ASCII),
                "malformed", "is not 'agi_name: value'");
    }

    @Test
    void headerBlockWithoutItsBlankLineTimesOut() throws Exception {
        assertOnlyThatConnectionCloses("agi_network: yes\nagi_network_script: incoming\n".getBytes(StandardCharsets.UTF_8),
                "header-timeout", "no complete header block within 300 ms");
    }

    @Test
    void missingHeaderLines() throws Exception {
        assertOnlyThatConnectionCloses("agi_network: yes\nagi_network_script: incoming\n\n".getBytes(StandardCharsets.UTF_8),
                "malformed", "header block ended without agi_request");
    }

    @Test
    void overLongLine() throws Exception {
        assertOnlyThatConnectionCloses(("agi_network: yes\nagi_callerid: " + "9".repeat(5000) + "\n")
                .getBytes(StandardCharsets.UTF_8), "too-long", "line longer than 1024 bytes");
    }

    @Test
    void binaryJunk() throws Exception {
        byte[] junk = new byte[600];
        for (int i = 0; i < junk.length; i++) {
            junk[i] = (byte) (i * 37 + 128);
        }
        junk[300] = '\n';
        assertOnlyThatConnectionCloses(junk, "malformed", "");
    }

    @Test
    void tooManyHeaderLines() throws Exception {
        StringBuilder flood = new StringBuilder("agi_network: yes\n");
        for (int i = 1; i <= 100; i++) {
            flood.append("agi_arg_").append(i).append(": x\n");
        }
        assertOnlyThatConnectionCloses(flood.toString().getBytes(StandardCharsets.UTF_8),
                "malformed", "more than 40 header lines");
    }

    private void assertOnlyThatConnectionCloses(byte[] input, String kind, String logged) throws Exception {
        CompletableFuture<FakeAsterisk.Transcript> good = FakeAsterisk.call(server.port()).start();
        await().atMost(Duration.ofSeconds(5)).until(() -> registry.get("calltrack.agi.sessions").counter().count() == 1.0);

        try (Socket bad = new Socket("127.0.0.1", server.port())) {
            bad.setSoTimeout(5000);
            bad.getOutputStream().write(input);
            bad.getOutputStream().flush();
            assertEquals(-1, drain(bad.getInputStream()), "the server closes the malformed connection");
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> log.lines().stream().anyMatch(l -> l.startsWith("WARN")));
        List<String> lines = log.lines();
        assertEquals(1, lines.size(), lines.toString());
        assertTrue(lines.get(0).contains("AGI connection from /127.0.0.1:") && lines.get(0).contains(logged),
                lines.get(0));
        assertEquals(1.0, registry.get("calltrack.agi.protocol.errors").tag("kind", kind).counter().count());

        gate.complete(null);
        FakeAsterisk.Transcript t = good.get();
        assertEquals(List.of("SET VARIABLE STEP \"before\"", "SET VARIABLE STEP \"after\""), t.commands());
        assertEquals("after", t.variables().get("STEP"));
        assertTrue(t.closedByServer());
    }

    /** Reads until the end of the stream (or a reset, which also means closed). */
    private static int drain(InputStream in) throws IOException {
        try {
            int b;
            while ((b = in.read()) != -1) {
                // the server has nothing to say to a malformed peer; keep reading until it closes
            }
            return b;
        } catch (java.net.SocketException reset) {
            return -1;
        }
    }
}
