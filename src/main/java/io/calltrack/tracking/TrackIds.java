package io.calltrack.tracking;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Track IDs: random numeric codes of configured length (config {@code agi.trackid-digits}) that no other live
 * session of the site holds. A transaction-scoped advisory lock per (site, code) keeps two concurrent starts,
 * in any process, from taking the same code; a code someone else is trying right now is skipped, never waited for.
 * The check runs inside the statement that creates the session.
 */
public final class TrackIds {
    private static final int TRIES = 20;

    private final int digits;

    public TrackIds(int digits) {
        this.digits = digits;
    }

    /** Creates a session holding {@code code} if {@link #CLAIM_SQL} allows it; true when it did. */
    @FunctionalInterface
    public interface Claimant {
        boolean createWith(String code) throws SQLException;
    }

    /**
     * The condition under which a statement may give a new session a code: it locks the code for the transaction and
     * checks that no live session holds it. Bind with {@link #bindClaim}.
     */
    static final String CLAIM_SQL = """
            pg_try_advisory_xact_lock(hashtextextended('calltrack.trackid:' || ? || ':' || ?, 0))
               AND NOT EXISTS (SELECT 1 FROM visitor_session
                                WHERE site_id = ? AND track_id = ? AND last_seen_at > ?)""";

    /**
     * Offers random codes to {@code claimant} (whose statement creates the session under {@link #CLAIM_SQL}, so a
     * code costs no round trip of its own) until one is taken. Empty when {@value #TRIES} codes were all taken: the
     * site has about as many live sessions as codes, and {@code agi.trackid-digits} should grow.
     */
    public Optional<String> assign(Claimant claimant) throws SQLException {
        int low = (int) Math.pow(10, digits - 1);
        for (int i = 0; i < TRIES; i++) {
            String code = Integer.toString(ThreadLocalRandom.current().nextInt(low, low * 10));
            if (claimant.createWith(code)) return Optional.of(code);
        }
        return Optional.empty();
    }

    /** Binds {@link #CLAIM_SQL} from index {@code first}; sessions seen after {@code liveAfter} are live. */
    static void bindClaim(PreparedStatement ps, int first, long siteId, String code, Instant liveAfter)
            throws SQLException {
        ps.setLong(first, siteId);
        ps.setString(first + 1, code);
        ps.setLong(first + 2, siteId);
        ps.setString(first + 3, code);
        ps.setTimestamp(first + 4, Rows.ts(liveAfter));
    }
}
