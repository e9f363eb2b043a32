package io.calltrack.agi;

import io.calltrack.calls.CallIntake;
import io.calltrack.calls.CallLifecycle;
import io.calltrack.calls.CallSignal;
import io.calltrack.calls.CallIntake.IncomingCall;
import io.calltrack.calls.CallIntake.Intake;
import io.calltrack.config.CalltrackConfig;
import io.calltrack.routing.Destination;
import io.calltrack.routing.RoutePlan;
import io.calltrack.routing.Telephony;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code agi://host:4573/incoming[,trackedNumber]}: a tracked number rings. Attribute and record the call, tell the
 * dialplan who it is ({@code CALLTRACK_*} variables), ask for a Track ID where configured, start MixMonitor, then
 * dial the routing plan's destinations in order until one answers, ending at the configured fallback.
 * When the database or the AGI executor cannot serve the call, the caller still reaches the fallback destination.
 * Sets {@code CALLTRACK_ROUTED=1} once calltrack has taken care of the call, so the dialplan knows not to.
 */
public final class IncomingCallScript implements AgiScript {
    private static final Logger log = LoggerFactory.getLogger(IncomingCallScript.class);
    private static final Pattern CONTROL = Pattern.compile("\\p{Cntrl}");

    private final CallIntake intake;
    private final CallLifecycle lifecycle;
    private final CalltrackConfig.Agi config;
    private final Path recordingDir;
    private final Clock clock;

    public IncomingCallScript(CallIntake intake, CallLifecycle lifecycle, CalltrackConfig.Agi config,
                              Path recordingDir, Clock clock) {
        this.intake = intake;
        this.lifecycle = lifecycle;
        this.config = config;
        this.recordingDir = recordingDir;
        this.clock = clock;
    }

    @Override
    public CompletionStage<Void> run(AgiRequest request, AgiChannel channel) {
        IncomingCall call = new IncomingCall(request.uniqueId(), trackedNumber(request),
                AgiRequest.known(request.callerId()).orElse(""), "agi", clock.instant());
        AtomicBoolean recorded = new AtomicBoolean();
        // one trip to the executor attributes, records and routes the call; only a linked Track ID routes it again
        return decide(channel, () -> {
                    Intake in = intake.begin(call);
                    recorded.set(true);
                    return new Routed(in, intake.route(in, Telephony.ASTERISK));
                })
                .thenCompose(first -> identify(first.intake(), channel).thenCompose(in -> in == first.intake()
                        ? CompletableFuture.completedFuture(first)
                        : decide(channel, () -> new Routed(in, intake.route(in, Telephony.ASTERISK)))))
                .handle((routed, failure) -> {
                    if (failure == null) return dialPlan(routed, channel);
                    if (!recorded.get()) lifecycle.defer(CallSignal.opened(call));
                    if (channel.hungUp()) return CompletableFuture.<Void>completedFuture(null);
                    log.error("call {} to {}: {}; sending the caller to {} (agi.fallback-dial)", call.linkedid(),
                            call.calledNumber(), AgiChannel.rejected(failure)
                                    ? "the AGI executor is full (raise agi.executor-threads/agi.executor-queue)"
                                    : "cannot attribute or route (" + rootMessage(failure) + ")",
                            config.fallbackDial());
                    return fallback(channel);
                })
                .thenCompose(stage -> stage);
    }

    /** Database work the caller waits for: bounded by agi.decision-timeout so a stuck database cannot hold a call. */
    private <T> CompletableFuture<T> decide(AgiChannel channel, Supplier<T> work) {
        return channel.blocking(work).orTimeout(config.decisionTimeout().toMillis(), TimeUnit.MILLISECONDS);
    }

    private record Routed(Intake intake, RoutePlan plan) {}

    /** The called tracked number: the AGI argument when the dialplan passes one, else DNID, else the extension. */
    private static String trackedNumber(AgiRequest request) {
        return request.args().stream().findFirst().flatMap(AgiRequest::known)
                .or(() -> AgiRequest.known(request.dnid()))
                .orElse(request.extension());
    }

    /** Tells the dialplan (and AMI, through VarSet) whose call this is; asks for a Track ID where configured. */
    private CompletableFuture<Intake> identify(Intake in, AgiChannel channel) {
        var a = in.attribution();
        return channel.setVariable("CALLTRACK_CALL_ID", Long.toString(in.callId()))
                .thenCompose(r -> channel.setVariable("CALLTRACK_ATTRIBUTION", a.kind().dbValue()))
                .thenCompose(r -> channel.setVariable("CALLTRACK_CHANNEL", printable(a.channelName())))
                .thenCompose(r -> channel.setVariable("CALLTRACK_CAMPAIGN", printable(a.campaign())))
                .thenCompose(r -> in.asksForTrackId() ? askTrackId(in, channel, 1) : CompletableFuture.completedFuture(in))
                .thenCompose(linked -> startRecording(linked, channel).thenApply(r -> linked));
    }

