package io.calltrack.telephony.ami.peer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The AMI test peer behaves as Asterisk 22's manager does towards a client: login events, read classes, writetimeout. */
class AmiPeerTest {

    @Test
    void loginIsFollowedByFullyBootedAndSuccessfulAuthForAUserReadingAll() throws Exception {
        try (AmiPeer peer = new AmiPeer("calltrack", "s3cret"); Client c = new Client(peer.port(), 0)) {
            c.login();
            assertEquals("Success", c.next().get("Response"));
            assertEquals("FullyBooted", c.next().get("Event"));
            Map<String, String> auth = c.next();
            assertEquals("SuccessfulAuth", auth.get("Event"));
            assertEquals("security,all", auth.get("Privilege"));
            assertEquals("calltrack", auth.get("AccountID"));
            assertEquals("IPV4/TCP/127.0.0.1/" + peer.port(), auth.get("LocalAddress"));
        }
    }

    @Test
    void aUserGetsOnlyTheEventsOfItsReadClasses() throws Exception {
        AmiPeer.Account sample = new AmiPeer.Account(Set.of("call", "cdr", "dialplan"), Duration.ofMillis(100));
        try (AmiPeer peer = new AmiPeer("calltrack", "s3cret", sample); Client c = new Client(peer.port(), 0)) {
            c.login();
            assertEquals("Success", c.next().get("Response"));
            peer.awaitLogin();
            peer.send("AGIExecStart", Map.of("Privilege", "agi,all", "Command", "NOOP"));
            peer.send("VarSet", Map.of("Privilege", "dialplan,all", "Variable", "CALLTRACK_CALL_ID"));
            peer.send("Hangup", Map.of("Privilege", "call,all", "Uniqueid", "1.1"));
            assertEquals("VarSet", c.next().get("Event"), "no FullyBooted (system), SuccessfulAuth (security), AGIExecStart (agi)");
            assertEquals("Hangup", c.next().get("Event"));
        }
    }

    @Test
    void aClientThatStopsReadingIsLoggedOffAfterTheWriteTimeoutAndWhatWasQueuedForItIsDropped() throws Exception {
        try (AmiPeer peer = new AmiPeer("calltrack", "s3cret", AmiPeer.Account.DEFAULT);
             Client c = new Client(peer.port(), 4096)) {
            c.login();
            peer.awaitLogin();
            int sent = flood(peer);
            peer.awaitWriteTimeoutLogoff();
            assertEquals(1, peer.writeTimeoutLogoffs());
            int received = c.eventsUntilClosed();
            assertTrue(received < sent, "the peer dropped the events queued for the client: " + received + " of " + sent);
        }
    }

    @Test
    void aClientThatKeepsReadingKeepsItsSession() throws Exception {
        try (AmiPeer peer = new AmiPeer("calltrack", "s3cret"); Client c = new Client(peer.port(), 4096)) {
            c.login();
            peer.awaitLogin();
            Thread reader = new Thread(() -> c.eventsUntil("Done"));
            reader.start();
            flood(peer);
            peer.send("Done", Map.of("Privilege", "call,all"));
            reader.join(20_000);
            assertEquals(0, peer.writeTimeoutLogoffs());
            assertEquals(2 + 20_000, c.received, "FullyBooted, SuccessfulAuth and every event");
        }
    }

    /** 20,000 events of about 1 KB: far more than the socket buffers of a client that does not read hold. */
    private static int flood(AmiPeer peer) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("Privilege", "dialplan,all");
        fields.put("Variable", "X");
        fields.put("Value", "v".repeat(1000));
        for (int i = 0; i < 20_000; i++) peer.send("VarSet", fields);
        return 20_000;
    }

    /** A bare manager client on a raw socket; {@code receiveBuffer} 0 keeps the system's default. */
    private static final class Client implements AutoCloseable {
        private final Socket socket = new Socket();
        private final BufferedReader in;
        private volatile int received;

        Client(int port, int receiveBuffer) throws IOException {
            if (receiveBuffer > 0) socket.setReceiveBufferSize(receiveBuffer);
            socket.connect(new InetSocketAddress("127.0.0.1", port));
            InputStream raw = socket.getInputStream();
            in = new BufferedReader(new InputStreamReader(raw, StandardCharsets.UTF_8));
            assertEquals(AmiPeer.BANNER, in.readLine());
        }

        void login() throws IOException {
            socket.getOutputStream().write("Action: Login\r\nUsername: calltrack\r\nSecret: s3cret\r\n\r\n"
                    .getBytes(StandardCharsets.UTF_8));
        }

        Map<String, String> next() throws IOException {
            Map<String, String> m = new LinkedHashMap<>();
            String line;
            while ((line = in.readLine()) != null) {
                if (line.isEmpty()) {
                    if (m.isEmpty()) continue;
                    return m;
                }
                int colon = line.indexOf(':');
                m.put(line.substring(0, colon), line.substring(colon + 1).strip());
            }
            return m.isEmpty() ? null : m;
        }

        int eventsUntilClosed() throws IOException {
            List<String> names = new ArrayList<>();
            Map<String, String> m;
            while ((m = next()) != null) if (m.containsKey("Event")) names.add(m.get("Event"));
            return (int) names.stream().filter("VarSet"::equals).count();
        }

        void eventsUntil(String last) {
            try {
                Map<String, String> m;
                while ((m = next()) != null && !last.equals(m.get("Event"))) if (m.containsKey("Event")) received++;
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
