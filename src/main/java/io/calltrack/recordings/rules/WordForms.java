package io.calltrack.recordings.rules;

import java.util.HashMap;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.tartarus.snowball.SnowballStemmer;
import org.tartarus.snowball.ext.EnglishStemmer;
import org.tartarus.snowball.ext.RussianStemmer;

/**
 * Which words of one transcript's language are forms of one word: those with the same Snowball stem (цены, цену and
 * ценой are цен; orders and ordered are order). In a language without a stemmer every word is only its own form.
 * One per use and thread: a Snowball stemmer works on a word it keeps, and the stems found are remembered here.
 */
final class WordForms {
    private final UnaryOperator<String> stemmer;
    private final Map<String, String> stems = new HashMap<>();

    private WordForms(UnaryOperator<String> stemmer) {
        this.stemmer = stemmer;
    }

    /** For a transcript's language code; one other than en and ru (or none) compares words exactly. */
    static WordForms of(String language) {
        if ("ru".equals(language)) return new WordForms(snowball(new RussianStemmer()));
        if ("en".equals(language)) return new WordForms(snowball(new EnglishStemmer()));
        return new WordForms(UnaryOperator.identity());
    }

    private static UnaryOperator<String> snowball(SnowballStemmer stemmer) {
        return word -> {
            stemmer.setCurrent(word);
            stemmer.stem();
            return stemmer.getCurrent();
        };
    }

    /** Whether two normalised words are forms of one word. */
    boolean same(String a, String b) {
        return stem(a).equals(stem(b));
    }

    private String stem(String word) {
        return stems.computeIfAbsent(word, stemmer);
    }
}
