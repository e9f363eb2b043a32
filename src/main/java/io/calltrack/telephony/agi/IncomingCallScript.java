package io.calltrack.telephony.agi;

import io.calltrack.calls.CallIntake;
import io.calltrack.calls.DialResult;
import io.calltrack.calls.DialPlan;
import io.calltrack.calls.CallLifecycle;
import io.calltrack.calls.CallSignal;
import io.calltrack.calls.RecordingFiles;
import io.calltrack.calls.CallIntake.IncomingCall;
import io.calltrack.calls.CallIntake.Intake;
import io.calltrack.config.CalltrackConfig;
import io.calltrack.routing.Destination;
import io.calltrack.routing.RoutePlan;
import io.calltrack.routing.Telephony;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code agi://host:4573/incoming[,trackedNumber]}: a tracked number rings. Attribute and record the call, tell the
 * dialplan who it is ({@code CALLTRACK_*} variables), ask for a Track ID where configured, start MixMonitor, then
 * dial the call's {@link DialPlan}: the routing's destinations in order until one answers, ending at the configured
 * fallback.
 * When the database or the AGI executor cannot serve the call, the caller still reaches the fallback destination.
 * Sets {@code CALLTRACK_ROUTED=1} once calltrack has taken care of the call, so the dialplan knows not to.
 */
public final class IncomingCallScript implements AgiScript {
    private static final Logger log = LoggerFactory.getLogger(IncomingCallScript.class);
    private static final Pattern CONTROL = Pattern.compile("\\p{Cntrl}");
    /** Languages asterisk-conf/sounds/ has the Track ID prompt in. */
    private static final Set<String> SHIPPED_PROMPT_LANGUAGES = Set.of("en", "ru");

    private final CallIntake intake;
    private final CallLifecycle lifecycle;
    private final CalltrackConfig.Agi config;
    private final Path recordingDir;
    private final Clock clock;
    /** Prompts Asterisk could not play, already logged: once per process is enough for an admin. */
    private final Set<String> missingPrompts = ConcurrentHashMap.newKeySet();

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
                .thenCompose(first -> identify(first, request.language(), channel))
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

    /**
     * The call as it will be dialled. {@code callerUpSince}: when the caller's channel was answered before any Dial
     * (by calltrack for a Track ID prompt, or by the dialplan before AGI: then at least since the call rang); Dial's
     * ANSWEREDTIME counts from the caller's own answer, so it then includes the prompt or the ring, and the outcome
     * does not take it as talk.
     */
    private record Routed(Intake intake, RoutePlan plan, Optional<Instant> callerUpSince) {
        Routed(Intake intake, RoutePlan plan) {
            this(intake, plan, Optional.empty());
        }

        Routed upSince(Optional<Instant> at) {
            return new Routed(intake, plan, at);
        }
    }

    /** The called tracked number: the AGI argument when the dialplan passes one, else DNID, else the extension. */
    private static String trackedNumber(AgiRequest request) {
        return request.args().stream().findFirst().flatMap(AgiRequest::known)
                .or(() -> AgiRequest.known(request.dnid()))
                .orElse(request.extension());
    }

    /**
     * Tells the dialplan (and AMI, through VarSet) whose call this is, asks for a Track ID where configured, then
     * starts the recording. A Track ID that links the call changes who it is: routed again, the dialplan told again.
     */
    private CompletableFuture<Routed> identify(Routed first, String language, AgiChannel channel) {
        Intake in = first.intake();
        return channel.setVariable("CALLTRACK_CALL_ID", Long.toString(in.callId()))
                .thenCompose(r -> tellAttribution(in, channel))
                .thenCompose(r -> in.asksForTrackId() ? askTrackId(first, language, channel)
                        : CompletableFuture.completedFuture(first))
                .thenCompose(routed -> startRecording(routed.intake(), channel).thenApply(r -> routed));
    }

    private static CompletableFuture<AgiReply> tellAttribution(Intake in, AgiChannel channel) {
        var a = in.attribution();
        return channel.setVariable("CALLTRACK_ATTRIBUTION", a.kind().dbValue())
                .thenCompose(r -> channel.setVariable("CALLTRACK_CHANNEL", printable(a.channelName())))
                .thenCompose(r -> channel.setVariable("CALLTRACK_CAMPAIGN", printable(a.campaign())));
    }

    private CompletableFuture<Routed> askTrackId(Routed first, String language, AgiChannel channel) {
        return answerForPrompt(channel).thenCompose(answered -> collectTrackId(first.intake(), language, channel, 1)
                .thenCompose(linked -> linked.isEmpty()
                        ? CompletableFuture.completedFuture(new Routed(first.intake(), first.plan(), answered))
                        : tellAttribution(linked.get(), channel).thenCompose(r -> decide(channel,
                                () -> new Routed(linked.get(), intake.route(linked.get(), Telephony.ASTERISK), answered)))));
    }

