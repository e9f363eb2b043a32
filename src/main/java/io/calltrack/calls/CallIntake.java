package io.calltrack.calls;

import io.calltrack.tracking.Attribution;
import io.calltrack.tracking.CallAttributor;
import io.calltrack.tracking.PhoneNumbers;
import io.calltrack.tracking.Site;
import io.calltrack.routing.Destination;
import io.calltrack.routing.RoutePlan;
import io.calltrack.routing.RouteRequest;
import io.calltrack.routing.RoutingService;
import io.calltrack.routing.Telephony;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * What happens when a tracked number rings, whatever the telephony side (FastAGI or the SIP redirect):
 * attribute the call, look up the caller's history, and record the call with a snapshot of its attribution.
 * Blocking (database) work: callers run it off their I/O threads.
 */
public final class CallIntake {
    private final CallAttributor attributor;
    private final CallRepository calls;
    private final PhoneNumbers numbers;
    private final RoutingService routing;

    public CallIntake(CallAttributor attributor, CallRepository calls, PhoneNumbers numbers,
                      RoutingService routing) {
        this.attributor = attributor;
        this.calls = calls;
        this.numbers = numbers;
        this.routing = routing;
    }

    /**
     * A call as the telephony side sees it when it rings. {@code linkedid} keys the call record (Asterisk's
     * Linkedid, or the SIP Call-ID); the numbers are as the PBX wrote them.
     */
    public record IncomingCall(String linkedid, String calledNumber, String callerNumber, String origin, Instant at) {}

    /** The recorded call and what is known of it at ring time. */
    public record Intake(long callId, IncomingCall call, Attribution attribution, Optional<String> callerE164,
                         CallerHistory history, Optional<Site> site) {

        /** The number always asks for a Track ID, or the site wants one when a dynamic call found no single session. */
        public boolean asksForTrackId() {
            if (site.isEmpty()) return false;
            if (attribution.number().trackIdEntry()) return true;
            boolean unresolved = attribution.kind() == Attribution.Kind.UNATTRIBUTED
                    || attribution.kind() == Attribution.Kind.AMBIGUOUS;
            return unresolved && attribution.number().askTrackIdWhenUnattributed();
        }
    }

    /** Attributes and records the call; a repeat of the same linkedid returns the call already recorded. */
    public Intake begin(IncomingCall call) {
        return record(call, attributor.origin(call.calledNumber(), call.at()));
    }

    /**
     * Like {@link #begin}, but a number no site tracks is not recorded: for the SIP side, where INVITEs to
     * arbitrary numbers (scanners, misrouted calls) are answered 404 and are no calls of ours.
     */
    public Optional<Intake> beginTracked(IncomingCall call) {
        CallAttributor.CallOrigin origin = attributor.origin(call.calledNumber(), call.at());
        return origin.attribution().kind() == Attribution.Kind.UNKNOWN_NUMBER ? Optional.empty()
                : Optional.of(record(call, origin));
    }

    private Intake record(IncomingCall call, CallAttributor.CallOrigin origin) {
        Attribution attribution = origin.attribution();
        Optional<Site> site = origin.site();
        Optional<String> caller = numbers.toE164(call.callerNumber());
        CallRepository.Opened opened = calls.open(new NewCall(call.linkedid(),
                        call.origin() == null ? "agi" : call.origin(), call.at(), caller, attribution,
                        site.map(s -> OptionalInt.of(s.targetThresholdSeconds())).orElse(OptionalInt.empty())),
                site.map(Site::repeatWindowDays).orElse(0));
        return new Intake(opened.callId(), call, attribution, caller, opened.history(), site);
    }

    /** Records a call that rang while the database was unreachable, as it would have been recorded then. */
    public void openLate(CallSignal opened) {
        begin(new IncomingCall(opened.linkedid(), opened.channel(), opened.value(), opened.text(), opened.at()));
    }

    /**
     * Links the call to the session whose Track ID the caller keyed in. Empty when no live session of the site has
     * that code, or several do (never guessed); the call keeps its attribution then.
     */
    public Optional<Intake> linkTrackId(Intake intake, String trackId) {
        if (intake.site().isEmpty()) return Optional.empty();
        return attributor.byTrackId(intake.site().get().id(), trackId, intake.call().at())
                .filter(a -> a.kind() == Attribution.Kind.TRACK_ID)
                .map(found -> {
                    Attribution linked = found.onNumberOf(intake.attribution());
                    calls.reattribute(intake.callId(), linked);
                    return new Intake(intake.callId(), intake.call(), linked, intake.callerE164(), intake.history(),
                            intake.site());
                });
    }

    /**
     * Where the call should go, in order, as destinations {@code telephony} can use. Empty for a number of no site
     * (the caller's fallback takes it) and when no rule of the site matches.
     */
    public RoutePlan route(Intake in, Telephony telephony) {
        if (in.site().isEmpty()) return RoutePlan.NONE;
        return routing.plan(request(in.site().get(), in.attribution(), in.callerE164(), in.history(), in.call().at(),
                telephony));
    }

    /** What routing is asked about a call of the site: the same for a ringing call and a preview of one. */
    static RouteRequest request(Site site, Attribution a, Optional<String> caller, CallerHistory history,
                                Instant at, Telephony telephony) {
        return new RouteRequest(site.id(), ZoneId.of(site.timeZone()), site.closedHoursDestination(),
                a.number().numberId().map(id -> a.number().e164()), a.channelName(), a.campaign(), a.source(), caller, history.repeatCall(), history.lastManagerId(), at,
                telephony);
    }

    public void recordingStarted(long callId, String path) {
        calls.setRecording(callId, path);
    }

    /** The destination's manager took a call at {@code at}: it counts for least-recently-called routing. */
    public void answered(Destination destination, Instant at) {
        destination.managerId().ifPresent(id -> routing.recordConnected(id, at));
    }
}
