package io.calltrack.recordings.rules;

import io.calltrack.InvalidField;
import io.calltrack.recordings.Side;
import io.calltrack.recordings.Transcript;
import io.calltrack.recordings.Turn;
import io.calltrack.recordings.Word;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A site's speech rules, in order, checked when made: every rule has a tag, a side and at least one phrase with a
 * word. {@link #apply} reads a transcript: the tags of the rules that match, the words that matched (to highlight),
 * and the verdict of the first matching rule that has one.
 */
public final class SpeechRules {
    private static final int MAX_TAG = 100;

    /** Words {@code fromWord..toWord} (inclusive) of turn {@code turn} matched the rule tagging {@code tag}. */
    public record Span(int turn, int fromWord, int toWord, String tag) {}

    /** What the rules make of one transcript; {@code classifiedBy}: the first matching rule that has a verdict. */
    public record Result(Set<String> tags, Optional<SpeechRule> classifiedBy, List<Span> spans) {}

    private record Compiled(SpeechRule rule, List<Phrase> phrases) {}

    private final List<SpeechRule> rules;
    private final List<Compiled> compiled;

    private SpeechRules(List<SpeechRule> rules, List<Compiled> compiled) {
        this.rules = rules;
        this.compiled = compiled;
    }

    public static SpeechRules none() {
        return new SpeechRules(List.of(), List.of());
    }

    /** The rules, checked. @throws InvalidField naming the first element at fault */
    public static SpeechRules of(List<SpeechRule> rules) {
        if (rules == null) throw new InvalidField("rules", "a list of rules is required");
        List<Compiled> compiled = new ArrayList<>();
        for (int i = 0; i < rules.size(); i++) {
            String at = "rules[" + i + "]";
            SpeechRule rule = rules.get(i);
            if (rule == null) throw new InvalidField(at, "a rule is required");
            if (rule.tag() == null || rule.tag().isBlank()) throw new InvalidField(at + ".tag", "a tag is required");
            if (rule.tag().length() > MAX_TAG) {
                throw new InvalidField(at + ".tag", "a tag is at most " + MAX_TAG + " characters");
            }
            if (rule.side() == null) throw new InvalidField(at + ".side", "side is caller, manager or either");
            if (rule.phrases() == null || rule.phrases().isEmpty()) {
                throw new InvalidField(at + ".phrases", "at least one phrase is required");
            }
            List<Phrase> phrases = new ArrayList<>();
            for (int p = 0; p < rule.phrases().size(); p++) {
                String text = rule.phrases().get(p);
                Phrase phrase = Phrase.parse(text == null ? "" : text);
                if (phrase.terms().isEmpty()) {
                    throw new InvalidField(at + ".phrases[" + p + "]", "a phrase needs at least one word");
                }
                phrases.add(phrase);
            }
            compiled.add(new Compiled(rule, List.copyOf(phrases)));
        }
        return new SpeechRules(List.copyOf(rules), List.copyOf(compiled));
    }

    public List<SpeechRule> rules() {
        return rules;
    }

    public Result apply(Transcript transcript) {
        WordForms forms = WordForms.of(transcript.language()); // one per call: a Snowball stemmer is not thread-safe
        List<List<String>> words = transcript.turns().stream()
                .map(t -> t.words().stream().map(Word::text).map(Phrase::normalise).toList()).toList();
        Set<String> tags = new LinkedHashSet<>();
        List<Span> spans = new ArrayList<>();
        Optional<SpeechRule> verdict = Optional.empty();
        for (Compiled c : compiled) {
            List<Span> found = new ArrayList<>();
            for (int t = 0; t < words.size(); t++) {
                if (!reads(c.rule().side(), transcript.turns().get(t))) continue;
                List<String> said = words.get(t);
                for (int w = 0; w < said.size(); w++) {
                    for (Phrase phrase : c.phrases()) {
                        if (phrase.saidAt(said, w, forms)) {
                            found.add(new Span(t, w, w + phrase.terms().size() - 1, c.rule().tag()));
                            break;
                        }
                    }
                }
            }
            if (found.isEmpty() != c.rule().absent()) continue;
            tags.add(c.rule().tag());
            if (!c.rule().absent()) spans.addAll(found);
            if (verdict.isEmpty() && c.rule().classAs() != null) verdict = Optional.of(c.rule());
        }
        return new Result(java.util.Collections.unmodifiableSet(tags), verdict, List.copyOf(spans));
    }

    private static boolean reads(SpeechRule.RuleSide side, Turn turn) {
        return switch (side) {
            case EITHER -> true;
            case CALLER -> turn.side() == Side.CALLER;
            case MANAGER -> turn.side() == Side.MANAGER;
        };
    }
}
