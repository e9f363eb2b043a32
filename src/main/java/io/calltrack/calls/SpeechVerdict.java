package io.calltrack.calls;

import java.util.Objects;

/**
 * What a site's speech rules made of a call: a target or a non-target call, and why ({@code reason} names the rule,
 * e.g. "speech rule 'price request': target"). It decides the class of an answered call; see {@link Classification}.
 */
public record SpeechVerdict(CallClass callClass, String reason) {
    public SpeechVerdict {
        Objects.requireNonNull(reason, "reason");
        if (callClass != CallClass.TARGET && callClass != CallClass.NON_TARGET) {
            throw new IllegalArgumentException("a speech verdict is target or non_target, not " + callClass);
        }
    }
}
