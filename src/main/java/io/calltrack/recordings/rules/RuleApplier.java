package io.calltrack.recordings.rules;

import io.calltrack.calls.CallClass;
import io.calltrack.calls.CallLifecycle;
import io.calltrack.calls.CallTags;
import io.calltrack.calls.SpeechVerdict;
import io.calltrack.recordings.Transcript;

/**
 * Applies a site's speech rules to a call's transcript: the call's rule tags are replaced by the matching rules'
 * tags, and its class is judged by their verdict (none: the threshold decides again), through the calls' lifecycle,
 * which tells the listeners when the class changes.
 */
public final class RuleApplier {
    private final SpeechRuleRepository rules;
    private final CallTags tags;
    private final CallLifecycle lifecycle;

    public RuleApplier(SpeechRuleRepository rules, CallTags tags, CallLifecycle lifecycle) {
        this.rules = rules;
        this.tags = tags;
        this.lifecycle = lifecycle;
    }

    public void apply(long siteId, Transcript transcript) {
        SpeechRules.Result heard = rules.of(siteId).apply(transcript);
        tags.replaceRuleTags(transcript.callId(), heard.tags());
        lifecycle.judgedBySpeech(transcript.callId(), heard.classifiedBy().map(RuleApplier::verdict));
    }

    /** e.g. "speech rule 'price request': target": the reason the call shows names the rule. */
    static SpeechVerdict verdict(SpeechRule rule) {
        boolean target = rule.classAs() == SpeechRule.Verdict.TARGET;
        return new SpeechVerdict(target ? CallClass.TARGET : CallClass.NON_TARGET,
                "speech rule '" + rule.tag() + "': " + (target ? "target" : "non-target"));
    }
}
