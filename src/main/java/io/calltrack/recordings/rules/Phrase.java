package io.calltrack.recordings.rules;

import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/** A phrase of a rule as it is matched: its words normalised, each exact or a prefix (written with a trailing *). */
record Phrase(List<Term> terms) {
    private static final Pattern NOT_A_LETTER = Pattern.compile("[^\\p{L}\\p{N}]+");

    record Term(String text, boolean prefix) {
        boolean matches(String word) {
            return prefix ? word.startsWith(text) : word.equals(text);
        }
    }

    /** Empty terms when the phrase has no word (only punctuation, a lone *). */
    static Phrase parse(String phrase) {
        return new Phrase(java.util.Arrays.stream(phrase.trim().split("\\s+"))
                .map(w -> new Term(normalise(w), w.endsWith("*")))
                .filter(t -> !t.text().isEmpty())
                .toList());
    }

    /** Lower case, ё as е, letters and digits only: how both a rule's words and a transcript's are compared. */
    static String normalise(String word) {
        return NOT_A_LETTER.matcher(word.toLowerCase(Locale.ROOT).replace('ё', 'е')).replaceAll("");
    }

    /** Whether the phrase is said at {@code from} of {@code words} (normalised). */
    boolean saidAt(List<String> words, int from) {
        if (from + terms.size() > words.size()) return false;
        for (int i = 0; i < terms.size(); i++) {
            if (!terms.get(i).matches(words.get(from + i))) return false;
        }
        return true;
    }
}
