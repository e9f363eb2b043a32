package io.calltrack.telephony.agi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.awaitility.Awaitility.await;

import io.calltrack.telephony.agi.peer.FakeAsterisk;
import io.calltrack.calls.DialResult;
import io.calltrack.calls.DialStatus;
import io.calltrack.config.CalltrackConfig;
import io.calltrack.config.ConfigSource;
import io.calltrack.support.LogCapture;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class AgiServerTest {
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private static final String READ_DIAL_RESULT =
            "GET FULL VARIABLE \"${DIALSTATUS}|${ANSWEREDTIME_MS}|${DIALEDPEERNAME}\"";
    private final List<Object> seen = new CopyOnWriteArrayList<>();
    private final List<DialResult> results = new CopyOnWriteArrayList<>();
    private AgiServer server;

    static CalltrackConfig.Agi config(Map<String, String> overrides) {
        Map<String, String> settings = new HashMap<>(Map.of("agi.host", "127.0.0.1", "agi.port", "0"));
        settings.putAll(overrides);
        return CalltrackConfig.from(ConfigSource.of(settings)).agi();
    }

    private int start(AgiScripts scripts) throws InterruptedException {
        server = AgiServer.start(config(Map.of()), scripts, registry);
        return server.port();
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    /** A small stand-in for the incoming-call script: records what it learns, dials two managers in turn. */
    private AgiScript routeToManagers(String first, String second) {
        return (request, channel) -> channel.setVariable("CALLTRACK_NOTE", "caller \"" + request.callerId() + "\" \\ ok")
                .thenCompose(set -> channel.getVariable("CHANNEL"))
                .thenCompose(name -> {
                    seen.add(name);
                    return channel.getFullVariable("${CALLTRACK_NOTE}|${NOT_SET}");
                })
                .thenCompose(full -> {
                    seen.add(full);
                    return channel.exec("MixMonitor", "/var/spool/calltrack/" + request.uniqueId() + ".wav,b");
                })
                .thenCompose(mix -> channel.dial(first, Duration.ofSeconds(20), "tT"))
                .thenCompose(result -> {
                    seen.add(result.status());
                    return result.answered() || channel.hungUp()
                            ? CompletableFuture.completedFuture(result)
                            : channel.dial(second, Duration.ofSeconds(15), "");
                })
                .thenAccept(result -> {
                    seen.add(result.status());
                    results.add(result);
                });
    }

    @Test
    void commandsAndRepliesRoundTripAndTheServerClosesWhenTheScriptEnds() throws Exception {
        int port = start(AgiScripts.none().with("incoming", routeToManagers("PJSIP/101", "PJSIP/102")));

        FakeAsterisk.Transcript t = FakeAsterisk.call(port).callerId("5551234")
                .dialOutcome("PJSIP/101", "NOANSWER").dialOutcome("PJSIP/102", "BUSY").run();

        assertEquals(List.of(
                "SET VARIABLE CALLTRACK_NOTE \"caller \\\"5551234\\\" \\\\ ok\"",
                "GET VARIABLE CHANNEL",
                "GET FULL VARIABLE \"${CALLTRACK_NOTE}|${NOT_SET}\"",
                "EXEC MixMonitor \"/var/spool/calltrack/1795382012.7.wav,b\"",
                "EXEC Dial \"PJSIP/101,20,tT\"",
                READ_DIAL_RESULT,
                "EXEC Dial \"PJSIP/102,15\"",
                READ_DIAL_RESULT), t.commands());
        assertEquals("caller \"5551234\" \\ ok", t.variables().get("CALLTRACK_NOTE"));
        assertEquals("/var/spool/calltrack/1795382012.7.wav", t.variables().get("MIXMONITOR_FILENAME"));
        assertEquals(List.of(Optional.of("PJSIP/trunk-00000003"), Optional.of("caller \"5551234\" \\ ok|"),
                DialStatus.NOANSWER, DialStatus.BUSY), seen);
        assertTrue(t.closedByServer(), "the server must close the socket so Asterisk continues the dialplan");
        assertFalse(t.hungUp());
        assertEquals(1.0, registry.get("calltrack.agi.sessions").counter().count());
    }

    @Test
    void answeredDialEndsTheCallerChannelAndTheScriptSeesIt() throws Exception {
        int port = start(AgiScripts.none().with("incoming", routeToManagers("PJSIP/101", "PJSIP/102")));

        FakeAsterisk.Transcript t = FakeAsterisk.call(port).dialOutcome("PJSIP/101", "ANSWER").run();

        assertEquals(List.of(DialStatus.ANSWER, DialStatus.ANSWER), seen.subList(2, 4));
        assertEquals(READ_DIAL_RESULT, t.commands().get(t.commands().size() - 1),
                "app_dial's outcome is read after the caller's HANGUP: GET FULL VARIABLE still answers then");
        assertEquals(new DialResult(DialStatus.ANSWER, Optional.of(Duration.ofSeconds(42)),
                Optional.of("PJSIP/101-0000002a")), results.get(0));
        assertTrue(t.lines().contains("< HANGUP"));
        assertTrue(t.closedByServer());
    }

    /** What Asterisk 22 does when the manager hangs up first: Dial answers -1, the outcome can still be read. */
    @Test
    void aManagerHangingUpFirstLeavesTheOutcomeReadable() throws Exception {
        int port = start(AgiScripts.none().with("incoming", routeToManagers("PJSIP/101", "PJSIP/102")));
        FakeAsterisk.Transcript t = FakeAsterisk.call(port).dialOutcome("PJSIP/101", "ANSWER")
                .calleeHangsUpFirst().run();

        assertEquals(new DialResult(DialStatus.ANSWER, Optional.of(Duration.ofSeconds(42)),
                Optional.of("PJSIP/101-0000002a")), results.get(0));
        assertEquals(READ_DIAL_RESULT, t.commands().get(t.commands().size() - 1));
        assertTrue(t.closedByServer());
    }

    @Test
    void aConnectionLostAsAnAnsweredDialReturnsIsAnEndNotAnError() throws Exception {
        int port = start(AgiScripts.none().with("incoming", routeToManagers("PJSIP/101", "PJSIP/102")));
        try (LogCapture log = new LogCapture(AgiConnectionHandler.class)) {
            FakeAsterisk.Transcript t = FakeAsterisk.call(port).dialOutcome("PJSIP/101", "ANSWER")
                    .connectionLostAfterDial().run();

            assertEquals("EXEC Dial \"PJSIP/101,20,tT\"", t.commands().get(t.commands().size() - 1));
            await().atMost(Duration.ofSeconds(5)).until(() -> seen.size() == 4);
            assertEquals(List.of(DialStatus.UNKNOWN, DialStatus.UNKNOWN), seen.subList(2, 4),
                    "nothing is guessed: AMI tells the outcome");
            assertTrue(log.lines().stream().noneMatch(l -> l.startsWith("ERROR")), log.lines().toString());
        }
    }

    @Test
    void callerHangingUpMidDialSurfacesAsHungUpAndDeadChannelReplies() throws Exception {
        AgiScript script = (request, channel) -> channel.dial("PJSIP/101", Duration.ofSeconds(20), "")
                .thenCompose(result -> {
                    seen.add(result.status());
                    seen.add(channel.hungUp());
                    return channel.streamFile("calltrack/goodbye", "");
                })
                .thenCompose(played -> {
                    seen.add(played.deadChannel());
                    return channel.setVariable("CALLTRACK_OUTCOME", "caller-hung-up");
                })
                .thenAccept(set -> seen.add(set.resultCode()));
        int port = start(AgiScripts.none().with("incoming", script));

        FakeAsterisk.Transcript t = FakeAsterisk.call(port).dialOutcome("PJSIP/101", "ANSWER").hangsUpAtStep(1).run();

        assertEquals(List.of(DialStatus.CANCEL, true, true, 1), seen);
        assertEquals(List.of("> EXEC Dial \"PJSIP/101,20\"", "< 200 result=-1", "< HANGUP",
                "> " + READ_DIAL_RESULT, "< 200 result=1 (CANCEL||)",
                "> STREAM FILE \"calltrack/goodbye\" \"\"", "< " + FakeAsterisk.DEAD_CHANNEL,
                "> SET VARIABLE CALLTRACK_OUTCOME \"caller-hung-up\"", "< 200 result=1"), t.lines());
        assertEquals("caller-hung-up", t.variables().get("CALLTRACK_OUTCOME"));
        assertTrue(t.closedByServer());
    }

    @Test
    void digitsTimeoutsUnknownCommandsAndUsageErrorsAreReplies() throws Exception {
        AgiScript script = (request, channel) -> channel.getData("calltrack/enter-code", Duration.ofSeconds(5), 4)
                .thenCompose(code -> {
                    seen.add(code.result());
                    return channel.getData("calltrack/enter-code", Duration.ofSeconds(5), 4);
                })
                .thenCompose(code -> {
                    seen.add(code.result() + "/" + code.timedOut());
                    return channel.send(new AgiCommand("FLY AWAY"));
                })
                .thenCompose(unknown -> {
                    seen.add(unknown.status());
                    return channel.send(new AgiCommand("SET VARIABLE ONLY_NAME"));
                })
                .thenCompose(usage -> {
                    seen.add(usage.status());
                    seen.add(usage.usage().get(1));
                    return channel.exec("NoSuchApp", "x");
                })
                .thenAccept(missing -> seen.add(missing.resultCode()));
        int port = start(AgiScripts.none().with("incoming", script));

        FakeAsterisk.Transcript t = FakeAsterisk.call(port).answered().entersDigits("1234").entersDigits("12").run();

        assertEquals(List.of("1234", "12/true", 510, 520, "Usage: SET VARIABLE <variablename> <value>", -2), seen);
        assertTrue(t.closedByServer());
    }

    @Test
    void scriptPathSelectsTheScriptAndArgumentsArrive() throws Exception {
        AgiScript incoming = (request, channel) -> channel.verbose("incoming", 1).thenAccept(r -> seen.add("incoming"));
        AgiScript survey = (request, channel) -> channel.verbose("survey " + request.args(), 1)
                .thenAccept(r -> seen.add("survey"));
        int port = start(AgiScripts.none().with("incoming", incoming).with("calls/survey", survey));

        FakeAsterisk.Transcript t = FakeAsterisk.call(port).script("calls/survey?x=1").args("5550100", "a b").run();

        assertEquals(List.of("VERBOSE \"survey [5550100, a b]\" 1"), t.commands());
        assertEquals(List.of("survey"), seen);
    }

    @Test
    void unknownScriptPathIsLoggedAndClosedWithoutCommands() throws Exception {
        int port = start(AgiScripts.none().with("incoming", routeToManagers("PJSIP/101", "PJSIP/102")));
        try (LogCapture log = new LogCapture(AgiConnectionHandler.class)) {
            FakeAsterisk.Transcript t = FakeAsterisk.call(port).script("outgoing").run();

            assertTrue(t.closedByServer());
            assertEquals(List.of(), t.commands());
            assertTrue(log.lines().stream().anyMatch(l -> l.startsWith("WARN") && l.contains("no AGI script 'outgoing'")
                    && l.contains("AGISTATUS=FAILURE")), log.lines().toString());
        }
        assertEquals(1.0, registry.get("calltrack.agi.protocol.errors").tag("kind", "unknown-script").counter().count());
    }

    @Test
    void aSecondCommandBeforeTheFirstReplyIsRefusedNotInterleaved() throws Exception {
        AgiScript script = (request, channel) -> {
            CompletableFuture<AgiReply> first = channel.verbose("one", 1);
            CompletableFuture<AgiReply> second = channel.verbose("two", 1);
            seen.add(second.handle((r, e) -> e).join().getClass());
            return first.thenAccept(r -> seen.add(r.resultCode()));
        };
        int port = start(AgiScripts.none().with("incoming", script));

        FakeAsterisk.Transcript t = FakeAsterisk.call(port).run();

        assertEquals(List.of("VERBOSE \"one\" 1"), t.commands());
        assertEquals(List.of(IllegalStateException.class, 1), seen);
    }

    @Test
    void aScriptThatFailsStillReleasesTheChannel() throws Exception {
        AgiScript script = (request, channel) -> channel.verbose("x", 1).thenAccept(r -> {
            throw new IllegalStateException("bug in script");
        });
        int port = start(AgiScripts.none().with("incoming", script));
        try (LogCapture log = new LogCapture(AgiConnectionHandler.class)) {
            assertTrue(FakeAsterisk.call(port).run().closedByServer());
            assertTrue(log.lines().stream().anyMatch(l -> l.startsWith("ERROR") && l.contains("failed for PJSIP/trunk")));
        }
    }

    @Test
    void activeSessionsGaugeFollowsConnections() throws Exception {
        CompletableFuture<Void> gate = new CompletableFuture<>();
        AgiScript script = (request, channel) -> channel.verbose("waiting", 1).thenCompose(r -> gate);
        int port = start(AgiScripts.none().with("incoming", script));
        CompletableFuture<FakeAsterisk.Transcript> call = FakeAsterisk.call(port).start();
        await().atMost(Duration.ofSeconds(5)).until(() -> registry.get("calltrack.agi.sessions.active").gauge().value() == 1.0);
        gate.complete(null);
        assertTrue(call.get().closedByServer());
        await().atMost(Duration.ofSeconds(5)).until(() -> registry.get("calltrack.agi.sessions.active").gauge().value() == 0.0);
    }

    @Test
    void asteriskGoingAwayMidCommandEndsTheScriptWithConnectionClosed() throws Exception {
        CompletableFuture<Throwable> outcome = new CompletableFuture<>();
        AgiScript script = (request, channel) -> channel.dial("PJSIP/101", Duration.ofSeconds(20), "")
                .whenComplete((status, failure) -> {
                    seen.add(channel.hungUp());
                    outcome.complete(failure);
                })
                .thenAccept(status -> { });
        int port = start(AgiScripts.none().with("incoming", script));

        try (Socket asterisk = new Socket("127.0.0.1", port)) {
            asterisk.getOutputStream().write(AgiCodecTest.HEADER_BLOCK.getBytes(StandardCharsets.UTF_8));
            BufferedReader in = new BufferedReader(new InputStreamReader(
                    asterisk.getInputStream(), StandardCharsets.UTF_8));
            assertEquals("EXEC Dial \"PJSIP/101,20\"", in.readLine());
        } // Asterisk restarts while the manager's phone rings

        Throwable failure = outcome.get(5, TimeUnit.SECONDS);
        assertTrue(failure.getCause() instanceof AgiConnectionClosedException, String.valueOf(failure));
        assertEquals(List.of(true), seen);
        await().atMost(Duration.ofSeconds(5)).until(() -> registry.get("calltrack.agi.sessions.active").gauge().value() == 0.0);
    }

    @Test
    void afterTheScriptHangsUpChannelCommandsAnswerDeadChannel() throws Exception {
        AgiScript script = (request, channel) -> channel.hangup()
                .thenCompose(hung -> {
                    seen.add(hung.resultCode());
                    return channel.getData("calltrack/enter-code", Duration.ofSeconds(5), 4);
                })
                .thenAccept(data -> {
                    seen.add(data.deadChannel());
                    seen.add(channel.hungUp());
                });
        int port = start(AgiScripts.none().with("incoming", script));

        FakeAsterisk.Transcript t = FakeAsterisk.call(port).run();

        assertEquals(List.of(1, true, true), seen);
        assertEquals(List.of("> HANGUP", "< 200 result=1", "< HANGUP", "> GET DATA \"calltrack/enter-code\" 5000 4",
                "< " + FakeAsterisk.DEAD_CHANNEL), t.lines());
    }
}
