package io.calltrack.telephony.sip;

/** Records a call the redirect server answered (with the decision it answered with), so outcomes can follow. */
public interface RedirectRecorder {
    void redirected(SipCallRequest request, RedirectDecision decision);
}
