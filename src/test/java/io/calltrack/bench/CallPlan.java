package io.calltrack.bench;

import io.calltrack.telephony.ami.peer.CallCapture.DialOutcome;
import java.time.Duration;
import java.util.List;
import java.util.Random;

/**
 * What happens to one simulated call, decided before it rings: how each Dial calltrack sends ends, after how long.
 * From it follows what calltrack should record (the truth the benchmark judges by).
 *
 * @param kind     the kind of call, which also names the real Asterisk capture its AMI stream is replayed from
 * @param attempts the Dials in order; a Dial beyond them rings out (NOANSWER)
 */
record CallPlan(Kind kind, List<Attempt> attempts) {

    enum Kind {
        /** rings, is answered, the caller talks and hangs up */
        TALKS("calltrack-answered.txt"),
        /** the same with a short conversation (below the site's target threshold) */
        SHORT("calltrack-answered.txt"),
        /** the first manager does not answer (Dial's ring timeout), the next one does */
        NO_ANSWER_THEN_ANSWER("calltrack-noanswer-then-answer.txt"),
        /** the caller hangs up while the first manager's phone rings */
        GIVES_UP("calltrack-caller-gives-up.txt"),
        /** rings, is answered, the manager ends the conversation */
        MANAGER_HANGS_UP("calltrack-manager-hangs-up.txt");

        final String capture;

        Kind(String capture) {
            this.capture = capture;
        }
    }

    /**
     * One Dial: {@code ring} until it is answered (ANSWERED_*) or until the caller gives up (CALLER_GIVES_UP);
     * {@code talk} from the answer until one side hangs up. NO_ANSWER rings for the Dial's own timeout.
     */
    record Attempt(DialOutcome outcome, Duration ring, Duration talk) {
        static final Attempt RINGS_OUT = new Attempt(DialOutcome.NO_ANSWER, Duration.ZERO, Duration.ZERO);

        boolean answered() {
            return outcome == DialOutcome.ANSWERED_CALLER_HANGS_UP || outcome == DialOutcome.ANSWERED_MANAGER_HANGS_UP;
        }
    }

    Attempt attempt(int index) {
        return index < attempts.size() ? attempts.get(index) : Attempt.RINGS_OUT;
    }

    /** The attempt that is answered (0-based), or -1. */
    int answeredAttempt() {
        for (int i = 0; i < attempts.size(); i++) if (attempts.get(i).answered()) return i;
        return -1;
    }

    /** The class calltrack should give the call, by the site's threshold. */
    String truthClass(int thresholdSeconds) {
        int a = answeredAttempt();
        if (a < 0) return "unanswered";
        return attempts.get(a).talk().toSeconds() >= thresholdSeconds ? "target" : "non_target";
    }

    /** Talk time calltrack should record, in seconds (0 when unanswered). */
    double truthTalkSeconds() {
        int a = answeredAttempt();
        return a < 0 ? 0 : attempts.get(a).talk().toMillis() / 1000.0;
    }

    /** Rings for {@code ring}, is answered, the caller talks for {@code talk} and hangs up. */
    static CallPlan answered(Kind kind, Duration ring, Duration talk) {
        return new CallPlan(kind, List.of(new Attempt(DialOutcome.ANSWERED_CALLER_HANGS_UP, ring, talk)));
    }

    /**
     * The benchmark's mix: most calls answered after 1-2 s ringing and talking {@code talk}; some short conversations
     * (1 s); some where the first manager does not answer and the next does; some where the caller gives up after 2 s
     * of ringing; some the manager ends. The same seed gives the same calls.
     */
    static final class Mix {
        private final Random random;
        private final Duration talk;

        Mix(long seed, Duration talk) {
            this.random = new Random(seed);
            this.talk = talk;
        }

        CallPlan next() {
            int p = random.nextInt(100);
            Duration ring = Duration.ofMillis(1000 + random.nextInt(1000));
            if (p < 55) return answered(Kind.TALKS, ring, talk);
            if (p < 70) return answered(Kind.SHORT, ring, Duration.ofSeconds(1));
            if (p < 80) {
                return new CallPlan(Kind.NO_ANSWER_THEN_ANSWER, List.of(Attempt.RINGS_OUT,
                        new Attempt(DialOutcome.ANSWERED_CALLER_HANGS_UP, ring, talk)));
            }
            if (p < 90) {
                return new CallPlan(Kind.GIVES_UP, List.of(new Attempt(DialOutcome.CALLER_GIVES_UP,
                        Duration.ofSeconds(2), Duration.ZERO)));
            }
            return new CallPlan(Kind.MANAGER_HANGS_UP, List.of(new Attempt(DialOutcome.ANSWERED_MANAGER_HANGS_UP,
                    ring, talk)));
        }

    }
}
