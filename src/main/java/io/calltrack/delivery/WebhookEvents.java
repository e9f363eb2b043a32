package io.calltrack.delivery;

/** Names of the events calltrack delivers. */
public final class WebhookEvents {
    public static final String COMPLETED = "call.completed";
    public static final String CLASSIFIED = "call.classified";

    private WebhookEvents() {}
}
