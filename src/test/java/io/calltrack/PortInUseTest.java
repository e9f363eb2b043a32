package io.calltrack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.calltrack.support.ChildServer;
import io.calltrack.support.TestDatabase;
import java.io.Closeable;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/** A listener's port taken by another program: one line naming the key, exit code 2, no hanging JVM. */
class PortInUseTest {
    @TempDir
    Path work;

    @ParameterizedTest
    @ValueSource(strings = {"http.port", "agi.port", "sip.port"})
    void aTakenPortStopsTheStartWithOneLineNamingTheKeyAndExitCode2(String key) throws Exception {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        // SIP binds UDP first: a program holding the UDP port is enough to refuse it
        try (Closeable taken = key.equals("sip.port") ? new DatagramSocket(0, loopback)
                : new ServerSocket(0, 1, loopback)) {
            Map<String, String> settings = new HashMap<>(Map.of("db.url", TestDatabase.createEmptyDatabase(),
                    "sip.enabled", "true", "sip.port", "0"));
            settings.put(key, String.valueOf(port(taken)));
            try (ChildServer server = ChildServer.start(work, work.resolve("data"), settings)) {
                Optional<Integer> exit = server.awaitExit(Duration.ofSeconds(60));
                assertTrue(exit.isPresent(), "calltrack hangs instead of exiting:\n" + server.output());
                assertEquals(2, exit.get(), server.output());
                String line = "calltrack: " + key + " " + port(taken) + " is in use";
                assertTrue(server.output().lines().anyMatch(l -> l.startsWith(line)), server.output());
                assertFalse(server.output().contains("\tat "), "no stack trace:\n" + server.output());
            }
        }
    }

    private static int port(Closeable socket) {
        return socket instanceof ServerSocket s ? s.getLocalPort() : ((DatagramSocket) socket).getLocalPort();
    }
}
