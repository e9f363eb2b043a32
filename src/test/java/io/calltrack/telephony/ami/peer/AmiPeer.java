package io.calltrack.telephony.ami.peer;

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
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

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
 *
 * The manager.conf user is an {@link Account}: its {@code read} classes decide which events reach it (Asterisk sends
 * an event only when the user may read every class in its {@code Privilege} line), and its {@code writetimeout}
 * (Asterisk's default 100 ms) what happens to a client that does not keep up: each connection has its own queue and
 * writer, and a write that cannot progress for longer than the write timeout (the client stopped reading and the
 * socket buffers are full) logs the client off, dropping what was queued for it, as Asterisk's manager does.
 */
public final class AmiPeer implements AutoCloseable {
    public static final String BANNER = "Asterisk Call Manager/11.0.0";
    private static final String[] CHANNEL_FIELDS = {"Channel", "ChannelState", "ChannelStateDesc", "CallerIDNum",
            "CallerIDName", "ConnectedLineNum", "ConnectedLineName", "Language", "AccountCode", "Context", "Exten",
            "Priority", "Uniqueid", "Linkedid"};

    /** Events and responses queued for one slow client before it is logged off anyway (Asterisk's queue is unbounded). */
    private static final int QUEUE_LIMIT = 100_000;
    private static final DateTimeFormatter EVENT_TV = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSZ", Locale.ROOT);

    /**
     * A manager.conf user: {@code read} as in manager.conf ({@code all}, or classes such as {@code call}, {@code cdr},
     * {@code dialplan}), {@code writeTimeout} as its {@code writetimeout}.
     */
    public record Account(Set<String> read, Duration writeTimeout) {
        /** What Asterisk 22 gives a user with {@code read = all} and no writetimeout line. */
        public static final Account DEFAULT = new Account(Set.of("all"), Duration.ofMillis(100));
        /**
         * {@code read = all} with the writetimeout of calltrack's sample manager.conf (5000 ms): what tests of
         * calltrack itself run against, so a test JVM paused by a loaded machine is not logged off mid-test.
         */
        public static final Account SAMPLE_TIMEOUT = new Account(Set.of("all"), Duration.ofSeconds(5));

        public Account {
            read = Set.copyOf(read);
        }

        /** Whether an event whose {@code Privilege} line is {@code privilege} reaches this user (no line: always). */
        boolean reads(String privilege) {
            if (privilege == null || read.contains("all")) return true;
            for (String c : privilege.split(",")) {
                String cls = c.trim();
                if (!cls.isEmpty() && !cls.equals("all") && !read.contains(cls)) return false;
            }
            return true;
        }
    }

    private final String username;
    private final String secret;
    private final Account account;
    private final ServerSocket server;
    private final List<Connection> connections = new CopyOnWriteArrayList<>();
    private final Map<String, Map<String, String>> liveChannels = new LinkedHashMap<>();
    private final Semaphore logins = new Semaphore(0);
    private final Semaphore listings = new Semaphore(0);
    private final Semaphore stalled = new Semaphore(0);
    private final AtomicInteger writeTimeoutLogoffs = new AtomicInteger();
    private final AtomicInteger loginCount = new AtomicInteger();
    private final ScheduledExecutorService watchdog = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "ami-peer-writetimeout");
        t.setDaemon(true);
        return t;
    });
    private volatile boolean refusing;
    private volatile ManagerEventFilter filter = new ManagerEventFilter();
    private volatile java.util.function.UnaryOperator<String> rewrite = java.util.function.UnaryOperator.identity();
    private final List<Map<String, String>> withheld = new CopyOnWriteArrayList<>();

    public AmiPeer(String username, String secret) {
        this(username, secret, Account.SAMPLE_TIMEOUT);
    }

    public AmiPeer(String username, String secret, Account account) {
        this(username, secret, account, 0);
    }

    /** On {@code port} of the loopback address (0: any free port), for a client configured before the peer starts. */
    public AmiPeer(String username, String secret, Account account, int port) {
        this.username = username;
        this.secret = secret;
        this.account = account;
        long checkEvery = Math.max(1, Math.min(10, account.writeTimeout().toMillis() / 4));
        watchdog.scheduleWithFixedDelay(this::logOffStalledClients, checkEvery, checkEvery, TimeUnit.MILLISECONDS);
        try {
            server = new ServerSocket(port, 50, InetAddress.getLoopbackAddress());
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

    /** How many successful logins the peer has seen (a client that reconnects logs in again). */
    public int logins() {
        return loginCount.get();
    }

    /** How many clients the peer logged off because they did not read for longer than the write timeout. */
    public int writeTimeoutLogoffs() {
        return writeTimeoutLogoffs.get();
    }

    /** Waits until the peer logs a client off for not reading (see {@link Account#writeTimeout()}). */
    public void awaitWriteTimeoutLogoff() throws InterruptedException {
        if (!stalled.tryAcquire(20, TimeUnit.SECONDS)) throw new AssertionError("no client logged off within 20 s");
    }

    /**
     * Sends one event to every logged-in client whose read classes cover its {@code Privilege}, fields in the given
     * order, after {@code Event:}, unless the {@link #filterEvents filter} withholds it (kept in {@link #withheld}).
     * Never blocks: the event is queued for each client's writer.
     */
    public void send(String event, Map<String, String> fields) {
        track(event, fields);
        StringBuilder sb = new StringBuilder("Event: ").append(event).append("\r\n");
        fields.forEach((k, v) -> sb.append(k).append(": ").append(v).append("\r\n"));
        sb.append("\r\n");
        String text = sb.toString();
        if (!account.reads(fields.get("Privilege"))) return;
        if (!filter.passes(event, text)) {
            Map<String, String> kept = new LinkedHashMap<>(Map.of("Event", event));
            kept.putAll(fields);
            withheld.add(kept);
            return;
        }
        String sent = rewrite.apply(text);
        for (Connection c : connections) if (c.loggedIn) c.write(sent);
    }

    /**
     * From now on, the text of every event {@link #send} writes goes through {@code rewrite} on its way out (not
     * action responses): a broken or foreign peer, for fuzz tests. The channel table still follows the real event.
     */
    public void rewriteEvents(java.util.function.UnaryOperator<String> rewrite) {
        this.rewrite = rewrite;
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

    /**
     * Updates the channel table as Asterisk's would change, whether or not a client sees the event: a channel's
     * snapshot fields follow its latest event, its application its latest Newexten, its age the time it was announced.
     */
    private synchronized void track(String event, Map<String, String> fields) {
        String uniqueid = fields.get("Uniqueid");
        if (event.equals("Newchannel")) {
            Map<String, String> ch = new LinkedHashMap<>();
            for (String f : CHANNEL_FIELDS) ch.put(f, fields.getOrDefault(f, ""));
            ch.put("Created", String.valueOf(System.nanoTime()));
            liveChannels.put(uniqueid, ch);
            return;
        }
        Map<String, String> ch = liveChannels.get(uniqueid);
        if (ch == null) return;
        if (event.equals("Hangup")) {
            liveChannels.remove(uniqueid);
            return;
        }
        for (String f : CHANNEL_FIELDS) if (fields.containsKey(f)) ch.put(f, fields.get(f));
        switch (event) {
            case "BridgeEnter" -> ch.put("BridgeId", fields.get("BridgeUniqueid"));
            case "BridgeLeave" -> ch.put("BridgeId", "");
            case "Newexten" -> {
                ch.put("Application", fields.getOrDefault("Application", ""));
                ch.put("ApplicationData", fields.getOrDefault("AppData", ""));
            }
            default -> { }
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
                Thread w = new Thread(c::writeQueued, "ami-peer-writer");
                w.setDaemon(true);
                w.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    /** Logs off every client whose current write has not progressed for longer than the write timeout. */
    private void logOffStalledClients() {
        long now = System.nanoTime();
        for (Connection c : connections) {
            long since = c.writingSince.get();
            if (since != 0 && now - since > account.writeTimeout().toNanos()) c.logOff();
        }
    }

    private final class Connection {
        /** Queued after a last response (Goodbye, failed login): the writer closes the session once it is written. */
        private static final byte[] END = new byte[0];
        private final Socket socket;
        private final OutputStream out;
        private final BlockingQueue<byte[]> queue = new ArrayBlockingQueue<>(QUEUE_LIMIT);
        /** System.nanoTime() when the write in progress began; 0 while the writer waits for something to write. */
        private final AtomicLong writingSince = new AtomicLong();
        private volatile boolean loggedIn;
        private final AtomicBoolean closed = new AtomicBoolean();
        private String challenge;

        Connection(Socket socket) throws IOException {
            this.socket = socket;
            this.out = socket.getOutputStream();
        }

        void serve() {
            boolean endedByAction = false;
            try {
                BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
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
                    if (!handle(action)) {
                        endedByAction = true;
                        break;
                    }
                    action = new LinkedHashMap<>();
                }
            } catch (IOException ignored) {
                // the client went away
            } finally {
                if (endedByAction) {
                    loggedIn = false; // nothing more for it: the writer sends what is queued, then closes
                    queue.offer(END);
                } else {
                    close();
                }
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
                    // Asterisk writes FullyBooted itself to a user reading "system"; SuccessfulAuth is a security event
                    if (account.reads("system")) {
                        write("Event: FullyBooted\r\nPrivilege: system,all\r\nUptime: 3600\r\nLastReload: 3600\r\n"
                                + "Status: Fully Booted\r\n\r\n");
                    }
                    if (account.reads("security")) write(successfulAuth());
                    loginCount.incrementAndGet();
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
            long now = System.nanoTime();
            for (Map<String, String> ch : channels) {
                sb.append("Event: CoreShowChannel\r\n").append(id);
                for (String f : CHANNEL_FIELDS) sb.append(f).append(": ").append(ch.get(f)).append("\r\n");
                long seconds = TimeUnit.NANOSECONDS.toSeconds(now - Long.parseLong(ch.get("Created")));
                sb.append("Application: ").append(ch.getOrDefault("Application", "")).append("\r\n")
                        .append("ApplicationData: ").append(ch.getOrDefault("ApplicationData", "")).append("\r\n")
                        .append(String.format(Locale.ROOT, "Duration: %02d:%02d:%02d\r\n", seconds / 3600,
                                seconds % 3600 / 60, seconds % 60))
                        .append("BridgeId: ").append(ch.getOrDefault("BridgeId", "")).append("\r\n\r\n");
            }
            sb.append("Event: CoreShowChannelsComplete\r\n").append(id)
                    .append("EventList: Complete\r\nListItems: ").append(channels.size()).append("\r\n\r\n");
            write(sb.toString());
            listings.release();
        }

        /** SuccessfulAuth as Asterisk 22.10.1 sends it (see src/test/resources/asterisk-22/ami-routed-call.txt). */
        private String successfulAuth() {
            String tv = OffsetDateTime.now(ZoneOffset.UTC).format(EVENT_TV);
            return "Event: SuccessfulAuth\r\nPrivilege: security,all\r\nEventTV: " + tv + "\r\n"
                    + "Severity: Informational\r\nService: AMI\r\nEventVersion: 1\r\nAccountID: " + username + "\r\n"
                    + "SessionID: 0x" + Integer.toHexString(System.identityHashCode(this)) + "\r\n"
                    + "LocalAddress: IPV4/TCP/127.0.0.1/" + socket.getLocalPort() + "\r\n"
                    + "RemoteAddress: IPV4/TCP/127.0.0.1/" + socket.getPort() + "\r\n"
                    + "UsingPassword: 0\r\nSessionTV: " + tv + "\r\n\r\n";
        }

        /** Queues text for this client's writer; a client too far behind to queue for is logged off. */
        void write(String text) {
            if (closed.get()) return;
            if (!queue.offer(text.getBytes(StandardCharsets.UTF_8))) logOff();
        }

        /** Asterisk's "Manager 'user' logged off" for a client that does not keep up. */
        void logOff() {
            if (!close()) return;
            writeTimeoutLogoffs.incrementAndGet();
            stalled.release();
        }

        /** The writer: one message at a time, timed by the watchdog while the socket does not take it. */
        void writeQueued() {
            try {
                while (!closed.get()) {
                    byte[] message = queue.take();
                    if (message == END) break;
                    writingSince.set(System.nanoTime());
                    out.write(message);
                    out.flush();
                    writingSince.set(0);
                }
            } catch (IOException | InterruptedException e) {
                // logged off, dropped or gone: close() below ends the session either way
            } finally {
                writingSince.set(0);
                close();
            }
        }

        /** Ends the session at once, dropping what was still queued for the client; false if it had ended already. */
        boolean close() {
            if (!closed.compareAndSet(false, true)) return false;
            connections.remove(this);
            queue.clear();
            queue.offer(END);
            try {
                socket.close();
            } catch (IOException ignored) {
                // closed already
            }
            return true;
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
        watchdog.shutdownNow();
        try {
            server.close();
        } catch (IOException ignored) {
            // closed already
        }
        drop();
    }
}
