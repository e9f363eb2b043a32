package io.calltrack.recordings;

import java.util.List;

/** One line of the dialogue: who said it, when (seconds from the start of the call's recording), and the words. */
public record Turn(Side side, double start, double end, String text, List<Word> words) {
    public static Turn of(Side side, Utterance u) {
        return new Turn(side, u.start(), u.end(), u.text(), u.words());
    }
}
