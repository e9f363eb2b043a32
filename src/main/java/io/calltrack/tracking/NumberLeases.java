package io.calltrack.tracking;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.LongStream;

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
    public enum ReusePolicy {
        LEAST_RECENTLY_RELEASED("held_until NULLS FIRST, id"),
        RANDOM("random()");

        private final String scanSql;

        ReusePolicy(String order) {
            this.scanSql = LEASE_SQL.replace("{which}", "").replace("{order}", order);
        }
    }

    private static final String LEASE_SQL = """
                WITH free AS (
                    SELECT id FROM tracked_number
                     WHERE site_id = ? AND kind = 'pool' AND (held_until IS NULL OR held_until <= ?) {which}
                     ORDER BY {order}
                     LIMIT 1
                     FOR UPDATE SKIP LOCKED),
                taken AS (
                    UPDATE tracked_number t SET held_by = ?, held_until = ?
                      FROM free WHERE t.id = free.id
                    RETURNING t.id, t.e164),
                history AS (
                    INSERT INTO number_lease (number_id, session_id, leased_at, held_until)
                    SELECT id, ?, ?, ? FROM taken),
                shown AS (
                    UPDATE visitor_session SET number_id = (SELECT id FROM taken),
                                               no_number = NOT EXISTS (SELECT 1 FROM taken)
                     WHERE id = ?)
                SELECT id, e164 FROM taken""";

    /** The first of the given candidates (array parameter, in the order given) that is free and not being leased. */
    private static final String CANDIDATE_SQL = LEASE_SQL.replace("{which}", "AND id = ANY (?)")
            .replace("{order}", "array_position(?, id)");

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
    public Optional<Leased> lease(Connection c, long siteId, UUID sessionId, Optional<Long> previous, Instant now,
                                  Instant heldUntil) throws SQLException {
        PoolOrder order = orders.computeIfAbsent(siteId, id -> new PoolOrder(id, orderMaxAge));
        order.refreshIfOld(c, now);
        // the session's own last number first: a returning visitor sees the same number again while nobody holds it
        long[] candidates = LongStream.concat(previous.stream().mapToLong(Long::longValue),
                Arrays.stream(order.candidates(now, reuse, CANDIDATES))).distinct().toArray();
        Optional<Leased> leased = Optional.empty();
        if (candidates.length > 0) {
            Array ids = c.createArrayOf("bigint", Arrays.stream(candidates).boxed().toArray());
            leased = lease(c, CANDIDATE_SQL, sessionId, now, heldUntil, siteId, now, ids, ids);
        }
        if (leased.isEmpty()) {
            leased = lease(c, reuse.scanSql, sessionId, now, heldUntil, siteId, now);
            order.reloadAfterMiss(c, now);
        }
        leased.ifPresent(l -> order.held(l.numberId(), heldUntil));
        return leased;
    }

    private static Optional<Leased> lease(Connection c, String sql, UUID sessionId, Instant now, Instant heldUntil,
                                          Object... which) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            int i = 0;
            for (Object w : which) ps.setObject(++i, w instanceof Instant t ? Rows.ts(t) : w);
            ps.setObject(++i, sessionId);
            ps.setTimestamp(++i, Rows.ts(heldUntil));
            ps.setObject(++i, sessionId);
            ps.setTimestamp(++i, Rows.ts(now));
            ps.setTimestamp(++i, Rows.ts(heldUntil));
            ps.setObject(++i, sessionId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(new Leased(rs.getLong(1), rs.getString(2))) : Optional.empty();
            }
        }
    }

    /**
     * Two CTEs for a statement that already has a CTE {@code session} (columns {@code id}, {@code number_id} and
     * {@code seen}, whether a page of the session was ever seen): moves that session's hold on its number to
     * {@code seenUntil} or {@code unseenUntil}, if it still holds it, along with the history row. {@code kept} gives
     * the number's id, E.164 and new {@code held_until}, no row when the lease had run out (the number may already be
     * someone else's). Bind with {@link #bindExtend} where the CTEs stand.
     */
    static String extendCtes(String session) {
        return """
                kept AS (
                    UPDATE tracked_number t SET held_until = CASE WHEN s.seen THEN ?::timestamptz ELSE ?::timestamptz END
                      FROM {session} s
                     WHERE t.id = s.number_id AND t.held_by = s.id AND t.held_until > ?
                    RETURNING t.id, t.e164, t.held_until),
                history AS (
                    UPDATE number_lease SET held_until = kept.held_until FROM kept
                     WHERE number_lease.id = (SELECT max(l.id) FROM number_lease l, {session} s
                                               WHERE l.number_id = kept.id AND l.session_id = s.id))"""
                .replace("{session}", session);
    }

    /** Binds {@link #extendCtes}' parameters from index {@code first}; returns the next free index. */
    static int bindExtend(PreparedStatement ps, int first, Instant now, Instant seenUntil, Instant unseenUntil)
            throws SQLException {
        ps.setTimestamp(first, Rows.ts(seenUntil));
        ps.setTimestamp(first + 1, Rows.ts(unseenUntil));
        ps.setTimestamp(first + 2, Rows.ts(now));
        return first + 3;
    }

    /** A session of the site kept its number until {@code heldUntil} ({@link #extendCtes} found it still held). */
    void extended(long siteId, long numberId, Instant heldUntil) {
        PoolOrder order = orders.get(siteId);
        if (order != null) order.held(numberId, heldUntil);
    }
}
