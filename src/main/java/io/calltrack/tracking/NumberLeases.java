package io.calltrack.tracking;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.LongStream;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.Query;

/**
 * Dynamic-number leasing. {@code tracked_number.held_by/held_until} is each pool number's current lease;
 * {@code number_lease} keeps every lease as history. Exclusivity comes from the database alone (row locks
 * with SKIP LOCKED, compare-and-set updates), so it holds across threads and across server processes.
 * Which free number to try first comes from a per-site {@link PoolOrder} in memory: the lease then takes a number by
 * primary key instead of scanning an index on {@code held_until}, which every lease and heartbeat rewrote.
 */
public final class NumberLeases {
    /** A number a session is shown: a pool number just leased, or a static channel's own. */
    public record Leased(long numberId, String e164) {}

    /** How many numbers one lease statement may try, in order: concurrent leases skip each other's locked rows. */
    private static final int CANDIDATES = 16;

    /**
     * Which free pool number a new session gets. Least-recently-released keeps a released number idle as long as
     * the pool allows, so a late call on it still finds its visitor's lease in the history; random reuse exists to
     * measure that against (scripts/simulate-attribution).
     */
    public enum ReusePolicy { LEAST_RECENTLY_RELEASED, RANDOM }

    /** The end of both lease statements: takes the row {@code free} chose, records the lease, shows it. */
    private static final String TAKE_FREE = """
            taken AS (
                UPDATE tracked_number t SET held_by = :sessionId, held_until = :heldUntil
                  FROM free WHERE t.id = free.id
                RETURNING t.id, t.e164),
            history AS (
                INSERT INTO number_lease (number_id, session_id, leased_at, held_until)
                SELECT id, :sessionId, :now, :heldUntil FROM taken),
            shown AS (
                UPDATE visitor_session SET number_id = (SELECT id FROM taken),
                                           no_number = NOT EXISTS (SELECT 1 FROM taken)
                 WHERE id = :sessionId)
            SELECT id, e164 FROM taken""";

    /**
     * Leases the first of the {@code candidates} (in the array's order) that is a free pool number of the site and
     * not being leased right now, records the lease in the history and shows it on the session's row (or marks the
     * row numberless); returns the number, no row when none of the candidates could be taken.
     */
    private static final String LEASE_CANDIDATE = """
            WITH free AS (
                SELECT id FROM tracked_number
                 WHERE site_id = :siteId AND kind = 'pool' AND (held_until IS NULL OR held_until <= :now)
                   AND id = ANY (:candidates)
                 ORDER BY array_position(:candidates, id)
                 LIMIT 1
                 FOR UPDATE SKIP LOCKED),
            """ + TAKE_FREE;

    /**
     * As {@link #LEASE_CANDIDATE}, but any free pool number of the site: the one released longest ago (never-used
     * ones first), or under {@link ReusePolicy#RANDOM} ({@code :random}) any. No index orders the pool by
     * {@code held_until} (V8), so both orders are one sort of the site's free numbers.
     */
    private static final String LEASE_ANY = """
            WITH free AS (
                SELECT id FROM tracked_number
                 WHERE site_id = :siteId AND kind = 'pool' AND (held_until IS NULL OR held_until <= :now)
                 ORDER BY CASE WHEN :random THEN random() END, held_until NULLS FIRST, id
                 LIMIT 1
                 FOR UPDATE SKIP LOCKED),
            """ + TAKE_FREE;

    private final ReusePolicy reuse;
    private final Duration orderMaxAge;
    private final Map<Long, PoolOrder> orders = new ConcurrentHashMap<>();

    /** {@code orderMaxAge}: how old a site's {@link PoolOrder} may get before it is reloaded. */
    public NumberLeases(ReusePolicy reuse, Duration orderMaxAge) {
        this.reuse = reuse;
        this.orderMaxAge = orderMaxAge;
    }

    /**
     * Leases a free pool number of the site to the session (the one released longest ago, never-used numbers first,
     * under the default policy) and records it in the history; empty when every number is held. Must run inside the
     * caller's transaction. A session row that exists already gets the number (or is marked numberless) here; a new
     * session's row may follow later in the transaction (the history's reference to it is checked at commit).
     * Rows other transactions are leasing right now are skipped, not waited for; a row freed and re-taken meanwhile
     * fails PostgreSQL's re-check of the WHERE clause and is skipped too. When none of the remembered candidates is
     * free, the whole pool is searched before the visitor is given up on. {@code previous}: the number the session
     * held before, tried first (it is taken only if free, never from another session).
     */
    public Optional<Leased> lease(Handle h, long siteId, UUID sessionId, Optional<Long> previous, Instant now,
                                  Instant heldUntil) {
        PoolOrder order = orders.computeIfAbsent(siteId, id -> new PoolOrder(id, orderMaxAge));
        order.refreshIfOld(h, now);
        // the session's own last number first: a returning visitor sees the same number again while nobody holds it
        long[] candidates = LongStream.concat(previous.stream().mapToLong(Long::longValue),
                Arrays.stream(order.candidates(now, reuse, CANDIDATES))).distinct().toArray();
        Optional<Leased> leased = Optional.empty();
        if (candidates.length > 0) {
            leased = lease(h.createQuery(LEASE_CANDIDATE).bindArray("candidates", Long.class,
                    Arrays.stream(candidates).boxed().toList()), siteId, sessionId, now, heldUntil);
        }
        if (leased.isEmpty()) {
            leased = lease(h.createQuery(LEASE_ANY).bind("random", reuse == ReusePolicy.RANDOM), siteId, sessionId,
                    now, heldUntil);
            order.reloadAfterMiss(h, now);
        }
        leased.ifPresent(l -> order.held(l.numberId(), heldUntil));
        return leased;
    }

    private static Optional<Leased> lease(Query lease, long siteId, UUID sessionId, Instant now, Instant heldUntil) {
        return lease.bind("siteId", siteId).bind("sessionId", sessionId).bind("now", now)
                .bind("heldUntil", heldUntil)
                .map((rs, ctx) -> new Leased(rs.getLong("id"), rs.getString("e164"))).findOne();
    }

    /** A session of the site kept its number until {@code heldUntil} (its touch found the lease still running). */
    void extended(long siteId, long numberId, Instant heldUntil) {
        PoolOrder order = orders.get(siteId);
        if (order != null) order.held(numberId, heldUntil);
    }
}
