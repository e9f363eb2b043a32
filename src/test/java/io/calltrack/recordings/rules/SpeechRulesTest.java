package io.calltrack.recordings.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.calltrack.recordings.Side;
import io.calltrack.recordings.Transcript;
import io.calltrack.recordings.Turn;
import io.calltrack.recordings.Word;
import io.calltrack.recordings.rules.SpeechRule.RuleSide;
import io.calltrack.recordings.rules.SpeechRule.Verdict;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SpeechRulesTest {

    private static Turn turn(Side side, String text) {
        List<Word> words = Arrays.stream(text.split(" ")).map(w -> new Word(w, 0, 0, 1)).toList();
        return new Turn(side, 0, 1, text, words);
    }

    private static Transcript transcript(Turn... turns) {
        return new Transcript(1, "ru", 10, Instant.EPOCH, List.of(turns));
    }

    private static SpeechRule rule(RuleSide side, String tag, String... phrases) {
        return new SpeechRule(List.of(phrases), side, tag, false, null);
    }

    @Test
    void aRussianPrefixMatchesEveryFormAndCaseAndYoDoNotMatter() {
        SpeechRules rules = SpeechRules.of(List.of(rule(RuleSide.CALLER, "price request", "цен*"),
                rule(RuleSide.CALLER, "order placed", "оформить заказ"),
                rule(RuleSide.EITHER, "yolka", "елка")));
        SpeechRules.Result r = rules.apply(transcript(
                turn(Side.MANAGER, "Здравствуйте, компания Окна"),
                turn(Side.CALLER, "Какие у вас Цены? хочу оформить заказ, Ёлка!")));
        assertEquals(Set.of("price request", "order placed", "yolka"), r.tags());
        assertEquals(List.of(new SpeechRules.Span(1, 3, 3, "price request"),
                new SpeechRules.Span(1, 5, 6, "order placed"), new SpeechRules.Span(1, 7, 7, "yolka")), r.spans());
    }

    @Test
    void aSideRuleReadsOnlyThatSideAndAnAbsentRuleTagsWhatWasNotSaid() {
        SpeechRules rules = SpeechRules.of(List.of(rule(RuleSide.CALLER, "price request", "price*"),
                new SpeechRule(List.of("hello", "good morning"), RuleSide.MANAGER, "greeting missing", true, null)));
        SpeechRules.Result r = rules.apply(transcript(
                turn(Side.MANAGER, "our prices start at ten"), turn(Side.CALLER, "Hello, good morning.")));
        assertEquals(Set.of("greeting missing"), r.tags());
        assertEquals(List.of(), r.spans());

        SpeechRules.Result greeted = rules.apply(transcript(
                turn(Side.MANAGER, "Good morning, Acme"), turn(Side.CALLER, "what are your Prices?")));
        assertEquals(Set.of("price request"), greeted.tags());
        assertEquals(List.of(new SpeechRules.Span(1, 3, 3, "price request")), greeted.spans());
    }

    @Test
    void anExactWordIsNotAPrefixAndTheFirstMatchingVerdictClassifies() {
        SpeechRules rules = SpeechRules.of(List.of(
                new SpeechRule(List.of("wrong number"), RuleSide.EITHER, "wrong number", false, Verdict.NON_TARGET),
                new SpeechRule(List.of("price"), RuleSide.CALLER, "price request", false, Verdict.TARGET)));
        SpeechRules.Result prices = rules.apply(transcript(turn(Side.CALLER, "prices please")));
        assertEquals(Set.of(), prices.tags());
        assertEquals(Optional.empty(), prices.classAs());

        SpeechRules.Result both = rules.apply(transcript(turn(Side.CALLER, "the price? sorry, wrong number")));
        assertEquals(Optional.of(Verdict.NON_TARGET), both.classAs());
        assertEquals(Set.of("wrong number", "price request"), both.tags());
    }

    @Test
    void aRuleThatCannotBeAppliedNamesItsField() {
        assertEquals("rules[1].phrases[0]", assertThrows(SpeechRules.Invalid.class, () -> SpeechRules.of(List.of(
                rule(RuleSide.CALLER, "a", "x"), rule(RuleSide.CALLER, "b", " * ")))).field());
        assertEquals("rules[0].tag", assertThrows(SpeechRules.Invalid.class,
                () -> SpeechRules.of(List.of(rule(RuleSide.CALLER, " ", "x")))).field());
        assertEquals("rules[0].side", assertThrows(SpeechRules.Invalid.class,
                () -> SpeechRules.of(List.of(rule(null, "t", "x")))).field());
        assertEquals("rules[0].phrases", assertThrows(SpeechRules.Invalid.class,
                () -> SpeechRules.of(List.of(rule(RuleSide.CALLER, "t")))).field());
    }
}
