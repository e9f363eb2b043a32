package io.calltrack.delivery;

/** Names of the events calltrack delivers. */
public final class WebhookEvents {
    public static final String COMPLETED = "call.completed";
    public static final String CLASSIFIED = "call.classified";
    /** The call's transcript was stored: sent to the webhook only (a transcript is no conversion to upload). */
    public static final String TRANSCRIBED = "call.transcribed";

    private WebhookEvents() {}
}
