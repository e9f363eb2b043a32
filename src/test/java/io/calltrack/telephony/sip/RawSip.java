package io.calltrack.telephony.sip;

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

    /** The same request with {@code requestUri} as its Request-URI (the start line's middle part). */
    static String withRequestUri(String request, String requestUri) {
        int first = request.indexOf(' ');
        int second = request.indexOf(' ', first + 1);
        return request.substring(0, first + 1) + requestUri + request.substring(second);
    }

    /** The same request with a tag on its To header: a request inside a dialog. */
    static String withToTag(String request, String tag) {
        return request.replaceFirst("(?m)^(To: [^\r]*)\r\n", "$1;tag=" + tag + "\r\n");
    }

    /** The top Via's branch of a request we built. */
    static String branch(String request) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("branch=([^;\r]+)").matcher(request);
        if (!m.find()) throw new IllegalArgumentException("no branch in " + request);
        return m.group(1);
    }

    /**
     * Sends {@code request} over a fresh TCP connection (its Via made TCP) and returns the first final response for
     * {@code callId}.
     */
    String exchangeOverTcp(String request, String callId) throws IOException {
        try (Socket tcp = new Socket(server.getAddress(), server.getPort())) {
            tcp.setSoTimeout(5000);
            String viaTcp = request.replaceFirst("Via: SIP/2.0/UDP 127.0.0.1:\\d+", "Via: SIP/2.0/TCP 127.0.0.1:" + tcp.getLocalPort());
            tcp.getOutputStream().write(viaTcp.getBytes(StandardCharsets.US_ASCII));
            tcp.getOutputStream().flush();
            var in = new java.io.BufferedReader(new java.io.InputStreamReader(tcp.getInputStream(), StandardCharsets.US_ASCII));
            while (true) {
                StringBuilder message = new StringBuilder();
                int length = 0;
                for (String line = in.readLine(); line != null && !line.isEmpty(); line = in.readLine()) {
                    message.append(line).append("\r\n");
                    if (line.regionMatches(true, 0, "Content-Length:", 0, 15)) length = Integer.parseInt(line.substring(15).trim());
                }
                if (message.length() == 0) throw new AssertionError("connection closed without a final response for " + callId);
                for (int i = 0; i < length; i++) in.read();
                String m = message.toString();
                if (!m.startsWith("SIP/2.0 1") && m.contains("Call-ID: " + callId + "\r\n")) return m;
            }
        } catch (SocketTimeoutException e) {
            throw new AssertionError("no final response over TCP for " + callId);
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
