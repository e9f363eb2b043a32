package io.calltrack.sip;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;
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
 * One JAIN-SIP stack listening on UDP and TCP on the same address and port. Requests go to the server side
 * ({@link SipRedirectServer}), responses to the OPTIONS prober ({@link ManagerProber}).
 */
public final class SipEndpoint implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SipEndpoint.class);
    /** Larger messages are dropped (UDP) or the connection closed (TCP); real INVITEs are a few KB. */
    static final int MAX_MESSAGE_SIZE = 16_384;

    /** What the endpoint hands incoming traffic to. */
    public interface Handlers {
        void request(RequestEvent event);

        void response(ResponseEvent event);
    }

    private final SipStack stack;
    private final SipProvider provider;
    private final String host;
    private final int port;
    private final AddressFactory addresses;
    private final HeaderFactory headers;
    private final MessageFactory messages;

    private SipEndpoint(SipStack stack, SipProvider provider, String host, int port, SipFactory factory)
            throws Exception {
        this.stack = stack;
        this.provider = provider;
        this.host = host;
        this.port = port;
        this.addresses = factory.createAddressFactory();
        this.headers = factory.createHeaderFactory();
        this.messages = factory.createMessageFactory();
    }

    /** Binds UDP and TCP on {@code host:port}; port 0 picks a port free for both. */
    public static SipEndpoint start(String host, int port) throws Exception {
        SipFactory factory = SipFactory.getInstance();
        factory.setPathName("gov.nist");
        int bound = port == 0 ? freeUdpAndTcpPort(host) : port;
        Properties p = new Properties();
        // unique per JVM (servers run side by side in tests); it is also the stack's logger name, so its
        // logs can be tuned under io.calltrack.sip.stack
        p.setProperty("javax.sip.STACK_NAME", "io.calltrack.sip.stack.port" + bound);
        p.setProperty("javax.sip.AUTOMATIC_DIALOG_SUPPORT", "off");
        p.setProperty("gov.nist.javax.sip.MAX_MESSAGE_SIZE", String.valueOf(MAX_MESSAGE_SIZE));
        p.setProperty("gov.nist.javax.sip.THREAD_POOL_SIZE", "4");
        p.setProperty("gov.nist.javax.sip.REENTRANT_LISTENER", "true");
        p.setProperty("gov.nist.javax.sip.TCP_POST_PARSING_THREAD_POOL_SIZE", "4");
        p.setProperty("gov.nist.javax.sip.TRACE_LEVEL", "0");
        p.setProperty("gov.nist.javax.sip.LOG_MESSAGE_CONTENT", "false");
        SipStack stack = factory.createSipStack(p);
        try {
            ListeningPoint udp = stack.createListeningPoint(host, bound, ListeningPoint.UDP);
            ListeningPoint tcp = stack.createListeningPoint(host, bound, ListeningPoint.TCP);
            SipProvider provider = stack.createSipProvider(udp);
            provider.addListeningPoint(tcp);
            SipEndpoint endpoint = new SipEndpoint(stack, provider, host, bound, factory);
            log.info("SIP listening on {}:{} (UDP and TCP)", host, bound);
            return endpoint;
        } catch (Exception e) {
            stack.stop();
            throw new IOException("cannot listen for SIP on " + host + ":" + bound + ": " + e.getMessage(), e);
        }
    }

    /** Starts delivering traffic; the handlers are set once, after everything they need exists. */
    public void listen(Handlers handlers) throws TooManyListenersException {
        provider.addSipListener(new SipListener() {
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
        });
    }

    static int freeUdpAndTcpPort(String host) throws IOException {
        InetAddress address = InetAddress.getByName(host);
        for (int attempt = 0; attempt < 20; attempt++) {
            try (ServerSocket tcp = new ServerSocket(0, 1, address)) {
                int candidate = tcp.getLocalPort();
                try (DatagramSocket udp = new DatagramSocket(candidate, address)) {
                    return candidate;
                } catch (IOException taken) {
                    // UDP side in use: try another
                }
            }
        }
        throw new IOException("no port free for both UDP and TCP on " + host);
    }

    public SipProvider provider() {
        return provider;
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

    @Override
    public void close() {
        stack.stop();
    }
}
