package io.calltrack.tracking;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Track IDs: random numeric codes of configured length (config {@code agi.trackid-digits}) that no other live
 * session of the site holds. A transaction-scoped advisory lock per (site, code) keeps two concurrent starts,
 * in any process, from taking the same code; a code someone else is trying right now is skipped, never waited for.
 */
public final class TrackIds {
    private static final int TRIES = 20;

    private final int digits;

    public TrackIds(int digits) {
        this.digits = digits;
    }

    /**
     * A free code for a new session, locked until the caller's transaction ends (the caller inserts the session
     * with it in that transaction). Empty when {@value #TRIES} random codes were all taken: the site has about as
     * many live sessions as codes, and {@code agi.trackid-digits} should grow.
     */
    public Optional<String> assign(Connection c, long siteId, Instant liveAfter) throws SQLException {
        int low = (int) Math.pow(10, digits - 1);
        for (int i = 0; i < TRIES; i++) {
            String code = Integer.toString(ThreadLocalRandom.current().nextInt(low, low * 10));
            if (claim(c, siteId, code, liveAfter)) return Optional.of(code);
        }
        return Optional.empty();
    }

    /** Locks the code for this transaction and checks no live session holds it, in one round trip. */
    private static boolean claim(Connection c, long siteId, String code, Instant liveAfter) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT pg_try_advisory_xact_lock(hashtextextended('calltrack.trackid:' || ? || ':' || ?, 0))
                   AND NOT EXISTS (SELECT 1 FROM visitor_session
                                    WHERE site_id = ? AND track_id = ? AND last_seen_at > ?)""")) {
            ps.setLong(1, siteId);
            ps.setString(2, code);
            ps.setLong(3, siteId);
            ps.setString(4, code);
            ps.setTimestamp(5, Rows.ts(liveAfter));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }
}
