package io.calltrack.sip;

/** Stores a redirected call's outcome (after which the call is classified like any other). */
public interface SipOutcomeSink {

    /** False when no redirected call has this Call-ID (the endpoint answers 404). */
    boolean outcome(SipOutcome outcome);
}