    /**
     * On a ringing channel the prompt is not heard and keys reach no one. The sample dialplan leaves it ringing:
     * only calltrack knows whether it will ask, and an answer starts the caller's bill. Empty when the channel was
     * already up (the dialplan answered) or the caller is gone.
     */
    private CompletableFuture<Optional<Instant>> answerForPrompt(AgiChannel channel) {
        return channel.channelStatus().thenCompose(status -> {
            if (!status.ok() || status.resultIs(AgiChannel.STATE_UP)) {
                return CompletableFuture.completedFuture(Optional.<Instant>empty());
            }
            Instant at = clock.instant(); // Asterisk marks the answer before its reply (which can wait for media)
            return channel.answer()
                    .thenApply(r -> r.ok() && r.result().equals("0") ? Optional.of(at) : Optional.empty());
        });
    }

    /**
     * Up to agi.trackid-tries prompts; empty when no code keyed linked a session. GET DATA answers -1 both when the
     * caller hangs up during the prompt and when Asterisk cannot play it: neither is a code, and neither is retried.
     */
    private CompletableFuture<Optional<Intake>> collectTrackId(Intake in, String language, AgiChannel channel,
                                                               int attempt) {
        if (attempt > config.trackIdTries() || channel.hungUp()) {
            return CompletableFuture.completedFuture(Optional.empty());
        }
        return channel.getData(config.trackIdPrompt(), config.trackIdTimeout(), config.trackIdDigits())
                .thenCompose(reply -> {
                    if (!reply.ok()) return CompletableFuture.completedFuture(Optional.<Intake>empty()); // 511: gone
                    if (reply.result().equals("-1")) {
                        return promptNotPlayed(in, language, channel).thenApply(r -> Optional.<Intake>empty());
                    }
                    String digits = reply.result().replaceAll("[^0-9]", "");
                    if (digits.isEmpty()) return collectTrackId(in, language, channel, attempt + 1);
                    return channel.blocking(() -> intake.linkTrackId(in, digits))
                            .thenCompose(linked -> linked.isPresent() ? CompletableFuture.completedFuture(linked)
                                    : collectTrackId(in, language, channel, attempt + 1));
                });
    }

    /**
     * After a hang-up res_agi writes HANGUP before it reads the next command (and answers 511 to CHANNEL STATUS),
     * so one status query tells a caller who left from a prompt Asterisk does not have. The latter is logged once
     * per prompt: every Track ID call would repeat it.
     */
    private CompletableFuture<Void> promptNotPlayed(Intake in, String language, AgiChannel channel) {
        return channel.channelStatus().thenAccept(status -> {
            if (channel.hungUp() || !missingPrompts.add(config.trackIdPrompt())) return;
            String shipped = shippedPromptLanguage(language);
            log.warn("call {}: Asterisk could not play the Track ID prompt '{}' (channel language '{}'), so Track ID "
                    + "calls go on to routing without being asked. Install the prompt: copy asterisk-conf/sounds/{}/"
                    + "calltrack/enter-track-id.* to /var/lib/asterisk/sounds/{}/calltrack/ (README, Asterisk setup), "
                    + "or set agi.trackid-prompt to a sound Asterisk has. Logged once until calltrack restarts",
                    in.callId(), config.trackIdPrompt(), language, shipped, shipped);
        });
    }

    /** Asterisk tries the channel language, then it without its dialect (ru_RU: ru), then en. */
    private static String shippedPromptLanguage(String agiLanguage) {
        String base = agiLanguage.split("_", 2)[0];
        return SHIPPED_PROMPT_LANGUAGES.contains(base) ? base : "en";
    }

