package io.calltrack.calls;

import io.calltrack.platform.db.DatabaseUnavailableException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where lifecycle signals enter the domain: applies each to the database in arrival order, tells the listeners
 * after commit, and while PostgreSQL is unreachable keeps the signals in the on-disk spool, replaying them in
 * order once it is back (also at start, for signals spooled before a restart).
 */
public final class CallLifecycle implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(CallLifecycle.class);

    private final CallRepository calls;
    private final SignalSpool spool;
    private final List<CallListener> listeners;
    private final CallOpener opener;
    private final ScheduledExecutorService retry;
    /** Failed replays per spooled signal (the spool holds each signal once, in order). */
    private final Map<CallSignal, Integer> failures = new HashMap<>();
    static final int ATTEMPTS = 3;
    /** Signals replayed per transaction: a backlog drains in a few commits, not one per signal. */
    static final int REPLAY_BATCH = 200;
    /** Held while the spool's order is read or changed: briefly, never during database work. */
    private final Object spoolOrder = new Object();
    /** One replay at a time (the replay thread, close). */
    private final Object replaying = new Object();

    /** Records a call that rang while it could not be recorded (an {@link CallSignal.Kind#OPENED} signal). */
    @FunctionalInterface
    public interface CallOpener {
        void open(CallSignal opened);
    }

    /** {@code listeners} should be thread-safe for additions after start (App passes a CopyOnWriteArrayList). */
    public CallLifecycle(CallRepository calls, SignalSpool spool, List<CallListener> listeners, CallOpener opener,
                         long retryMillis) {
        this.calls = calls;
        this.opener = opener;
        this.spool = spool;
        this.listeners = listeners; // read at each notification: listeners added to it later are told too
        this.retry = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "call-spool-replay");
            t.setDaemon(true);
            return t;
        });
        retry.scheduleWithFixedDelay(this::replay, 0, retryMillis, TimeUnit.MILLISECONDS);
    }

    /**
     * Applies the signal now, or spools it when the database is unreachable or older signals still wait. Signals of
     * different calls are applied concurrently (FastAGI sessions and the AMI queue each bring their own); the lock
     * is taken only to keep the spool's order.
     */
    public void accept(CallSignal signal) {
        if (spoolFirst(List.of(signal))) return;
        try {
            applyAndNotify(signal);
        } catch (DatabaseUnavailableException e) {
            spoolBecause(List.of(signal), e);
        } catch (RuntimeException e) {
            // not lost: the replay retries it, then quarantines it
            log.warn("call event {} of call {} could not be applied ({}); spooled for another try", signal.key(),
                    signal.linkedid(), e.toString());
            synchronized (spoolOrder) {
                spool.append(signal);
            }
        }
    }

    /**
     * Applies signals in order in one transaction (a burst of AMI events, one commit); if that fails for a reason
     * other than the database being away, one by one, so one bad signal does not hold back the others.
     */
    public void acceptAll(List<CallSignal> signals) {
        if (signals.isEmpty() || spoolFirst(signals)) return;
        if (signals.stream().anyMatch(s -> s.kind() == CallSignal.Kind.OPENED)) {
            signals.forEach(this::accept);
            return;
        }
        List<CallRepository.Applied> applied;
        try {
            applied = calls.applyAll(signals);
        } catch (DatabaseUnavailableException e) {
            spoolBecause(signals, e);
            return;
        } catch (RuntimeException e) {
            log.warn("a batch of {} call events failed ({}); applying them one by one", signals.size(), e.toString());
            signals.forEach(this::accept);
            return;
        }
        for (int i = 0; i < signals.size(); i++) told(signals.get(i), applied.get(i));
    }

    /** True when older signals wait in the spool: these go behind them, in order, for the replay thread. */
    private boolean spoolFirst(List<CallSignal> signals) {
        if (spool.isEmpty()) return false; // the usual case, without the order lock every signal would take
        synchronized (spoolOrder) {
            if (spool.isEmpty()) return false;
            spool.appendAll(signals);
            return true;
        }
    }

    private void spoolBecause(List<CallSignal> signals, DatabaseUnavailableException e) {
        log.warn("database unreachable; spooling call events to {} until it is back: {}", spool.file(), e.getMessage());
        synchronized (spoolOrder) {
            spool.appendAll(signals);
        }
    }

    /**
     * Replays the spool in order, round after round while it makes progress (signals keep arriving behind the
     * backlog while it drains); true when it is empty afterwards. Signals are applied {@link #REPLAY_BATCH} per
     * transaction, and the spool is locked only to read and trim it, so the FastAGI sessions and the AMI worker
     * append behind the backlog without waiting for the database work. A signal that fails for a reason other than
     * the database being away (a bug, a value PostgreSQL refuses) holds the spool for {@link #ATTEMPTS} replays,
     * then moves to the quarantine file: kept for an admin, never dropped, and no longer holding back the calls after
     * it.
     */
    public boolean replay() {
        synchronized (replaying) {
            int replayed = 0;
            int quarantined = 0;
            while (true) {
                List<CallSignal> pending;
                synchronized (spoolOrder) {
                    if (spool.isEmpty()) break;
                    pending = spool.readAll();
                }
                Round round = replayRound(pending);
                synchronized (spoolOrder) {
                    if (round.done() > 0) spool.removeFirst(round.done());
                }
                replayed += round.done() - round.quarantined();
                quarantined += round.quarantined();
                if (round.done() < pending.size()) {
                    log.debug("{} call events wait in the spool for the next try", pending.size() - round.done());
                    return false;
                }
            }
            if (replayed + quarantined > 0) {
                log.info("replayed {} spooled call events into the database{}", replayed,
                        quarantined > 0 ? " (" + quarantined + " quarantined)" : "");
            }
            return true;
        }
    }

    /** {@code done}: the first signals of the round that are applied or quarantined, so off the spool. */
    private record Round(int done, int quarantined) {}

    private Round replayRound(List<CallSignal> pending) {
        int done = 0;
        int quarantined = 0;
        try {
            while (done < pending.size()) {
                List<CallSignal> batch = batchAt(pending, done);
                if (batch.size() > 1 && appliedTogether(batch)) {
                    done += batch.size();
                    continue;
                }
                for (CallSignal s : batch) {
                    try {
                        applyAndNotify(s);
                        failures.remove(s);
                    } catch (DatabaseUnavailableException e) {
                        throw e;
                    } catch (RuntimeException e) {
                        int attempts = failures.merge(s, 1, Integer::sum);
                        if (attempts < ATTEMPTS) {
                            log.warn("call event {} of call {} failed ({} of {} tries): {}", s.key(), s.linkedid(),
                                    attempts, ATTEMPTS, e.toString());
                            return new Round(done, quarantined);
                        }
                        failures.remove(s);
                        spool.quarantine(s, e.toString());
                        quarantined++;
                        log.error("call event {} of call {} cannot be applied ({}); kept in {} (counted in /metrics "
                                + "and /health). Fix the cause, then move its line back into {}", s.key(),
                                s.linkedid(), e.toString(), spool.quarantineFile(), spool.file());
                    }
                    done++;
                }
            }
        } catch (DatabaseUnavailableException e) {
            log.debug("database still unreachable: {}", e.getMessage());
        }
        return new Round(done, quarantined);
    }

    /** The next run of signals from {@code from}: up to a batch of non-OPENED ones, or one OPENED alone. */
    private static List<CallSignal> batchAt(List<CallSignal> pending, int from) {
        if (pending.get(from).kind() == CallSignal.Kind.OPENED) return pending.subList(from, from + 1);
        int to = from;
        while (to < pending.size() && to - from < REPLAY_BATCH && pending.get(to).kind() != CallSignal.Kind.OPENED) to++;
        return pending.subList(from, to);
    }

    /** Applies the batch in one transaction; false (nothing applied) when one of them fails, to go one by one. */
    private boolean appliedTogether(List<CallSignal> batch) {
        List<CallRepository.Applied> applied;
        try {
            applied = calls.applyAll(batch);
        } catch (DatabaseUnavailableException e) {
            throw e;
        } catch (RuntimeException e) {
            return false;
        }
        for (int i = 0; i < batch.size(); i++) told(batch.get(i), applied.get(i));
        return true;
    }

    /** Marks "now" for reconciliation: calls opened after this are not in an older channel snapshot. */
    public long newestCallId() {
        return calls.newestCallId();
    }

    /** Open calls with ids up to {@code upToId}: the ones reconciliation may have to close. */
    public List<CallRepository.OpenCall> openCalls(long upToId) {
        return calls.openCalls(upToId);
    }

    /** Re-classifies the site's calls by its new threshold and tells the listeners which changed. */
    public List<Long> reclassify(long siteId, int thresholdSeconds) {
        List<Long> changed = calls.reclassify(siteId, thresholdSeconds);
        for (long id : changed) reclassified(id);
        return changed;
    }

    /**
     * What the site's speech rules made of the call ({@code verdict}; empty: no rule gives one, so its class follows
     * the threshold again): stored on the call, which is classified again with it; the listeners hear when its class
     * changed. Not spooled: a database error reaches the caller (a job, retried by the queue).
     */
    public void judgedBySpeech(long callId, Optional<SpeechVerdict> verdict) {
        if (calls.judgeBySpeech(callId, verdict)) reclassified(callId);
    }

    /**
     * Spools the signal without trying the database first and without blocking the caller (an I/O thread that
     * just found the database or its executor unusable); the replay thread writes it within a retry interval.
     */
    public void defer(CallSignal signal) {
        retry.execute(() -> {
            synchronized (spoolOrder) {
                spool.append(signal);
            }
        });
    }

    private void applyAndNotify(CallSignal s) {
        if (s.kind() == CallSignal.Kind.OPENED) {
            opener.open(s);
            return;
        }
        told(s, calls.apply(s));
    }

    private void told(CallSignal s, CallRepository.Applied applied) {
        if (applied.callId().isEmpty()) {
            log.debug("no call recorded for linkedid {} (not routed by calltrack); ignoring {}", s.linkedid(), s.kind());
        } else if (applied.completed().isPresent()) {
            CompletedCall call = applied.completed().get();
            tellEach(call.id(), l -> l.callCompleted(call));
        } else if (applied.corrected()) {
            reclassified(applied.callId().get());
        }
    }

    private void reclassified(long callId) {
        tellEach(callId, l -> l.callReclassified(callId));
    }

    private void tellEach(long callId, Consumer<CallListener> news) {
        for (CallListener l : listeners) {
            try {
                news.accept(l);
            } catch (RuntimeException e) {
                log.error("call listener {} failed for call {}", l.getClass().getSimpleName(), callId, e);
            }
        }
    }

    /**
     * Writes what waits to be spooled (AMI events handed over as it stopped) and makes a last attempt to move the
     * spool into the database, which the application stops after this.
     */
    @Override
    public void close() {
        retry.shutdown(); // ends the periodic replay; spool appends already handed over still run
        try {
            if (!retry.awaitTermination(10, TimeUnit.SECONDS)) {
                log.warn("call events were still being spooled after 10 s; stopping anyway");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        retry.shutdownNow();
        replay();
    }
}
