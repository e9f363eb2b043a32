package io.calltrack.telephony.sip;

import java.util.List;

/** What to answer an INVITE: redirect to destinations in order of preference, unknown number, or the fallback. */
public sealed interface RedirectDecision {

    /** {@code contacts} are SIP URIs such as {@code sip:101@10.0.0.5}, most preferred first; never empty. */
    record Redirect(List<String> contacts) implements RedirectDecision {
        public Redirect {
            contacts = List.copyOf(contacts);
            if (contacts.isEmpty()) throw new IllegalArgumentException("a redirect needs at least one contact");
        }
    }

    /** The dialled number is not tracked: 404. */
    record NotFound() implements RedirectDecision {}

    /** Send the call to the configured fallback destination ({@code sip.fallback-contact}). */
    record Fallback(String reason) implements RedirectDecision {}

    static RedirectDecision redirect(List<String> contacts) {
        return new Redirect(contacts);
    }

    static RedirectDecision notFound() {
        return new NotFound();
    }

    static RedirectDecision fallback(String reason) {
        return new Fallback(reason);
    }
}
