package io.calltrack.telephony.agi;

import java.util.concurrent.CompletionStage;

/**
 * What calltrack does with one AGI call. {@code run} must return at once: it chains commands on the futures of
 * {@link AgiChannel} and puts database work on {@link AgiChannel#blocking}. Continuations of command replies run on
 * the Netty event loop, so they must never block. The server closes the connection when the returned stage
 * completes (normally or not), which hands the channel back to the dialplan.
 */
@FunctionalInterface
public interface AgiScript {
    CompletionStage<Void> run(AgiRequest request, AgiChannel channel);
}
