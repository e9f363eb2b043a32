package io.calltrack.calls;

/**
 * Told when a call's outcome is final or its class changes, after the change is committed.
 * Implementations (webhooks, analytics exports) must not block: they enqueue work of their own.
 */
public interface CallListener {
    void callCompleted(CompletedCall call);

    void callReclassified(long callId);
}
