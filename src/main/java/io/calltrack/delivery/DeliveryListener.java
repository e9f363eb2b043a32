package io.calltrack.delivery;

import io.calltrack.calls.CallListener;
import io.calltrack.calls.CompletedCall;
import io.calltrack.recordings.TranscriptListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns call lifecycle events, and a call's stored transcript, into outbox rows (a read or two and one INSERT, no HTTP on the caller's thread).
 * A failure to enqueue is logged and swallowed: the call record itself is already committed and must not be
 * disturbed.
 */
public final class DeliveryListener implements CallListener, TranscriptListener {
    private static final Logger log = LoggerFactory.getLogger(DeliveryListener.class);

    private final Outbox outbox;

    public DeliveryListener(Outbox outbox) {
        this.outbox = outbox;
    }

    @Override
    public void callCompleted(CompletedCall call) {
        enqueue(call.id(), WebhookEvents.COMPLETED);
    }

    @Override
    public void callReclassified(long callId) {
        enqueue(callId, WebhookEvents.CLASSIFIED);
    }

    @Override
    public void transcribed(long callId) {
        enqueue(callId, WebhookEvents.TRANSCRIBED);
    }

    private void enqueue(long callId, String event) {
        try {
            outbox.enqueueForCall(callId, event);
        } catch (RuntimeException e) {
            log.error("could not queue {} deliveries for call {} (database problem?): {}", event, callId, e.toString());
        }
    }
}
