package io.calltrack.tracking;

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

    /** Creates a session holding {@code code} if no live session of the site holds it; true when it did. */
    @FunctionalInterface
    public interface Claimant {
        boolean createWith(String code);
    }

    /**
     * Offers random codes to {@code claimant} (whose statement creates the session only if no live session holds the
     * code, so a code costs no round trip of its own) until one is taken. Empty when {@value #TRIES} codes were all taken: the
     * site has about as many live sessions as codes, and {@code agi.trackid-digits} should grow.
     */
    public Optional<String> assign(Claimant claimant) {
        int low = (int) Math.pow(10, digits - 1);
        for (int i = 0; i < TRIES; i++) {
            String code = Integer.toString(ThreadLocalRandom.current().nextInt(low, low * 10));
            if (claimant.createWith(code)) return Optional.of(code);
        }
        return Optional.empty();
    }
}
