package io.calltrack.recordings.rules;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A phrase of a rule as it is matched: its words normalised, each matching its other forms, only itself (written in
 * double quotes) or every word it begins (written with a trailing *).
 */
record Phrase(List<Term> terms) {
    private static final Pattern NOT_A_LETTER = Pattern.compile("[^\\p{L}\\p{N}]+");
    /** Straight, typographic and Russian (guillemet) double quotes: each opens or closes an exact run of words. */
    private static final String QUOTES = "\"“”„«»";

    enum Match { FORMS, EXACT, PREFIX }

    record Term(String text, Match match) {
        boolean matches(String word, WordForms forms) {
            return switch (match) {
                case FORMS -> forms.same(word, text);
                case EXACT -> word.equals(text);
                case PREFIX -> word.startsWith(text);
            };
        }
    }

    /** Empty terms when the phrase has no word (only punctuation, a lone *). An unclosed quote runs to its end. */
    static Phrase parse(String phrase) {
        List<Term> terms = new ArrayList<>();
        boolean quoted = false;
        for (String written : phrase.trim().split("\\s+")) {
            boolean exact = false;
            StringBuilder unquoted = new StringBuilder();
            for (char c : written.toCharArray()) {
                if (QUOTES.indexOf(c) < 0) {
                    if (unquoted.isEmpty()) exact = quoted;
                    unquoted.append(c);
                } else {
                    quoted = !quoted;
                }
            }
            String text = normalise(unquoted.toString());
            if (text.isEmpty()) continue;
            terms.add(new Term(text, unquoted.toString().endsWith("*") ? Match.PREFIX
                    : exact ? Match.EXACT : Match.FORMS));
        }
        return new Phrase(List.copyOf(terms));
    }

    /** Lower case, ё as е, letters and digits only: how both a rule's words and a transcript's are compared. */
    static String normalise(String word) {
        return NOT_A_LETTER.matcher(word.toLowerCase(Locale.ROOT).replace('ё', 'е')).replaceAll("");
    }

    /** Whether the phrase is said at {@code from} of {@code words} (normalised), their forms those of {@code forms}. */
    boolean saidAt(List<String> words, int from, WordForms forms) {
        if (from + terms.size() > words.size()) return false;
        for (int i = 0; i < terms.size(); i++) {
            if (!terms.get(i).matches(words.get(from + i), forms)) return false;
        }
        return true;
    }
}
