package io.calltrack.recordings.rules;

import io.calltrack.InvalidField;
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
        return transcript("ru", turns);
    }

    private static Transcript transcript(String language, Turn... turns) {
        return new Transcript(1, language, 10, Instant.EPOCH, List.of(turns));
    }

    /** The spans {@code rules} find in one caller turn of {@code text} in {@code language}. */
    private static List<SpeechRules.Span> spans(String language, String text, SpeechRule... rules) {
        return SpeechRules.of(List.of(rules)).apply(transcript(language, turn(Side.CALLER, text))).spans();
    }

    private static SpeechRules.Span span(int from, int to, String tag) {
        return new SpeechRules.Span(0, from, to, tag);
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
    void aRussianWordMatchesItsOtherFormsButNotAWordThatOnlyBeginsTheSame() {
        SpeechRule price = rule(RuleSide.CALLER, "price", "цена");
        assertEquals(List.of(span(0, 0, "price"), span(2, 2, "price"), span(4, 4, "price"), span(5, 5, "price")),
                spans("ru", "Цены, про цену, с ценой: ЦЕНА!", price));
        assertEquals(List.of(), spans("ru", "целый ценник, цель и цент", price));
        assertEquals(List.of(span(1, 2, "order")), spans("ru", "хочу оформила заказа",
                rule(RuleSide.CALLER, "order", "оформить заказ")));
    }

    @Test
    void anEnglishWordMatchesItsOtherFormsButNotAWordThatOnlyBeginsTheSame() {
        SpeechRule order = rule(RuleSide.CALLER, "order", "order");
        assertEquals(List.of(span(0, 0, "order"), span(2, 2, "order"), span(3, 3, "order")),
                spans("en", "Orders: I ordered, ordering today", order));
        SpeechRule price = rule(RuleSide.CALLER, "price", "price");
        assertEquals(List.of(span(1, 1, "price")), spans("en", "the prices", price));
        assertEquals(List.of(), spans("en", "the prince, priceless and pricey", price));
    }

    @Test
    void aQuotedWordMatchesOnlyThatFormAndAStarStaysAPrefix() {
        assertEquals(List.of(span(2, 2, "exact")), spans("ru", "цены, цену, цена",
                rule(RuleSide.CALLER, "exact", "\"цена\"")));
        assertEquals(List.of(span(1, 1, "guillemets")), spans("ru", "цены цену",
                rule(RuleSide.CALLER, "guillemets", "«цену»")));
        SpeechRule quotedPhrase = rule(RuleSide.CALLER, "order", "\"оформить заказ\" цена");
        assertEquals(List.of(), spans("ru", "оформить заказа цены", quotedPhrase));
        assertEquals(List.of(span(0, 2, "order")), spans("ru", "оформить заказ цены", quotedPhrase));
        assertEquals(List.of(span(0, 0, "prefix"), span(1, 1, "prefix")), spans("ru", "ценник цены целый",
                rule(RuleSide.CALLER, "prefix", "\"цен*\"")));
    }

    @Test
    void aTranscriptInAnotherLanguageIsMatchedExactlyAndEachLanguageStemsOnlyItsOwnWords() {
        SpeechRule order = rule(RuleSide.CALLER, "order", "order");
        assertEquals(List.of(span(1, 1, "order")), spans("de", "orders Order!", order));
        assertEquals(List.of(span(1, 1, "order")), spans(null, "orders Order!", order));
        assertEquals(List.of(span(0, 0, "prefix")), spans("de", "Ordnung", rule(RuleSide.CALLER, "prefix", "ord*")));
        assertEquals(List.of(span(1, 1, "order")), spans("ru", "orders order", order));
        assertEquals(List.of(), spans("en", "цены", rule(RuleSide.CALLER, "price", "цена")));
    }

    @Test
    void aPlainWordIsNotAPrefixAndTheFirstMatchingVerdictClassifies() {
        SpeechRules rules = SpeechRules.of(List.of(
                new SpeechRule(List.of("wrong number"), RuleSide.EITHER, "wrong number", false, Verdict.NON_TARGET),
                new SpeechRule(List.of("price"), RuleSide.CALLER, "price request", false, Verdict.TARGET)));
        SpeechRules.Result prices = rules.apply(transcript("en", turn(Side.CALLER, "priceless, please")));
        assertEquals(Set.of(), prices.tags());
        assertEquals(Optional.empty(), prices.classifiedBy().map(SpeechRule::classAs));

        SpeechRules.Result both = rules.apply(transcript("en", turn(Side.CALLER, "the prices? sorry, wrong numbers")));
        assertEquals(Optional.of(Verdict.NON_TARGET), both.classifiedBy().map(SpeechRule::classAs));
        assertEquals(Set.of("wrong number", "price request"), both.tags());
    }

    @Test
    void aRuleThatCannotBeAppliedNamesItsField() {
        assertEquals("rules[1].phrases[0]", assertThrows(InvalidField.class, () -> SpeechRules.of(List.of(
                rule(RuleSide.CALLER, "a", "x"), rule(RuleSide.CALLER, "b", " * ")))).field());
        assertEquals("rules[0].tag", assertThrows(InvalidField.class,
                () -> SpeechRules.of(List.of(rule(RuleSide.CALLER, " ", "x")))).field());
        assertEquals("rules[0].side", assertThrows(InvalidField.class,
                () -> SpeechRules.of(List.of(rule(null, "t", "x")))).field());
        assertEquals("rules[0].phrases", assertThrows(InvalidField.class,
                () -> SpeechRules.of(List.of(rule(RuleSide.CALLER, "t")))).field());
    }
}
