package io.calltrack.telephony.ami;

import io.calltrack.calls.CallLifecycle;
import io.calltrack.calls.CallRepository;
import io.calltrack.config.CalltrackConfig;
import io.calltrack.platform.db.DatabaseUnavailableException;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.Clock;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.asteriskjava.manager.AuthenticationFailedException;
import org.asteriskjava.manager.ManagerConnection;
import org.asteriskjava.manager.ManagerConnectionFactory;
import org.asteriskjava.manager.ManagerEventListener;
import org.asteriskjava.manager.ResponseEvents;
import org.asteriskjava.manager.action.CoreShowChannelsAction;
import org.asteriskjava.manager.event.CoreShowChannelEvent;
import org.asteriskjava.manager.event.DisconnectEvent;
import org.asteriskjava.manager.event.ManagerEvent;
import org.asteriskjava.manager.event.ResponseEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps one AMI connection to Asterisk and feeds its events, as call signals, to the call lifecycle.
 * asterisk-java's built-in reconnect retries at fixed intervals; we stop it and reconnect ourselves with
 * exponential back-off between ami.reconnect-min and ami.reconnect-max, on a fresh connection each time.
 * After every login we reconcile: calls open in the database whose caller channel Asterisk no longer has
 * ended while we could not see them, and are closed with what is known, marked incomplete.
 */
public final class AmiClient implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(AmiClient.class);
    private static final long ACTION_TIMEOUT_MS = 10_000;

    private final CalltrackConfig.Ami config;
    private final CallLifecycle lifecycle;
    private final AmiEventMapper mapper = new AmiEventMapper();
    private final AmiSignalQueue signals;
    private final Thread supervisor;
    private volatile boolean stopping;
    private volatile ManagerConnection current;
    private final Clock clock;

    private AmiClient(CalltrackConfig.Ami config, CallLifecycle lifecycle, MeterRegistry metrics, Clock clock) {
        this.config = config;
        this.clock = clock;
        this.lifecycle = lifecycle;
        this.signals = new AmiSignalQueue(config.queueCapacity(), lifecycle);
        Gauge.builder("calltrack.ami.queued", signals, AmiSignalQueue::size)
                .description("AMI call events waiting in memory for the database").register(metrics);
        this.supervisor = new Thread(this::superviseForever, "ami-supervisor");
        supervisor.setDaemon(true);
    }

    /** Starts following Asterisk in the background; a down Asterisk is retried, never fatal. */
    public static AmiClient start(CalltrackConfig.Ami config, CallLifecycle lifecycle, MeterRegistry metrics,
                                  Clock clock) {
        AmiClient client = new AmiClient(config, lifecycle, metrics, clock);
        client.supervisor.start();
        return client;
    }

    private String where() {
        return config.host().orElseThrow() + ":" + config.port();
    }

    private void superviseForever() {
        Duration delay = config.reconnectMin();
        Instant lostSince = null;
        while (!stopping) {
            CountDownLatch disconnected = new CountDownLatch(1);
            ManagerConnection conn = new ManagerConnectionFactory(config.host().orElseThrow(), config.port(),
                    config.username(), config.secret()).createManagerConnection();
            ManagerEventListener listener = event -> onEvent(event, disconnected);
            conn.addEventListener(listener);
            try {
                conn.login();
                current = conn;
                log.info("AMI connected to {} as {}", where(), config.username());
                delay = config.reconnectMin();
                reconcile(conn, lostSince == null ? clock.instant() : lostSince);
                disconnected.await();
                lostSince = clock.instant();
                if (!stopping) log.warn("AMI connection to {} lost; call outcomes wait until it is back", where());
            } catch (AuthenticationFailedException e) {
                log.error("AMI login to {} refused for user '{}': check ami.username / ami.secret against manager.conf",
                        where(), config.username());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Exception e) {
                log.warn("AMI connection to {} failed: {} (is Asterisk running and manager.conf enabled?)", where(), e.toString());
            } finally {
                conn.removeEventListener(listener);
                current = null;
                logoffQuietly(conn);
            }
            if (stopping) return;
            if (lostSince == null) lostSince = clock.instant();
            log.info("AMI reconnecting to {} in {} ms", where(), delay.toMillis());
            try {
                Thread.sleep(delay.toMillis());
            } catch (InterruptedException e) {
                return;
            }
            delay = delay.multipliedBy(2).compareTo(config.reconnectMax()) > 0 ? config.reconnectMax() : delay.multipliedBy(2);
        }
    }

    private void onEvent(ManagerEvent event, CountDownLatch disconnected) {
        if (event instanceof DisconnectEvent) {
            disconnected.countDown();
            return;
        }
        try {
            mapper.map(event).forEach(signals::offer);
        } catch (RuntimeException e) {
            log.error("AMI event {} could not be applied", event.getClass().getSimpleName(), e);
        }
    }

    /** Closes the open calls whose caller channel Asterisk no longer has; they ended after {@code lostSince}. */
    private void reconcile(ManagerConnection conn, Instant lostSince) throws Exception {
        long newestBeforeSnapshot;
        try {
            newestBeforeSnapshot = lifecycle.newestCallId();
        } catch (DatabaseUnavailableException e) {
            log.warn("cannot reconcile open calls now, the database is unreachable: {}", e.getMessage());
            return;
        }
        ResponseEvents answer = conn.sendEventGeneratingAction(new CoreShowChannelsAction(), ACTION_TIMEOUT_MS);
        // a call is keyed by the channel FastAGI ran on: a trunk's channel is its own Linkedid, but the ;2 half of a
        // Local channel has the ;1 half's Linkedid, so both ids of every channel count as alive
        Set<String> live = new HashSet<>();
        for (ResponseEvent e : answer.getEvents()) {
            if (e instanceof CoreShowChannelEvent c) {
                if (c.getLinkedid() != null) live.add(c.getLinkedid());
                if (c.getUniqueid() != null) live.add(c.getUniqueid());
            }
        }
        int closed = 0;
        try {
            for (CallRepository.OpenCall call : lifecycle.openCalls(newestBeforeSnapshot)) {
                if (live.contains(call.linkedid())) continue;
                signals.offer(mapper.endedWhileAway(call.linkedid(), lostSince));
                closed++;
            }
        } catch (DatabaseUnavailableException e) {
            log.warn("cannot reconcile open calls now, the database is unreachable: {}", e.getMessage());
            return;
        }
        if (closed > 0) {
            log.warn("{} calls ended while calltrack could not see Asterisk (AMI disconnected or calltrack stopped); "
                    + "closed with what the FastAGI session knew, the rest marked 'outcome unknown'", closed);
        }
        log.info("AMI reconciled: {} channels up in Asterisk", live.size());
    }

    private static void logoffQuietly(ManagerConnection conn) {
        try {
            conn.logoff();
        } catch (RuntimeException ignored) {
            // already disconnected: nothing to stop
        }
    }

    @Override
    public void close() {
        stopping = true;
        ManagerConnection c = current;
        if (c != null) logoffQuietly(c);
        supervisor.interrupt();
        try {
            supervisor.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        signals.close();
    }
}
