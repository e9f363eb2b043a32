package io.calltrack.reports.delivery;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Polls the outbox and sends what is due, one row per transaction, until nothing is due. */
public final class OutboxWorker implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(OutboxWorker.class);

    private final Outbox outbox;
    private final Outbox.Sender sender;
    private final OutboxPolicy policy;
    private final ScheduledExecutorService timer;

    private OutboxWorker(Outbox outbox, Outbox.Sender sender, OutboxPolicy policy) {
        this.outbox = outbox;
        this.sender = sender;
        this.policy = policy;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "outbox-worker");
            t.setDaemon(true);
            return t;
        });
    }

    /** Delivered rows are kept this long (for support questions), then deleted. */
    static final Duration KEEP_DELIVERED = Duration.ofDays(30);

    public static OutboxWorker start(Outbox outbox, Outbox.Sender sender, OutboxPolicy policy, Duration poll) {
        OutboxWorker w = new OutboxWorker(outbox, sender, policy);
        w.timer.scheduleWithFixedDelay(w::drainLogged, poll.toMillis(), poll.toMillis(), TimeUnit.MILLISECONDS);
        w.timer.scheduleWithFixedDelay(w::purgeLogged, 1, 60, TimeUnit.MINUTES);
        return w;
    }

    private void purgeLogged() {
        try {
            int n = outbox.purgeDelivered(KEEP_DELIVERED);
            if (n > 0) log.info("forgot {} outbox deliveries older than {} days", n, KEEP_DELIVERED.toDays());
        } catch (RuntimeException e) {
            log.warn("outbox purge skipped until the next hour: {}", e.toString());
        }
    }

    private void drainLogged() {
        try {
            drain(outbox, sender, policy);
        } catch (RuntimeException e) {
            log.warn("outbox delivery paused until the next poll: {}", e.toString());
        }
    }

    /** Sends every row due now; returns how many attempts were made. */
    public static int drain(Outbox outbox, Outbox.Sender sender, OutboxPolicy policy) {
        int attempts = 0;
        while (outbox.deliverNext(sender, policy).isPresent()) attempts++;
        return attempts;
    }

    @Override
    public void close() throws InterruptedException {
        timer.shutdownNow();
        timer.awaitTermination(5, TimeUnit.SECONDS);
    }
}
