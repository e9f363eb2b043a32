package io.calltrack.telephony.sip;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Arrays;
import java.util.Properties;
import java.util.TooManyListenersException;
import javax.sip.DialogTerminatedEvent;
import javax.sip.IOExceptionEvent;
import javax.sip.ListeningPoint;
import javax.sip.RequestEvent;
import javax.sip.ResponseEvent;
import javax.sip.SipFactory;
import javax.sip.SipListener;
import javax.sip.SipProvider;
import javax.sip.SipStack;
import javax.sip.TimeoutEvent;
import javax.sip.TransactionTerminatedEvent;
import javax.sip.address.AddressFactory;
import javax.sip.header.HeaderFactory;
import javax.sip.message.MessageFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One JAIN-SIP stack with two addresses: the SIP port (UDP and TCP on {@code host:port}), where PBXs send INVITE,
 * CANCEL and OPTIONS, and the probe port (UDP and TCP on {@code host:probePort}), where the OPTIONS probes to managers
 * leave from and their answers come back to (the Via says so). Each port has its own socket, receive queue and
 * threads, so a flood of INVITEs cannot delay the probes' answers until a live manager counts as unreachable.
 * Requests (on either port) go to the server side ({@link SipRedirectServer}), responses to the prober
 * ({@link ManagerProber}).
 */
