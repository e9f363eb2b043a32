package io.calltrack.delivery;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A receiver that never answers: it accepts every connection on 127.0.0.1 and then says nothing, ever (or, made
 * with {@link #startingAnAnswer}, the head of an answer whose body never comes).
 */
final class SilentReceiver implements AutoCloseable {
    private final ServerSocket server;
    private final List<Socket> accepted = new CopyOnWriteArrayList<>();
    private final Thread acceptor;

    SilentReceiver() {
        this("");
    }

    /** Answers every request with a status line and headers announcing a body, then falls silent. */
    static SilentReceiver startingAnAnswer() {
        return new SilentReceiver("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 1000\r\n\r\nok");
    }

    private SilentReceiver(String saysFirst) {
        try {
            server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        acceptor = new Thread(() -> {
            while (!server.isClosed()) {
                try {
                    Socket s = server.accept();
                    accepted.add(s);
                    if (!saysFirst.isEmpty()) {
                        s.getInputStream().read(new byte[8192]); // the request (small enough to come in one read)
                        s.getOutputStream().write(saysFirst.getBytes(StandardCharsets.US_ASCII));
                        s.getOutputStream().flush();
                    }
                } catch (IOException e) {
                    return;
                }
            }
        }, "silent-receiver");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    String url(String path) {
        return "http://127.0.0.1:" + server.getLocalPort() + path;
    }

    /** Connections accepted so far (each one a request left hanging). */
    int connections() {
        return accepted.size();
    }

    @Override
    public void close() {
        try {
            server.close();
            for (Socket s : accepted) s.close();
        } catch (IOException ignored) {
            // closing a test peer
        }
    }
}
