package io.calltrack.platform.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.calltrack.support.Http;
import io.calltrack.support.TestServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** What a client that misbehaves on the HTTP port gets: a JSON error and a closed connection, never a held one. */
class HttpLimitsTest {
    static TestServer server;
    static Http http;
    static final ObjectMapper json = new ObjectMapper();

    @BeforeAll
    static void start() {
        server = TestServer.start(Map.of("http.header-timeout", "800ms", "http.body-timeout", "800ms",
                "http.max-connections-per-ip", "4", "http.max-body-size", "65536"));
        http = new Http(server.baseUrl());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void aBodyOverTheConfiguredLimitGetsAJson413() throws Exception {
        var r = http.post("/v1/visitor/none/sessions", "x".repeat(65537));
        assertEquals(413, r.statusCode());
        assertTrue(json.readTree(r.body()).get("error").asText().contains("larger than 65536 bytes"), r.body());
    }

    @Test
    void aSilentConnectionIsClosedAfterTheIdleTimeout() throws Exception {
        try (TestServer idle = TestServer.start(Map.of("http.idle-timeout", "1s"));
             Socket s = new Socket("127.0.0.1", idle.app().httpPort())) {
            s.setSoTimeout(10_000);
            long start = System.nanoTime();
            assertEquals(-1, s.getInputStream().read(), "closed without an answer");
            long ms = (System.nanoTime() - start) / 1_000_000;
            assertTrue(ms >= 900 && ms < 5_000, "closed after " + ms + " ms");
        }
    }

    /** Found by HttpFuzzTest: a broken percent-encoding in the path or query closed the connection unanswered. */
    @Test
    void aBrokenPercentEncodingGetsAJson400() throws Exception {
        for (String target : List.of("/v1/calls?caller=%", "/v1/calls?%zz=1", "/v1/calls/%zz", "/health?x=%C3%2")) {
            try (Socket s = connect()) {
                s.getOutputStream().write(("GET " + target + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
                        + "Authorization: Bearer " + TestServer.ADMIN_TOKEN + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                String answer = readAll(s.getInputStream());
                assertTrue(answer.startsWith("HTTP/1.1 400 "), target + " -> " + answer);
                String body = answer.substring(answer.indexOf("\r\n\r\n") + 4);
                assertTrue(json.readTree(body).get("error").asText().contains("percent-encoding"), body);
            }
        }
    }

    /** One header byte every 200 ms used to keep a connection for ever: every byte reset the idle timer. */
    @Test
    void aClientTricklingItsHeadersIsCutOffWith408() throws Exception {
        try (Socket s = connect()) {
            OutputStream out = s.getOutputStream();
            out.write("GET /health HTTP/1.1\r\nHost: x\r\n".getBytes(StandardCharsets.US_ASCII));
            long start = System.nanoTime();
            String answer = null;
            for (int i = 0; i < 40 && answer == null; i++) {
                try {
                    out.write('X');
                    out.flush();
                } catch (SocketException closed) {
                    break;
                }
                Thread.sleep(200);
                if (s.getInputStream().available() > 0) answer = readAll(s.getInputStream());
            }
            if (answer == null) answer = readAll(s.getInputStream());
            long ms = (System.nanoTime() - start) / 1_000_000;
            assertTrue(answer.startsWith("HTTP/1.1 408"), answer);
            assertTrue(answer.contains("request headers not received within 800 ms"), answer);
            assertTrue(ms < 4_000, "cut off after " + ms + " ms");
        }
    }

    @Test
    void aBodyThatNeverCompletesIsCutOffWith408() throws Exception {
        try (Socket s = connect()) {
            s.getOutputStream().write(("POST /v1/visitor/none/sessions HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n"
                    + "Content-Type: application/json\r\n\r\n{\"clientId\":").getBytes(StandardCharsets.US_ASCII));
            String answer = readAll(s.getInputStream());
            assertTrue(answer.startsWith("HTTP/1.1 408"), answer);
            assertTrue(answer.contains("request body not received within 800 ms"), answer);
        }
    }

    /** From 127.0.0.2, so no other test's connection counts. Which of five the server refuses depends on timing. */
    @Test
    void oneAddressCannotHoldMoreConnectionsThanTheCap() throws Exception {
        List<Socket> sockets = new ArrayList<>();
        try {
            for (int i = 0; i < 5; i++) sockets.add(connectFrom("127.0.0.2"));
            List<Socket> closed = new ArrayList<>();
            for (Socket s : sockets) {
                s.setSoTimeout(500);
                try {
                    if (s.getInputStream().read() == -1) closed.add(s);
                } catch (SocketTimeoutException stillOpen) {
                    // held
                }
            }
            assertEquals(1, closed.size(), "exactly one of five connections is refused with a cap of four");
            sockets.removeAll(closed);
            sockets.remove(0).close();
            // a freed slot can be used again: a whole request on a new connection is answered
            assertEquals(200, awaitAnswerFrom("127.0.0.2"));
        } finally {
            for (Socket s : sockets) s.close();
        }
    }

    private static int awaitAnswerFrom(String localAddress) throws Exception {
        for (int i = 0; i < 50; i++) {
            try (Socket s = connectFrom(localAddress)) {
                s.getOutputStream().write("GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
                        .getBytes(StandardCharsets.US_ASCII));
                String answer = readAll(s.getInputStream());
                if (answer.startsWith("HTTP/1.1 ")) return Integer.parseInt(answer.substring(9, 12));
            }
            Thread.sleep(20); // the server may not have seen the closed one's end yet
        }
        throw new AssertionError("no answer on a freed connection slot");
    }

    private static Socket connectFrom(String localAddress) throws IOException {
        Socket s = new Socket("127.0.0.1", server.app().httpPort(), InetAddress.getByName(localAddress), 0);
        s.setSoTimeout(5_000);
        return s;
    }

    private static Socket connect() throws IOException {
        Socket s = new Socket("127.0.0.1", server.app().httpPort());
        s.setSoTimeout(5_000);
        return s;
    }

    private static String readAll(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        byte[] buf = new byte[4096];
        try {
            for (int n; (n = in.read(buf)) != -1; ) b.write(buf, 0, n);
        } catch (SocketException reset) {
            // closed by the server after its answer
        }
        return b.toString(StandardCharsets.UTF_8);
    }
}
