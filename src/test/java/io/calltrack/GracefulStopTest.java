package io.calltrack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.calltrack.config.CalltrackConfig;
import io.calltrack.config.ConfigSource;
import io.calltrack.platform.db.Database;
import io.calltrack.support.ChildServer;
import io.calltrack.support.Http;
import io.calltrack.support.TestDatabase;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGTERM while visitors start sessions: calltrack stops in order (listeners, requests in flight, pool, database
 * last), so every request it had when the signal came is answered, and every session it answered 200 is stored.
 */
class GracefulStopTest {
    private static final String ORIGIN = "https://shop.example";
    private static final String BROWSER = "Mozilla/5.0 (X11; Linux x86_64; rv:120.0) Gecko/20100101 Firefox/120.0";
    private static final Pattern SESSION = Pattern.compile("\"sessionId\":\"([0-9a-f-]{36})\"");
    private static final int CLIENTS = 8;

    @TempDir
    Path work;

    /** One session start as the visitor saw it: when its request was on the wire, and the answer if any. */
    record Attempt(long sentNanos, long answeredNanos, int status, Optional<UUID> session, String failure) {}

    @Test
    void sigtermUnderLoadAnswersTheRequestsInFlightAndLosesNoAcknowledgedSession() throws Exception {
        Path dataDir = work.resolve("data");
        try (ChildServer server = ChildServer.start(work, dataDir,
                Map.of("tracking.session-starts-per-ip-per-minute", "1000000"))) {
            server.awaitRunning(Duration.ofSeconds(90));
            int port = server.httpPort();
            String key = site(new Http("http://127.0.0.1:" + port));

            ConcurrentLinkedQueue<Attempt> attempts = new ConcurrentLinkedQueue<>();
            CountDownLatch loaded = new CountDownLatch(200);
            List<Thread> clients = IntStream.range(0, CLIENTS).mapToObj(i -> new Thread(() -> {
                while (true) {
                    Attempt a = startSession(port, key);
                    attempts.add(a);
                    if (a.status() == 200) loaded.countDown();
                    if (a.failure().startsWith(ConnectException.class.getName())) return; // no longer listening
                }
            }, "visitor-" + i)).toList();
            clients.forEach(Thread::start);
            assertTrue(loaded.await(60, TimeUnit.SECONDS), "the load did not get going:\n" + server.output());

            long signalled = System.nanoTime();
            server.sigterm();
            for (Thread c : clients) c.join(TimeUnit.SECONDS.toMillis(60));
            assertTrue(server.awaitExit(Duration.ofSeconds(60)).isPresent(), "no exit:\n" + server.output());

            List<Attempt> all = List.copyOf(attempts);
            List<Attempt> inFlight = all.stream().filter(a -> a.sentNanos() < signalled).toList();
            System.out.printf("%d session starts, %d sent before SIGTERM (%d of them answered after it), "
                    + "%d answered 200%n", all.size(), inFlight.size(),
                    inFlight.stream().filter(a -> a.answeredNanos() > signalled).count(),
                    all.stream().filter(a -> a.status() == 200).count());
            assertTrue(inFlight.stream().allMatch(a -> a.status() == 200),
                    "requests calltrack had when SIGTERM came were not answered: " + failures(inFlight)
                            + "\n" + server.output());
            assertTrue(all.stream().noneMatch(a -> a.status() >= 500), "5xx while stopping: " + failures(all));
            String log = server.output();
            System.out.println(log.substring(log.indexOf("Stopping calltrack"))); // how the stop went
            assertFalse(log.contains("Failed to validate connection"), "the database went before the pool:\n" + log);
            assertFalse(log.contains(" ERROR "), log);
            assertTrue(log.contains("calltrack stopped"), log);

            List<UUID> acknowledged = all.stream().flatMap(a -> a.session().stream()).toList();
            assertEquals(acknowledged.size(), storedOf(dataDir, acknowledged),
                    "sessions answered 200 but not in the database");
        }
    }

    private static String site(Http http) throws Exception {
        ObjectMapper json = new ObjectMapper();
        var site = json.readTree(http.adminPost("/v1/sites", """
                {"name":"Shop","timeZone":"UTC","fallbackNumber":"+12125550100","allowedOrigins":["%s"]}"""
                .formatted(ORIGIN)).body());
        for (int i = 0; i < 3; i++) {
            http.adminPost("/v1/sites/" + site.get("id").asLong() + "/numbers",
                    "{\"number\":\"+1312555000" + i + "\",\"kind\":\"pool\"}");
        }
        return site.get("publicKey").asText();
    }

    /** One request on a connection of its own (Connection: close), as a browser's first visit makes it. */
    private static Attempt startSession(int port, String key) {
        byte[] body = ("{\"clientId\":\"" + UUID.randomUUID() + "\",\"page\":\"" + ORIGIN + "/\"}")
                .getBytes(StandardCharsets.UTF_8);
        String head = "POST /v1/visitor/" + key + "/sessions HTTP/1.1\r\nHost: 127.0.0.1:" + port
                + "\r\nOrigin: " + ORIGIN + "\r\nUser-Agent: " + BROWSER + "\r\nContent-Type: application/json"
                + "\r\nContent-Length: " + body.length + "\r\nConnection: close\r\n\r\n";
        long sent = Long.MAX_VALUE;
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 2000);
            s.setSoTimeout(30_000);
            OutputStream out = s.getOutputStream();
            out.write(head.getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
            sent = System.nanoTime();
            InputStream in = s.getInputStream();
            String response = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            long answered = System.nanoTime();
            if (!response.startsWith("HTTP/1.1 ")) {
                return new Attempt(sent, answered, -1, Optional.empty(), "no response");
            }
            int status = Integer.parseInt(response.substring(9, 12));
            Matcher m = SESSION.matcher(response);
            return new Attempt(sent, answered, status, status == 200 && m.find()
                    ? Optional.of(UUID.fromString(m.group(1))) : Optional.empty(), status == 200 ? "" : response);
        } catch (IOException e) {
            return new Attempt(sent, System.nanoTime(), -1, Optional.empty(), e.toString());
        }
    }

    private static String failures(List<Attempt> attempts) {
        return attempts.stream().filter(a -> a.status() != 200).map(Attempt::failure).distinct().limit(5).toList()
                + " (" + attempts.stream().filter(a -> a.status() != 200).count() + " of " + attempts.size() + ")";
    }

    private static long storedOf(Path dataDir, List<UUID> sessions) throws Exception {
        CalltrackConfig config = CalltrackConfig.from(ConfigSource.of(Map.of("data.dir", dataDir.toString(),
                "db.embedded.binaries-dir", TestDatabase.EMBEDDED_BINARIES.toString())));
        try (Database db = Database.open(config.database()); Connection c = db.dataSource().getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM visitor_session WHERE id = ANY(?)")) {
            ps.setArray(1, c.createArrayOf("uuid", sessions.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