    private CompletableFuture<Intake> askTrackId(Intake in, AgiChannel channel, int attempt) {
        if (attempt > config.trackIdTries() || channel.hungUp()) return CompletableFuture.completedFuture(in);
        return channel.getData(config.trackIdPrompt(), config.trackIdTimeout(), config.trackIdDigits())
                .thenCompose(reply -> {
                    String digits = reply.ok() ? reply.result().replaceAll("[^0-9]", "") : "";
                    if (digits.isEmpty()) return askTrackId(in, channel, attempt + 1);
                    return channel.blocking(() -> intake.linkTrackId(in, digits))
                            .thenCompose(linked -> linked.map(CompletableFuture::completedFuture)
                                    .orElseGet(() -> askTrackId(in, channel, attempt + 1)));
                });
    }

    private CompletableFuture<Void> startRecording(Intake in, AgiChannel channel) {
        // the file name is ours (the call id), never caller-controlled text
        String path = recordingDir.resolve(in.callId() + ".wav").toString();
        return channel.exec("MixMonitor", path + ",b")
                .thenCompose(reply -> {
                    if (reply.ok() && reply.result().equals("0")) {
                        // the caller does not wait for this write: the recording is linked while the call rings
                        channel.blocking(() -> {
                            intake.recordingStarted(in.callId(), path);
                            return null;
                        }).exceptionally(failure -> {
                            log.warn("call {}: recording {} not linked to the call: {}", in.callId(), path,
                                    rootMessage(failure));
                            return null;
                        });
                        return CompletableFuture.completedFuture(null);
                    }
                    if (!channel.hungUp()) {
                        log.warn("call {}: MixMonitor did not start (reply {} result={}); the call is not recorded. "
                                + "Is app_mixmonitor loaded?", in.callId(), reply.status(), reply.result());
                    }
                    return CompletableFuture.completedFuture(null);
                })
                .thenApply(ignored -> null);
    }

    private CompletableFuture<Void> dialPlan(Routed routed, AgiChannel channel) {
        return dialFrom(routed, channel, 0).thenCompose(answered -> {
            if (answered || channel.hungUp()) return markRouted(channel);
            boolean endedInVoicemail = !routed.plan().destinations().isEmpty() && last(routed.plan().destinations()).kind()
                    == Destination.Kind.VOICEMAIL;
            return endedInVoicemail ? markRouted(channel) : fallback(channel);
        });
    }

    /** Dials destinations from {@code index} on; true once one answered. */
    private CompletableFuture<Boolean> dialFrom(Routed routed, AgiChannel channel, int index) {
        List<Destination> destinations = routed.plan().destinations();
        if (index >= destinations.size() || channel.hungUp()) return CompletableFuture.completedFuture(false);
        Destination d = destinations.get(index);
        if (d.kind() == Destination.Kind.VOICEMAIL) {
            return channel.exec("VoiceMail", d.dialString() + ",u").thenApply(r -> true);
        }
        return channel.dial(d.dialString(), Duration.ofSeconds(d.timeoutSeconds()), "")
                .thenCompose(status -> channel.blocking(() -> {
                            intake.dialled(routed.intake().callId(), index + 1, d, status.name());
                            return status;
                        }).exceptionally(failure -> {
                            log.warn("call {}: dial attempt {} ({}) not recorded: {}", routed.intake().callId(),
                                    index + 1, status, rootMessage(failure));
                            return status;
                        }))
                .thenCompose(status -> switch (status) {
                    case ANSWER -> CompletableFuture.completedFuture(true);
                    case NOANSWER, BUSY, CHANUNAVAIL, CONGESTION -> dialFrom(routed, channel, index + 1);
                    // CANCEL: the caller hung up; anything else: Dial itself failed (bad dial string)
                    default -> channel.hungUp() || status == DialStatus.CANCEL
                            ? CompletableFuture.completedFuture(false) : dialFrom(routed, channel, index + 1);
                });
    }

    private CompletableFuture<Void> fallback(AgiChannel channel) {
        return channel.dial(config.fallbackDial(), config.fallbackDialTimeout(), "")
                .thenCompose(status -> markRouted(channel));
    }

    private static CompletableFuture<Void> markRouted(AgiChannel channel) {
        if (channel.hungUp()) return CompletableFuture.completedFuture(null);
        return channel.setVariable("CALLTRACK_ROUTED", "1").thenApply(r -> null);
    }

    /** Channel variables carry visitor-supplied text (UTM campaign): one line, bounded. */
    private static String printable(Optional<String> value) {
        String v = CONTROL.matcher(value.orElse("")).replaceAll(" ");
        return v.length() > 80 ? v.substring(0, 80) : v;
    }

    private static <T> T last(List<T> list) {
        return list.get(list.size() - 1);
    }

    private static String rootMessage(Throwable t) {
        while (t.getCause() != null) t = t.getCause();
        return t.getMessage() == null ? t.toString() : t.getMessage();
    }
}