public final class SipEndpoint implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SipEndpoint.class);
    /** Larger requests are answered 513 Message Too Large; real INVITEs are a few KB. */
    static final int MAX_MESSAGE_SIZE = 16_384;
    /**
     * What the stack reads of a datagram (and at most of a message on TCP, which is closed past it): one byte more
     * than we serve, so a larger datagram is recognised by filling the buffer ({@link FaithfulParserFactory}) and
     * answered 513. Reading whole datagrams (64 KB) instead would allocate 64 KB per datagram, and under a backlog
     * hold that much per queued message.
     */
    static final int READ_LIMIT = MAX_MESSAGE_SIZE + 1;

    /** What the endpoint hands incoming traffic to. */
    public interface Handlers {
        void request(RequestEvent event);

        void response(ResponseEvent event);
    }

    private final SipStack stack;
    private final SipProvider provider;
    private final SipProvider probes;
    private final String host;
    private final int port;
    private final int probePort;
    private final AddressFactory addresses;
    private final HeaderFactory headers;
    private final MessageFactory messages;

    private SipEndpoint(SipStack stack, SipProvider provider, SipProvider probes, String host, int port, int probePort,
                        SipFactory factory) throws Exception {
        this.stack = stack;
        this.provider = provider;
        this.probes = probes;
        this.host = host;
        this.port = port;
        this.probePort = probePort;
        this.addresses = factory.createAddressFactory();
        this.headers = factory.createHeaderFactory();
        this.messages = factory.createMessageFactory();
    }

    /**
     * Binds UDP and TCP on {@code host:port} and {@code host:probePort}; port 0 picks a port free for both.
     * {@code udpBuffer}: each UDP socket's receive and send buffer in bytes (the kernel caps it at
     * {@code net.core.rmem_max}/{@code wmem_max}); JAIN-SIP would set 64 KB, a third of Linux's own default: a
     * receive queue of about 60 datagrams, which a 30-ms pause at 1,000 INVITE/s overflows.
     */
    public static SipEndpoint start(String host, int port, int probePort, int udpBuffer) throws Exception {
        SipFactory factory = SipFactory.getInstance();
        factory.setPathName("gov.nist");
        int bound = port == 0 ? freeUdpAndTcpPort(host) : port;
        int probing = probePort == 0 ? freeUdpAndTcpPort(host, bound) : probePort;
        Properties p = new Properties();
        // unique per JVM (servers run side by side in tests); it is also the stack's logger name, so its
        // logs can be tuned under io.calltrack.telephony.sip.stack
        p.setProperty("javax.sip.STACK_NAME", "io.calltrack.telephony.sip.stack.port" + bound);
        p.setProperty("javax.sip.AUTOMATIC_DIALOG_SUPPORT", "off");
        p.setProperty("gov.nist.javax.sip.MAX_MESSAGE_SIZE", String.valueOf(READ_LIMIT));
        p.setProperty("gov.nist.javax.sip.MESSAGE_PARSER_FACTORY", FaithfulParserFactory.class.getName());
        p.setProperty("gov.nist.javax.sip.RECEIVE_UDP_BUFFER_SIZE", String.valueOf(udpBuffer));
        p.setProperty("gov.nist.javax.sip.SEND_UDP_BUFFER_SIZE", String.valueOf(udpBuffer));
        p.setProperty("gov.nist.javax.sip.THREAD_POOL_SIZE", "4");
        p.setProperty("gov.nist.javax.sip.REENTRANT_LISTENER", "true");
        p.setProperty("gov.nist.javax.sip.TCP_POST_PARSING_THREAD_POOL_SIZE", "4");
        p.setProperty("gov.nist.javax.sip.TRACE_LEVEL", "0");
        p.setProperty("gov.nist.javax.sip.LOG_MESSAGE_CONTENT", "false");
        SipStack stack = factory.createSipStack(p);
        try {
            SipProvider provider = provider(stack, host, bound);
            SipProvider probes = provider(stack, host, probing);
            SipEndpoint endpoint = new SipEndpoint(stack, provider, probes, host, bound, probing, factory);
            log.info("SIP listening on {}:{} (UDP and TCP); OPTIONS probes to managers from port {}", host, bound,
                    probing);
            return endpoint;
        } catch (Exception e) {
            stack.stop();
            throw new IOException("cannot listen for SIP on " + host + ":" + bound + " and " + probing + ": "
                    + e.getMessage(), e);
        }
    }

    private static SipProvider provider(SipStack stack, String host, int port) throws Exception {
        SipProvider provider = stack.createSipProvider(stack.createListeningPoint(host, port, ListeningPoint.UDP));
        provider.addListeningPoint(stack.createListeningPoint(host, port, ListeningPoint.TCP));
        return provider;
    }

    /**
     * Starts delivering traffic; the handlers are set once, after everything they need exists. JAIN-SIP allows one
     * listener per stack: both ports share it.
     */
    public void listen(Handlers handlers) throws TooManyListenersException {
        SipListener listener = new SipListener() {
            @Override
            public void processRequest(RequestEvent event) {
                handlers.request(event);
            }

            @Override
            public void processResponse(ResponseEvent event) {
                handlers.response(event);
            }

            @Override
            public void processTimeout(TimeoutEvent event) {
                // unanswered OPTIONS probes are counted by the prober's rounds; server transactions need nothing
            }

            @Override
            public void processIOException(IOExceptionEvent event) {
                log.debug("SIP transport error towards {}:{}/{}", event.getHost(), event.getPort(), event.getTransport());
            }

            @Override
            public void processTransactionTerminated(TransactionTerminatedEvent event) {}

            @Override
            public void processDialogTerminated(DialogTerminatedEvent event) {}
        };
        provider.addSipListener(listener);
        probes.addSipListener(listener);
    }

    /** A port free for both UDP and TCP on {@code host}, other than the ones {@code excluded}. */
    static int freeUdpAndTcpPort(String host, int... excluded) throws IOException {
        InetAddress address = InetAddress.getByName(host);
        for (int attempt = 0; attempt < 20; attempt++) {
            try (ServerSocket tcp = new ServerSocket(0, 1, address)) {
                int candidate = tcp.getLocalPort();
                if (Arrays.stream(excluded).anyMatch(t -> t == candidate)) continue;
                try (DatagramSocket udp = new DatagramSocket(candidate, address)) {
                    return candidate;
                } catch (IOException inUse) {
                    // UDP side in use: try another
                }
            }
        }
        throw new IOException("no port free for both UDP and TCP on " + host);
    }

    /** The SIP port's provider: what PBXs talk to. */
    public SipProvider provider() {
        return provider;
    }

    /** The probe port's provider: OPTIONS to managers and their answers. */
    public SipProvider probes() {
        return probes;
    }

    public AddressFactory addresses() {
        return addresses;
    }

    public HeaderFactory headers() {
        return headers;
    }

    public MessageFactory messages() {
        return messages;
    }

    public String host() {
        return host;
    }

    public int port() {
        return port;
    }

    public int probePort() {
        return probePort;
    }

    /**
     * JAIN-SIP's UDP processor creates the list of its threads on its own thread once started; stopped before that
     * is done (a server closed right after it started), it throws (NullPointerException, or
     * ConcurrentModificationException) after closing its socket, leaving the processors after it bound. It has taken
     * itself off the stack's list by then, so stopping again stops those.
     */
    @Override
    public void close() {
        for (int attempt = 1; ; attempt++) {
            try {
                stack.stop();
                return;
            } catch (RuntimeException stillStarting) {
                if (attempt == 3) {
                    log.warn("SIP stack on port {} did not stop cleanly: {}", port, stillStarting.toString());
                    return;
                }
            }
        }
    }
}
