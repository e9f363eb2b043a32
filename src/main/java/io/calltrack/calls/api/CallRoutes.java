package io.calltrack.calls.api;

import static io.calltrack.access.Permission.*;

import io.calltrack.calls.CallRepository;
import io.calltrack.calls.CallTags;
import io.calltrack.calls.CallLifecycle;
import io.calltrack.calls.Call;
import io.calltrack.calls.RecordingFiles;
import io.calltrack.access.CallerNumbers;
import io.calltrack.access.Principal;
import io.calltrack.access.api.RequestAudit;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import io.calltrack.platform.http.ApiException;
import io.calltrack.platform.http.ApiRequest;
import io.calltrack.platform.http.ApiResponse;
import io.calltrack.platform.http.ByteRange;
import io.calltrack.platform.http.Fields;
import io.calltrack.platform.http.FileBody;
import io.calltrack.platform.http.Need;
import io.calltrack.platform.http.Route;
import io.calltrack.platform.http.RouteProvider;
import io.calltrack.tracking.SiteRepository;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The calls API (admin token): one call with its timeline (the list is {@link CallLogRoutes}'s), its recording with Range support,
 * its deal amount, and re-classification of a site's calls after a threshold change. Bodies are {@link Call}s,
 * camelCase; a caller's number is masked where the principal may not see it ({@link CallerNumbers}). Every playback
 * or download of a recording is audited before the file is sent.
 */
public final class CallRoutes implements RouteProvider {
    /** The timeline entry that names the recording's file (AMI's MIXMONITOR_FILENAME). */
    private static final String RECORDING_EVENT = "recording";

    private final CallRepository calls;
    private final CallTags tags;
    private final CallLifecycle lifecycle;
    private final SiteRepository sites;
    private final RecordingFiles recordings;
    private final CallsAsSeen asSeen;
    private final RequestAudit audit;

    public CallRoutes(CallRepository calls, CallTags tags, CallLifecycle lifecycle, SiteRepository sites,
                      RecordingFiles recordings, CallerNumbers callerNumbers, RequestAudit audit) {
        this.calls = calls;
        this.tags = tags;
        this.lifecycle = lifecycle;
        this.sites = sites;
        this.recordings = recordings;
        this.asSeen = new CallsAsSeen(callerNumbers);
        this.audit = audit;
    }

    @Override
    public List<Route> routes() {
        return Route.all(List.of(
                Route.guarded("GET", "/v1/calls/{id}", Need.entity(CALLS_READ, "call", "id", calls::siteOf), this::get),
                Route.guarded("GET", "/v1/calls/{id}/recording", Need.entity(RECORDINGS, "call", "id", calls::siteOf),
                        this::recording),
                Route.guarded("POST", "/v1/sites/{id}/reclassify", Need.site(CALLS_WRITE, "id"), this::reclassify)),
                Route.replaceable("/v1/calls/{id}/deal", Need.entity(CALLS_WRITE, "call", "id", calls::siteOf),
                        Deal.class, this::deal, this::setDeal));
    }

    /** One call with its timeline. */
    record CallWithTimeline(@JsonUnwrapped Call call, List<String> tags, List<CallRepository.CallEvent> events) {}

    /** What re-classification changed. */
    record Reclassified(int reclassified, List<Long> callIds) {}

    private ApiResponse get(ApiRequest r) {
        long id = r.pathId("id");
        Call call = calls.find(id).orElseThrow(() -> notFound(id));
        boolean listens = CallsAsSeen.mayListen(r, call);
        return ApiResponse.ok(new CallWithTimeline(asSeen.of(r, call), tags.of(id), calls.events(id).stream()
                .filter(e -> listens || !RECORDING_EVENT.equals(e.kind())).toList()));
    }

    private ApiResponse recording(ApiRequest r) throws IOException {
        long id = r.pathId("id");
        Call call = calls.find(id).orElseThrow(() -> notFound(id));
        Path file = recordings.resolve(call.recordingPath().orElse(null))
                .orElseThrow(() -> ApiException.notFound("call " + id + " has no recording"));
        long size = Files.size(file);
        String type = file.getFileName().toString().endsWith(".wav") ? "audio/wav" : "application/octet-stream";
        Optional<ByteRange> range;
        try {
            range = ByteRange.parse(r.header("range"), size);
        } catch (ByteRange.Unsatisfiable e) {
            return e.response();
        }
        // a player asks for the rest in ranges as it goes: one playback is the request for its start
        if (range.isEmpty() || range.get().first() == 0) {
            audit.recordBeforeReading(r, "recording.played", call.siteId(), "call " + id,
                    Map.of("range", r.header("range").orElse("whole file")));
        }
        if (range.isEmpty()) {
            return new ApiResponse(200, type, new FileBody(file, 0, size), Map.of("Accept-Ranges", "bytes"));
        }
        ByteRange b = range.get();
        return new ApiResponse(206, type, new FileBody(file, b.first(), b.length()),
                Map.of("Accept-Ranges", "bytes", "Content-Range", b.contentRange(size)));
    }

    /** A deal (revenue) set on a call; {@code amount} null clears it. */
    public record Deal(BigDecimal amount) {}

    public record DealSet(long callId, BigDecimal dealAmount) {}

    /** The call's deal as it is now. */
    private Deal deal(ApiRequest r) {
        long callId = r.pathId("id");
        return new Deal(calls.find(callId).orElseThrow(() -> notFound(callId)).dealAmount().orElse(null));
    }

    /** {"amount": 1500.00} sets the deal, {"amount": null} clears it. */
    private ApiResponse setDeal(ApiRequest r, Deal deal) {
        long callId = r.pathId("id");
        if (deal.amount() != null) Fields.amount(deal.amount(), "amount");
        if (!calls.setDeal(callId, deal.amount())) throw notFound(callId);
        return ApiResponse.ok(new DealSet(callId, deal.amount()));
    }

    /** By the site's threshold as it is now; a site that does not exist has no calls to re-classify. */
    private ApiResponse reclassify(ApiRequest r) {
        long siteId = r.pathId("id");
        List<Long> changed = sites.find(siteId)
                .map(site -> lifecycle.reclassify(siteId, site.targetThresholdSeconds())).orElse(List.of());
        return ApiResponse.ok(new Reclassified(changed.size(), changed));
    }

    private static ApiException notFound(long id) {
        return ApiException.notFound("call " + id + " does not exist");
    }
}
