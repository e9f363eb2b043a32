package io.calltrack.calls.api;

import static io.calltrack.access.Permission.*;

import io.calltrack.calls.CallAnnotations;
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
 * its deal amount, a user's tags and note on it, and re-classification of a site's calls after a threshold change. Bodies are {@link Call}s,
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
                        Deal.class, this::deal, this::setDeal),
                Route.replaceable("/v1/calls/{id}/tags", Need.entity(CALLS_WRITE, "call", "id", calls::siteOf),
                        ManualTags.class, this::manualTags, this::setManualTags),
                Route.replaceable("/v1/calls/{id}/note", Need.entity(CALLS_WRITE, "call", "id", calls::siteOf),
                        Note.class, this::note, this::setNote));
    }

    /**
     * One call with its timeline. {@code tags} is every tag once (as it always was), {@code ruleTags} the speech
     * rules' (not editable), {@code manualTags} the users' ({@code PUT /v1/calls/{id}/tags}); a tag may be in both.
     */
    record CallWithTimeline(@JsonUnwrapped Call call, List<String> tags, List<String> ruleTags, List<String> manualTags,
                            String note, List<CallRepository.CallEvent> events) {}

    /** What re-classification changed. */
    record Reclassified(int reclassified, List<Long> callIds) {}

    private ApiResponse get(ApiRequest r) {
        long id = r.pathId("id");
        Call call = calls.find(id).orElseThrow(() -> notFound(id));
        boolean listens = CallsAsSeen.mayListen(r, call);
        CallTags.Tags t = tags.of(id);
        return ApiResponse.ok(new CallWithTimeline(asSeen.of(r, call), t.all(), t.rule(), t.manual(),
                calls.note(id).orElse(null), calls.events(id).stream()
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

    /** The tags a user set on a call (the speech rules' are not theirs to change). */
    public record ManualTags(List<String> tags) {}

    /** The answer names the site, for the audit log. */
    public record ManualTagsSet(long callId, Long siteId, List<String> tags) {}

    private ManualTags manualTags(ApiRequest r) {
        long callId = r.pathId("id");
        existing(callId);
        return new ManualTags(tags.of(callId).manual());
    }

    /** {"tags": ["vip", "callback"]} replaces the user's tags, {"tags": []} removes them. */
    private ApiResponse setManualTags(ApiRequest r, ManualTags body) {
        long callId = r.pathId("id");
        List<String> manual = CallAnnotations.tags(body.tags());
        Long siteId = existing(callId);
        tags.replaceManualTags(callId, manual);
        return ApiResponse.ok(new ManualTagsSet(callId, siteId, tags.of(callId).manual()));
    }

    /** A user's note on a call; {@code note} null (or blank) clears it. */
    public record Note(String note) {}

    public record NoteSet(long callId, Long siteId, String note) {}

    private Note note(ApiRequest r) {
        long callId = r.pathId("id");
        existing(callId);
        return new Note(calls.note(callId).orElse(null));
    }

    private ApiResponse setNote(ApiRequest r, Note body) {
        long callId = r.pathId("id");
        String note = CallAnnotations.note(body.note()).orElse(null);
        Long siteId = existing(callId);
        if (!calls.setNote(callId, note)) throw notFound(callId);
        return ApiResponse.ok(new NoteSet(callId, siteId, note));
    }

    /** The call's site (null: not attributed to one); 404 when there is no such call. */
    private Long existing(long callId) {
        return calls.find(callId).orElseThrow(() -> notFound(callId)).siteId().orElse(null);
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