    private CompletableFuture<Void> startRecording(Intake in, AgiChannel channel) {
        // the file names are ours (the call id in recording.dir, whose characters the configuration checked), never
        // caller-controlled text; the two directions apart for the transcript, the mixed file for listening
        Path mixed = recordingDir.resolve(in.callId() + ".wav");
        String path = mixed.toString();
        return channel.exec("MixMonitor", mixMonitorArgs(mixed))
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

    /**
     * {@code <file>,br(<caller file>)t(<manager file>)}: record while bridged, and each direction apart
     * ({@link RecordingFiles}).
     */
    static String mixMonitorArgs(Path mixed) {
        return mixed + ",br(" + RecordingFiles.side(mixed, RecordingFiles.CALLER) + ")t("
                + RecordingFiles.side(mixed, RecordingFiles.MANAGER) + ")";
    }

    /**
     * Walks the call's {@link DialPlan} (its policy: what follows each Dial), translated to AGI: {@code EXEC Dial}
     * with Asterisk's {@code &} for a ring-all group, {@code EXEC VoiceMail}. Each attempt's outcome is recorded from
     * app_dial's variables, and the moment the script is done is the tracked call's end, by our clock: neither waits
     * for AMI, whose events can lag by seconds under load. (What the dialplan does after CALLTRACK_ROUTED=1 is not
     * part of the tracked call; the sample dialplan hangs up. A transfer inside the bridge is: AMI reports it, and
     * the caller's final hangup then extends the talk time.)
     */
    private CompletableFuture<Void> dialPlan(Routed unchecked, AgiChannel channel) {
        DialPlan plan = DialPlan.of(unchecked.plan(), fallbackDestination());
        return callerState(unchecked, channel)
                .thenCompose(routed -> walk(routed, channel, plan, plan.first(channel.hungUp())))
                .thenCompose(done -> markRouted(channel))
                .thenCompose(done -> record(channel, CallSignal.routedCallOver(unchecked.intake().callId(),
                        unchecked.intake().call().linkedid(), clock.instant()), unchecked.intake().callId()));
    }

    private Destination fallbackDestination() {
        return Destination.external(config.fallbackDial(), (int) config.fallbackDialTimeout().toSeconds());
    }

    /** Whether the dialplan answered the caller before AGI (one CHANNEL STATUS), unless calltrack answered it. */
    private static CompletableFuture<Routed> callerState(Routed routed, AgiChannel channel) {
        if (routed.callerUpSince().isPresent() || channel.hungUp()) return CompletableFuture.completedFuture(routed);
        return channel.channelStatus().thenApply(status -> status.resultIs(AgiChannel.STATE_UP)
                ? routed.upSince(Optional.of(routed.intake().call().at())) : routed);
    }

    /** Runs {@code step} and the ones the plan says follow it. */
    private CompletableFuture<Void> walk(Routed routed, AgiChannel channel, DialPlan plan, DialPlan.Step step) {
        if (step instanceof DialPlan.Step.Dial d) {
            return dial(routed, channel, d.attempt()).thenCompose(result ->
                    walk(routed, channel, plan, plan.after(d.attempt(), result, channel.hungUp())));
        }
        if (step instanceof DialPlan.Step.Voicemail v) {
            return channel.exec("VoiceMail", v.attempt().destination().endpoints().get(0).address() + ",u")
                    .thenApply(r -> null);
        }
        return CompletableFuture.completedFuture(null);
    }

    /** A destination as app_dial's first argument: a ring-all group's phones joined by {@code &}. */
    private static String dialString(Destination d) {
        return String.join("&", d.addresses());
    }

    /** Dials one attempt and records how it went. */
    private CompletableFuture<DialResult> dial(Routed routed, AgiChannel channel, DialPlan.Attempt attempt) {
        Destination d = attempt.destination();
        String dialString = dialString(d);
        Instant dialledAt = clock.instant();
        long callId = routed.intake().callId();
        return channel.dial(dialString, Duration.ofSeconds(d.timeoutSeconds()), "")
                .thenCompose(result -> {
                    Instant returnedAt = clock.instant();
                    CallSignal.Dialled dialled = new CallSignal.Dialled(attempt.number(), dialString,
                            d.managerId().orElse(null), dialledAt, result.status(),
                            result.talk().map(Duration::toMillis).orElse(null), result.answeredBy().orElse(null),
                            routed.callerUpSince().orElse(null));
                    if (result.answered()) intakeAnswered(channel, d, returnedAt);
                    return record(channel, CallSignal.dialled(callId, routed.intake().call().linkedid(), dialled,
                            returnedAt), callId).thenApply(recorded -> result);
                });
    }

    /** The caller does not wait for least-recently-called bookkeeping. */
    private void intakeAnswered(AgiChannel channel, Destination d, Instant at) {
        channel.blocking(() -> {
            intake.answered(d, at);
            return null;
        }).exceptionally(failure -> {
            log.warn("manager of {} not marked as having taken a call: {}", d.addresses(), rootMessage(failure));
            return null;
        });
    }

    /** Hands the signal to the call lifecycle (durable: spooled if the database is away); never fails the call. */
    private CompletableFuture<Void> record(AgiChannel channel, CallSignal signal, long callId) {
        return channel.<Void>blocking(() -> {
            lifecycle.accept(signal);
            return null;
        }).exceptionally(failure -> {
            if (AgiChannel.rejected(failure)) {
                lifecycle.defer(signal); // the executor is full: spooled without a database round trip
            } else {
                log.error("call {}: {} could not be recorded: {}", callId, signal.key(), rootMessage(failure));
            }
            return null;
        });
    }

    /** Routing could not be asked: the fallback alone, not recorded (there may be no call record to add it to). */
    private CompletableFuture<Void> fallback(AgiChannel channel) {
        Destination fallback = fallbackDestination();
        return channel.dial(dialString(fallback), Duration.ofSeconds(fallback.timeoutSeconds()), "")
                .thenCompose(result -> markRouted(channel));
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

    private static String rootMessage(Throwable t) {
        while (t.getCause() != null) t = t.getCause();
        return t.getMessage() == null ? t.toString() : t.getMessage();
    }
}
