package io.calltrack.telephony.sip;

import io.calltrack.routing.RoutingRepository;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sip.ClientTransaction;
import javax.sip.ResponseEvent;
import javax.sip.address.Address;
import javax.sip.address.SipURI;
import javax.sip.address.URI;
import javax.sip.header.ViaHeader;
import javax.sip.message.Request;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Probes managers' SIP phones with OPTIONS every interval, from the endpoint's probe port (its own socket and
 * threads, so INVITE load cannot hold the answers up). A probe still unanswered when the next round starts is a
 * miss; after {@code missesDown} consecutive misses the manager is marked unreachable (routing skips it), and any
 * response at all marks it reachable again. The state is also the gauge
 * {@code calltrack_sip_manager_reachable{manager=...}} (1 reachable, 0 not, absent until first known).
 */
public final class ManagerProber implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ManagerProber.class);

    private final SipEndpoint endpoint;
    private final RoutingRepository managers;
    private final MeterRegistry metrics;
    private final int missesDown;
    private final ScheduledExecutorService rounds;
    private final Map<Long, ProbeState> states = new ConcurrentHashMap<>();

    /** Per manager, touched only on the prober thread (the gauge reads {@code reachable}). */
    private static final class ProbeState {
        final AtomicInteger reachable = new AtomicInteger(-1);
        Probe outstanding;
        int misses;
    }

    /**
     * Carried as the client transaction's application data; a late answer to an older probe still counts.
     * {@code answered} is set on arrival, so a round that runs before the prober thread got to the answer (it may
     * wait on the database) does not count it as a miss.
     */
    private record Probe(RoutingRepository.SipPhone target, AtomicBoolean answered) {}

    public ManagerProber(SipEndpoint endpoint, RoutingRepository managers, MeterRegistry metrics, int missesDown) {
        this.endpoint = endpoint;
        this.managers = managers;
        this.metrics = metrics;
        this.missesDown = missesDown;
        this.rounds = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "sip-options-prober");
            t.setDaemon(true);
            return t;
        });
    }

    public void start(Duration interval) {
        rounds.scheduleWithFixedDelay(this::round, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void round() {
        List<RoutingRepository.SipPhone> targets;
        try {
            managers.clearUnprobed();
            targets = managers.sipPhones();
        } catch (RuntimeException e) {
            log.warn("SIP OPTIONS round skipped: cannot read managers ({})", e.toString());
            return;
        }
        Set<Long> current = new java.util.HashSet<>();
        for (RoutingRepository.SipPhone target : targets) {
            current.add(target.managerId());
            ProbeState state = states.computeIfAbsent(target.managerId(), id -> register(target));
            if (state.outstanding != null && !state.outstanding.answered().get()) missed(target, state);
            send(target, state);
        }
        states.keySet().retainAll(current);
    }

    private ProbeState register(RoutingRepository.SipPhone target) {
        ProbeState state = new ProbeState();
        Gauge.builder("calltrack_sip_manager_reachable", state.reachable, r -> r.get() < 0 ? Double.NaN : r.get())
                .description("1 when the manager's SIP phone answers OPTIONS, 0 when it stopped answering")
                .tag("manager", target.name())
                .register(metrics);
        return state;
    }

    private void missed(RoutingRepository.SipPhone target, ProbeState state) {
        state.misses++;
        if (state.misses >= missesDown && state.reachable.get() != 0) {
            log.warn("manager {} ({}) unreachable: {} OPTIONS unanswered; routing skips them", target.name(),
                    target.uri(), state.misses);
            update(target.managerId(), state, false);
        }
    }

    private void send(RoutingRepository.SipPhone target, ProbeState state) {
        Probe probe = new Probe(target, new AtomicBoolean());
        state.outstanding = probe;
        try {
            ClientTransaction transaction = endpoint.probes().getNewClientTransaction(options(target.uri()));
            transaction.setApplicationData(probe);
            transaction.sendRequest();
        } catch (Exception e) {
            // counted as a miss at the next round: the probe stays outstanding
            log.debug("OPTIONS to manager {} ({}) not sent: {}", target.name(), target.uri(), e.toString());
        }
    }

    private Request options(String target) throws Exception {
        var a = endpoint.addresses();
        var h = endpoint.headers();
        URI uri = a.createURI(target);
        String transport = uri instanceof SipURI sip && sip.getTransportParam() != null
                ? sip.getTransportParam() : "udp";
        SipURI self = a.createSipURI("calltrack", endpoint.host() + ":" + endpoint.probePort());
        Address from = a.createAddress(self);
        ViaHeader via = h.createViaHeader(endpoint.host(), endpoint.probePort(), transport, null);
        return endpoint.messages().createRequest(uri, Request.OPTIONS,
                endpoint.probes().getNewCallId(), h.createCSeqHeader(1L, Request.OPTIONS),
                h.createFromHeader(from, Long.toHexString(System.nanoTime())),
                h.createToHeader(a.createAddress(uri), null), List.of(via), h.createMaxForwardsHeader(70));
    }

    /**
     * Any final response, even an error, proves the phone is there. Called on the SIP listener thread: the
     * state change (and its database write) is handed to the prober's own thread, which owns all probe state.
     */
    public void response(ResponseEvent event) {
        if (event.getResponse().getStatusCode() < 200 || event.getClientTransaction() == null) return;
        if (event.getClientTransaction().getApplicationData() instanceof Probe probe) {
            probe.answered().set(true);
            rounds.execute(() -> answered(probe));
        }
    }

    private void answered(Probe probe) {
        RoutingRepository.SipPhone target = probe.target();
        ProbeState state = states.get(target.managerId());
        if (state == null) return;
        if (state.outstanding == probe) state.outstanding = null;
        state.misses = 0;
        if (state.reachable.get() != 1) {
            log.info("manager {} ({}) reachable: answered OPTIONS", target.name(), target.uri());
            update(target.managerId(), state, true);
        }
    }

    private void update(long managerId, ProbeState state, boolean reachable) {
        try {
            managers.markReachable(managerId, reachable);
            state.reachable.set(reachable ? 1 : 0);
        } catch (RuntimeException e) {
            log.warn("manager {} reachability not saved ({}); retried next round", managerId, e.toString());
        }
    }

    @Override
    public void close() {
        rounds.shutdownNow();
    }
}
