package io.calltrack.telephony.ami;

import io.calltrack.calls.CallLifecycle;
import io.calltrack.calls.CallSignal;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Between asterisk-java's event dispatch and the database. The dispatch thread only maps events and offers their
 * signals here, so a slow database never slows the reading of AMI: Asterisk logs off a manager session that does
 * not read within its {@code writetimeout} and drops every event it had queued for it. One worker applies the
 * signals in arrival order (so each call's order is kept), as many as have arrived in one transaction.
 * Bounded: when full, a signal goes to the durable spool instead of waiting (its order relative to signals still
 * in memory is then not kept, which the lifecycle's idempotent, order-tolerant writes absorb).
 */
final class AmiSignalQueue implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(AmiSignalQueue.class);
    /** One transaction carries at most this many signals: long enough for a burst, short enough to hold few locks. */
    private static final int MAX_BATCH = 256;

    private final BlockingQueue<CallSignal> queue;
    private final CallLifecycle lifecycle;
    private final Thread worker;
    private final AtomicLong spilled = new AtomicLong();
    private volatile boolean stopping;

    AmiSignalQueue(int capacity, CallLifecycle lifecycle) {
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.lifecycle = lifecycle;
        this.worker = new Thread(this::drainForever, "ami-signals");
        worker.setDaemon(true);
        worker.start();
    }

    /** Never blocks the caller on the database. */
    void offer(CallSignal signal) {
        if (queue.offer(signal)) return;
        if (spilled.getAndIncrement() % 10_000 == 0) {
            log.warn("{} AMI call events wait for the database (ami.queue-capacity); further ones go to the disk "
                    + "spool until it catches up. Is PostgreSQL overloaded?", queue.size());
        }
        lifecycle.defer(signal);
    }

    /** Signals waiting in memory. */
    int size() {
        return queue.size();
    }

    private void drainForever() {
        List<CallSignal> batch = new ArrayList<>(MAX_BATCH);
        while (!stopping || !queue.isEmpty()) {
            try {
                CallSignal first = queue.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) continue;
                batch.add(first);
                queue.drainTo(batch, MAX_BATCH - 1);
                lifecycle.acceptAll(batch);
            } catch (InterruptedException e) {
                if (!stopping) Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                log.error("{} AMI call events could not be applied", batch.size(), e);
            } finally {
                batch.clear();
            }
        }
    }

    /** Applies what is queued (for at most 5 s), spools the rest, then stops. */
    @Override
    public void close() {
        stopping = true;
        try {
            worker.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (!queue.isEmpty()) {
            List<CallSignal> rest = new ArrayList<>();
            queue.drainTo(rest);
            log.warn("stopping with {} AMI call events not yet applied; spooling them", rest.size());
            rest.forEach(lifecycle::defer);
        }
    }
}
