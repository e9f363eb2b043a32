package io.calltrack.telephony.sip;

/**
 * The routing side of the SIP redirect server (attribution, caller history, routing rules). May block on the
 * database; the server calls it off the SIP listener thread and answers with the fallback when it throws.
 */
public interface RedirectDecider {
    RedirectDecision decide(SipCallRequest request);
}
