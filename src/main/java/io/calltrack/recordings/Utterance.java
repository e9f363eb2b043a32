package io.calltrack.recordings;

import java.util.List;

/** What an engine heard in one stretch of speech of one channel (never empty: an engine drops silent stretches). */
public record Utterance(List<Word> words) {
    public Utterance {
        if (words.isEmpty()) throw new IllegalArgumentException("an utterance has at least one word");
        words = List.copyOf(words);
    }

    public double start() {
        return words.get(0).start();
    }

    public double end() {
        return words.get(words.size() - 1).end();
    }

    public String text() {
        return String.join(" ", words.stream().map(Word::text).toList());
    }
}
