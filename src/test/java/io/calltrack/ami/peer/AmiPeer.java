package io.calltrack.ami.peer;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * A TCP server that speaks the Asterisk Manager Interface as Asterisk 18-22 does: the
 * {@code Asterisk Call Manager/11.0.0} banner, CRLF lines, messages ended by an empty line, ActionID echoed on
 * every response, MD5 challenge or plain login, FullyBooted after login, CoreSettings, Ping, Logoff and
 * CoreShowChannels as an event list (Response with {@code EventList: start}, one CoreShowChannel per channel,
 * CoreShowChannelsComplete with {@code EventList: Complete} and ListItems). Unknown actions get Asterisk's
 * {@code Response: Error / Message: Invalid/unknown command}.
 *
 * Events are sent with {@link #send}; the peer keeps the channels it has announced (Newchannel adds one, Hangup
 * removes it) so CoreShowChannels answers like Asterisk would. {@link #drop} cuts the connection,
 * {@link #refuseConnections} imitates an Asterisk that is down. {@link #filterEvents} applies a manager.conf
 * user's {@code eventfilter} lines to the events (not to action responses), as Asterisk does.
 */
public final class AmiPeer implements AutoCloseable {
    public static final String BANNER = "Asterisk Call Manager/11.0.0";
    private static final String[] CHANNEL_FIELDS = {"Channel", "ChannelState", "ChannelStateDesc", "CallerIDNum",
            "CallerIDName", "ConnectedLineNum", "ConnectedLineName", "Language", "AccountCode", "Context", "Exten",
            "Priority", "Uniqueid", "Linkedid"};

    private final String username;
    private final String secret;
    private final ServerSocket server;
    private final List<Connection> connections = new CopyOnWriteArrayList<>();
    private final Map<String, Map<String, String>> liveChannels = new LinkedHashMap<>();
    private final Semaphore logins = new Semaphore(0);
    private final Semaphore listings = new Semaphore(0);
    private volatile boolean refusing;
    private volatile ManagerEventFilter filter = new ManagerEventFilter();
    private final List<Map<String, String>> withheld = new CopyOnWriteArrayList<>();

    public AmiPeer(String username, String secret) {
        this.username = username;
        this.secret = secret;
        try {
            server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Thread acceptor = new Thread(this::acceptLoop, "ami-peer-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public int port() {
        return server.getLocalPort();
    }

    /** Waits for the next successful login (the client connected, or reconnected). */
    public void awaitLogin() throws InterruptedException {
        if (!logins.tryAcquire(20, TimeUnit.SECONDS)) throw new AssertionError("no AMI login within 20 s");
    }

    /** Waits until a client has asked for CoreShowChannels (calltrack reconciles after each login). */
    public void awaitChannelListing() throws InterruptedException {
        if (!listings.tryAcquire(20, TimeUnit.SECONDS)) throw new AssertionError("no CoreShowChannels within 20 s");
    }

    /**
     * Sends one event to every logged-in client, fields in the given order, after {@code Event:}; an event the
     * {@link #filterEvents filter} withholds is kept in {@link #withheld} instead.
     */
    public void send(String event, Map<String, String> fields) {
        track(event, fields);
        StringBuilder sb = new StringBuilder("Event: ").append(event).append("\r\n");
        fields.forEach((k, v) -> sb.append(k).append(": ").append(v).append("\r\n"));
        sb.append("\r\n");
        if (!filter.passes(event, sb.toString())) {
            Map<String, String> kept = new LinkedHashMap<>(Map.of("Event", event));
            kept.putAll(fields);
            withheld.add(kept);
            return;
        }
        for (Connection c : connections) if (c.loggedIn) c.write(sb.toString());
    }

    /** From now on, events go through {@code filter} as through a manager.conf user's eventfilter lines. */
    public void filterEvents(ManagerEventFilter filter) {
        this.filter = filter;
    }

    /** The events the filter kept from the clients, with their {@code Event} name first. */
    public List<Map<String, String>> withheld() {
        return List.copyOf(withheld);
    }

    /** Sends bytes as they are, to test how the client copes with what a broken or foreign peer might send. */
    public void sendRaw(String text) {
        for (Connection c : connections) if (c.loggedIn) c.write(text);
    }

    /** Updates the channel table as Asterisk's would change, whether or not a client sees the event. */
    private synchronized void track(String event, Map<String, String> fields) {
        if (event.equals("Newchannel")) {
            Map<String, String> ch = new LinkedHashMap<>();
            for (String f : CHANNEL_FIELDS) ch.put(f, fields.getOrDefault(f, ""));
            liveChannels.put(fields.get("Uniqueid"), ch);
        } else if (event.equals("Hangup")) {
            liveChannels.remove(fields.get("Uniqueid"));
        } else if (event.equals("BridgeEnter") && liveChannels.containsKey(fields.get("Uniqueid"))) {
            liveChannels.get(fields.get("Uniqueid")).put("BridgeId", fields.get("BridgeUniqueid"));
        }
    }

    /** Closes every client connection, as a restarting Asterisk or a broken network would. */
    public void drop() {
        for (Connection c : connections) c.close();
    }

    public void refuseConnections(boolean refuse) {
        refusing = refuse;
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                if (refusing) {
                    s.close();
                    continue;
                }
                Connection c = new Connection(s);
                connections.add(c);
                Thread t = new Thread(c::serve, "ami-peer-conn");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private final class Connection {
        private final Socket socket;
        private final OutputStream out;
        private volatile boolean loggedIn;
        private String challenge;

        Connection(Socket socket) throws IOException {
            this.socket = socket;
            this.out = socket.getOutputStream();
        }

        void serve() {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8))) {
                write(BANNER + "\r\n");
                Map<String, String> action = new LinkedHashMap<>();
                String line;
                while ((line = in.readLine()) != null) {
                    if (!line.isEmpty()) {
                        int colon = line.indexOf(':');
                        if (colon > 0) action.put(line.substring(0, colon).trim().toLowerCase(), line.substring(colon + 1).trim());
                        continue;
                    }
                    if (action.isEmpty()) continue;
                    if (!handle(action)) break;
                    action = new LinkedHashMap<>();
                }
            } catch (IOException ignored) {
                // the client went away
            } finally {
                close();
            }
        }

        /** Answers one action; false when the connection ends (Logoff). */
        private boolean handle(Map<String, String> a) {
            String name = a.getOrDefault("action", "").toLowerCase();
            String id = a.containsKey("actionid") ? "ActionID: " + a.get("actionid") + "\r\n" : "";
            if (!loggedIn && !name.equals("login") && !name.equals("challenge")) {
                write("Response: Error\r\n" + id + "Message: Authentication Required\r\n\r\n");
                return true;
            }
            switch (name) {
                case "challenge" -> {
                    challenge = String.valueOf(100_000_000 + (long) (Math.random() * 800_000_000));
                    write("Response: Success\r\n" + id + "Challenge: " + challenge + "\r\n\r\n");
                }
                case "login" -> {
                    boolean ok = username.equals(a.get("username")) && (secret.equals(a.get("secret"))
                            || (challenge != null && md5(challenge + secret).equals(a.get("key"))));
                    if (!ok) {
                        write("Response: Error\r\n" + id + "Message: Authentication failed\r\n\r\n");
                        return false;
                    }
                    write("Response: Success\r\n" + id + "Message: Authentication accepted\r\n\r\n");
                    loggedIn = true;
                    write("Event: FullyBooted\r\nPrivilege: system,all\r\nUptime: 3600\r\nLastReload: 3600\r\n"
                            + "Status: Fully Booted\r\n\r\n");
                    logins.release();
                }
                case "coresettings" -> write("Response: Success\r\n" + id + "AMIversion: 11.0.0\r\nAsteriskVersion: 22.10.1\r\n"
                        + "SystemName: \r\nCoreMaxCalls: 0\r\nCoreMaxLoadAvg: 0.000000\r\nCoreRunUser: asterisk\r\n"
                        + "CoreRunGroup: asterisk\r\nCoreMaxFilehandles: 0\r\nCoreRealTimeEnabled: No\r\n"
                        + "CoreCDRenabled: Yes\r\nCoreHTTPenabled: No\r\nSoundsSearchCustomDir: No\r\n\r\n");
                case "ping" -> write("Response: Success\r\n" + id + "Ping: Pong\r\nTimestamp: "
                        + String.format(java.util.Locale.ROOT, "%.6f", System.currentTimeMillis() / 1000.0) + "\r\n\r\n");
                case "coreshowchannels" -> coreShowChannels(id);
                case "logoff" -> {
                    write("Response: Goodbye\r\n" + id + "Message: Thanks for all the fish.\r\n\r\n");
                    return false;
                }
                default -> write("Response: Error\r\n" + id + "Message: Invalid/unknown command\r\n\r\n");
            }
            return true;
        }

        private void coreShowChannels(String id) {
            List<Map<String, String>> channels;
            synchronized (AmiPeer.this) {
                channels = new ArrayList<>();
                liveChannels.values().forEach(c -> channels.add(new LinkedHashMap<>(c)));
            }
            StringBuilder sb = new StringBuilder("Response: Success\r\n").append(id)
                    .append("EventList: start\r\nMessage: Channels will follow\r\n\r\n");
            for (Map<String, String> ch : channels) {
                sb.append("Event: CoreShowChannel\r\n").append(id);
                for (String f : CHANNEL_FIELDS) sb.append(f).append(": ").append(ch.get(f)).append("\r\n");
                sb.append("BridgeId: ").append(ch.getOrDefault("BridgeId", "")).append("\r\n")
                        .append("Application: Dial\r\nApplicationData: \r\nDuration: 00:00:10\r\n\r\n");
            }
            sb.append("Event: CoreShowChannelsComplete\r\n").append(id)
                    .append("EventList: Complete\r\nListItems: ").append(channels.size()).append("\r\n\r\n");
            write(sb.toString());
            listings.release();
        }

        synchronized void write(String text) {
            try {
                out.write(text.getBytes(StandardCharsets.UTF_8));
                out.flush();
            } catch (IOException e) {
                close();
            }
        }

        void close() {
            connections.remove(this);
            try {
                socket.close();
            } catch (IOException ignored) {
                // closed already
            }
        }
    }

    private static String md5(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException ignored) {
            // closed already
        }
        drop();
    }
}
