package io.calltrack.tracking;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * The SQL of dynamic-number leasing. {@code tracked_number.held_by/held_until} is each pool number's current
 * lease; {@code number_lease} keeps every lease as history. Exclusivity comes from the database alone (row locks
 * with SKIP LOCKED, compare-and-set updates), so it holds across threads and across server processes.
 */
public final class NumberLeases {
    /** A number a session is shown: a pool number just leased, or a static channel's own. */
    public record Leased(long numberId, String e164) {}

    /**
     * Which free pool number a new session gets. Least-recently-released keeps a released number idle as long as
     * the pool allows, so a late call on it still finds its visitor's lease in the history; random reuse exists to
     * measure that against (scripts/simulate-attribution).
     */
    public enum ReusePolicy {
        LEAST_RECENTLY_RELEASED("held_until NULLS FIRST, id"),
        RANDOM("random()");

        private final String leaseSql;

        ReusePolicy(String order) {
            this.leaseSql = LEASE_SQL.replace("{order}", order);
        }
    }

    private static final String LEASE_SQL = """
                WITH free AS (
                    SELECT id FROM tracked_number
                     WHERE site_id = ? AND kind = 'pool' AND (held_until IS NULL OR held_until <= ?)
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

    /**
     * Leases the site's free pool number released longest ago (never-used numbers first) to the session, records it
     * in the history and on the session (or marks the session numberless); empty when every number is held.
     * Must run inside the caller's transaction, after the session row exists. Rows other transactions are leasing
     * right now are skipped, not waited for; a row freed and re-taken meanwhile fails PostgreSQL's re-check of the
     * WHERE clause and is skipped too.
     */
    public Optional<Leased> lease(Connection c, ReusePolicy reuse, long siteId, UUID sessionId, Instant now,
                                  Instant heldUntil) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(reuse.leaseSql)) {
            ps.setLong(1, siteId);
            ps.setTimestamp(2, Rows.ts(now));
            ps.setObject(3, sessionId);
            ps.setTimestamp(4, Rows.ts(heldUntil));
            ps.setObject(5, sessionId);
            ps.setTimestamp(6, Rows.ts(now));
            ps.setTimestamp(7, Rows.ts(heldUntil));
            ps.setObject(8, sessionId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(new Leased(rs.getLong(1), rs.getString(2))) : Optional.empty();
            }
        }
    }

    /**
     * Moves the session's hold on the number to {@code heldUntil}, if it still holds it at {@code now}, and gives the
     * number's E.164; empty when the lease had run out (the number may already be someone else's). The history row
     * moves with it.
     */
    public Optional<String> extend(Connection c, long numberId, UUID sessionId, Instant now, Instant heldUntil)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                WITH kept AS (
                    UPDATE tracked_number SET held_until = ?
                     WHERE id = ? AND held_by = ? AND held_until > ?
                    RETURNING id, e164),
                history AS (
                    UPDATE number_lease SET held_until = ?
                     WHERE id = (SELECT max(id) FROM number_lease WHERE number_id = ? AND session_id = ?)
                       AND EXISTS (SELECT 1 FROM kept))
                SELECT e164 FROM kept""")) {
            ps.setTimestamp(1, Rows.ts(heldUntil));
            ps.setLong(2, numberId);
            ps.setObject(3, sessionId);
            ps.setTimestamp(4, Rows.ts(now));
            ps.setTimestamp(5, Rows.ts(heldUntil));
            ps.setLong(6, numberId);
            ps.setObject(7, sessionId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
        }
    }
}
