package io.calltrack.telephony.agi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.awaitility.Awaitility.await;

import io.calltrack.telephony.agi.peer.FakeAsterisk;
import io.calltrack.config.CalltrackConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/** Blocking work runs on the bounded executor; when it is full a script learns at once and takes the fallback. */
class AgiExecutorTest {

    @Test
    void fullExecutorIsDetectableSoTheCallTakesTheFallbackRoute() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        CalltrackConfig.Agi config = AgiServerTest.config(Map.of(
                "agi.executor-threads", "1", "agi.executor-queue", "1", "agi.fallback-dial", "PJSIP/reception"));
        CountDownLatch slowDatabase = new CountDownLatch(1);
        // stands in for the incoming-call script: a database lookup picks the manager, else the fallback route
        AgiScript script = (request, channel) -> channel.blocking(() -> {
                    awaitQuietly(slowDatabase);
                    return "PJSIP/101";
                })
                .exceptionally(failure -> {
                    if (AgiChannel.rejected(failure)) {
                        return config.fallbackDial();
                    }
                    throw new IllegalStateException(failure);
                })
                .thenCompose(target -> channel.dial(target, config.fallbackDialTimeout(), ""))
                .thenAccept(status -> { });
        try (AgiServer server = AgiServer.start(config, AgiScripts.none().with("incoming", script), registry)) {
            CompletableFuture<FakeAsterisk.Transcript> running = FakeAsterisk.call(server.port()).uniqueId("1.1").start();
            CompletableFuture<FakeAsterisk.Transcript> queued = FakeAsterisk.call(server.port()).uniqueId("1.2").start();
            // one lookup runs, the other waits in the queue of one: the executor is full
            await().atMost(Duration.ofSeconds(5)).until(() -> registry.get("calltrack.agi.executor.queued").gauge().value() == 1.0);

            FakeAsterisk.Transcript refused = FakeAsterisk.call(server.port()).uniqueId("1.3")
                    .dialOutcome("PJSIP/reception", "ANSWER").run();

            assertEquals(List.of("EXEC Dial \"PJSIP/reception,30\"",
                    "GET FULL VARIABLE \"${DIALSTATUS}|${ANSWEREDTIME_MS}|${DIALEDPEERNAME}\""), refused.commands());
            assertTrue(refused.closedByServer());
            assertEquals(1.0, registry.get("calltrack.agi.executor.rejected").counter().count());

            slowDatabase.countDown();
            assertEquals("EXEC Dial \"PJSIP/101,30\"", running.get().commands().get(0));
            assertEquals("EXEC Dial \"PJSIP/101,30\"", queued.get().commands().get(0));
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
