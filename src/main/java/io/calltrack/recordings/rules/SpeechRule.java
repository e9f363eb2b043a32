package io.calltrack.recordings.rules;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * One speech rule of a site: when any of {@code phrases} is said on {@code side} (or, with {@code absent}, when none
 * is) the call gets {@code tag}, and with {@code classAs} it becomes a target or non-target call. A phrase is words
 * said in a row. A plain word matches its other forms in the transcript's language (Snowball stems, Russian and
 * English: {@code цена} matches цены, цену, ценой but not целый; {@code order} matches orders, ordered), and only itself
 * in another language. Words in double quotes ({@code "цена"}, {@code «цену»}) match only that form. A word ending in
 * {@code *} matches every word it begins, in any language and in quotes too ({@code цен*}: цена, цены, ценник).
 * Matching ignores case, punctuation and the difference of ё and е.
 */
public record SpeechRule(List<String> phrases, RuleSide side, String tag, boolean absent, Verdict classAs) {

    /** Whose turns a rule reads: {@code either} reads every turn, a mono (mixed) recording's too. */
    public enum RuleSide {
        @JsonProperty("caller") CALLER,
        @JsonProperty("manager") MANAGER,
        @JsonProperty("either") EITHER
    }

    /** What a matching rule makes of the call. */
    public enum Verdict {
        @JsonProperty("target") TARGET,
        @JsonProperty("non-target") NON_TARGET
    }
}
