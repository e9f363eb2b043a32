package io.calltrack.sip;

import java.io.IOException;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.UUID;

/** Hand-written SIP over a plain UDP socket, for input no real SIP peer would send. */
final class RawSip implements AutoCloseable {
    private final DatagramSocket socket;
    private final InetSocketAddress server;

    RawSip(int serverPort) throws IOException {
        socket = new DatagramSocket(0, InetAddress.getByName("127.0.0.1"));
        socket.setSoTimeout(5000);
        server = new InetSocketAddress("127.0.0.1", serverPort);
    }

    /** A well-formed request of {@code method} to {@code user}, with a fresh Call-ID and branch. */
    String request(String method, String user, String callId) {
        return method + " sip:" + user + "@127.0.0.1:" + server.getPort() + " SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP 127.0.0.1:" + socket.getLocalPort() + ";branch=z9hG4bK-" + UUID.randomUUID() + "\r\n"
                + "From: <sip:15551230000@127.0.0.1>;tag=raw\r\n"
                + "To: <sip:" + user + "@127.0.0.1>\r\n"
                + "Call-ID: " + callId + "\r\n"
                + "CSeq: 1 " + method + "\r\n"
                + "Contact: <sip:caller@127.0.0.1:" + socket.getLocalPort() + ">\r\n"
                + "Max-Forwards: 70\r\n"
                + "Content-Length: 0\r\n\r\n";
    }

    void send(String message) throws IOException {
        send(message.getBytes(StandardCharsets.US_ASCII));
    }

    void send(byte[] datagram) throws IOException {
        socket.send(new DatagramPacket(datagram, datagram.length, server));
    }

    /** The next message the server sends us within 5 s, if any. */
    Optional<String> receive() throws IOException {
        byte[] buffer = new byte[65_535];
        DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
        try {
            socket.receive(packet);
            return Optional.of(new String(buffer, 0, packet.getLength(), StandardCharsets.US_ASCII));
        } catch (SocketTimeoutException e) {
            return Optional.empty();
        }
    }

    /** The first final (>= 200) response for {@code callId}, skipping provisional ones and other calls'. */
    String finalResponse(String callId) throws IOException {
        while (true) {
            String message = receive().orElseThrow(() -> new AssertionError("no final response for " + callId));
            if (!message.startsWith("SIP/2.0 1") && message.contains("Call-ID: " + callId + "\r\n")) return message;
        }
    }

    /** Writes {@code bytes} over a fresh TCP connection to the server and closes it. */
    void sendOverTcp(byte[] bytes) throws IOException {
        try (Socket tcp = new Socket(server.getAddress(), server.getPort())) {
            OutputStream out = tcp.getOutputStream();
            out.write(bytes);
            out.flush();
        }
    }

    @Override
    public void close() {
        socket.close();
    }
}
