package io.calltrack.tracking;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ThreadLocalRandom;
import org.jdbi.v3.core.Handle;

/**
 * One site's pool numbers ordered by when each lease ends (never-leased first): which numbers to try first for a new
 * visitor. A hint only: the lease statement re-checks every candidate in PostgreSQL, which alone decides who holds
 * a number. It is kept current by this process's own leases and heartbeats and reloaded from the database when
 * older than {@code maxAge} (tracking.pool-order-max-age) or when its candidates turned out to be taken (by
 * another process, or an admin changed the pool).
 */
final class PoolOrder {
    /** A reload forced by a miss waits this long after the previous one: an exhausted pool misses on every visitor. */
    private static final Duration MIN_RELOAD_GAP = Duration.ofSeconds(1);
    private static final long NEVER_HELD = Long.MIN_VALUE;

    private record Slot(long heldUntilMillis, long numberId) {}

    private static final Comparator<Slot> BY_END = Comparator.comparingLong(Slot::heldUntilMillis)
            .thenComparingLong(Slot::numberId);

    private final long siteId;
    private final Duration maxAge;
    private final TreeSet<Slot> byEnd = new TreeSet<>(BY_END);
    private final Map<Long, Slot> byNumber = new HashMap<>();
    private Instant loadedAt;

    PoolOrder(long siteId, Duration maxAge) {
        this.siteId = siteId;
        this.maxAge = maxAge;
    }

    /** Loads the pool unless the order is younger than {@code maxAge}. */
    synchronized void refreshIfOld(Handle h, Instant now) {
        if (loadedAt == null || !now.isBefore(loadedAt.plus(maxAge))) load(h, now);
    }

    /** Reloads after candidates missed, at most once per {@link #MIN_RELOAD_GAP}. */
    synchronized void reloadAfterMiss(Handle h, Instant now) {
        if (loadedAt == null || !now.isBefore(loadedAt.plus(MIN_RELOAD_GAP))) load(h, now);
    }

    /**
     * Up to {@code max} numbers free at {@code now} as far as this order knows: the ones released longest ago first,
     * or a random choice of the free ones.
     */
    synchronized long[] candidates(Instant now, NumberLeases.ReusePolicy policy, int max) {
        long nowMillis = now.toEpochMilli();
        List<Long> free = new ArrayList<>();
        for (Slot s : byEnd) {
            if (s.heldUntilMillis() > nowMillis) break;
            free.add(s.numberId());
            if (policy == NumberLeases.ReusePolicy.LEAST_RECENTLY_RELEASED && free.size() == max) break;
        }
        if (policy == NumberLeases.ReusePolicy.RANDOM) {
            ThreadLocalRandom random = ThreadLocalRandom.current();
            for (int i = 0; i < Math.min(max, free.size()); i++) {
                int j = random.nextInt(i, free.size());
                free.set(j, free.set(i, free.get(j)));
            }
        }
        return free.stream().limit(max).mapToLong(Long::longValue).toArray();
    }

    /** The number is held until {@code heldUntil} (this process leased or extended it). */
    synchronized void held(long numberId, Instant heldUntil) {
        Slot old = byNumber.get(numberId);
        if (old != null) byEnd.remove(old);
        Slot now = new Slot(heldUntil.toEpochMilli(), numberId);
        byNumber.put(numberId, now);
        byEnd.add(now);
    }

    private void load(Handle h, Instant now) {
        byEnd.clear();
        byNumber.clear();
        h.createQuery("SELECT id, held_until FROM tracked_number WHERE site_id = :siteId AND kind = 'pool'")
                .bind("siteId", siteId)
                .map((rs, ctx) -> {
                    Timestamp until = rs.getTimestamp("held_until");
                    return new Slot(until == null ? NEVER_HELD : until.getTime(), rs.getLong("id"));
                })
                .forEach(s -> {
                    byNumber.put(s.numberId(), s);
                    byEnd.add(s);
                });
        loadedAt = now;
    }
}
