package io.calltrack.calls.api;

import io.calltrack.calls.CallRepository;
import io.calltrack.calls.CallLifecycle;
import io.calltrack.calls.CallClass;
import io.calltrack.calls.Call;
import io.calltrack.calls.RecordingFiles;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import io.calltrack.platform.http.ApiException;
import io.calltrack.platform.http.ApiRequest;
import io.calltrack.platform.http.ApiResponse;
import io.calltrack.platform.http.ByteRange;
import io.calltrack.platform.http.Fields;
import io.calltrack.platform.http.FileBody;
import io.calltrack.platform.http.Route;
import io.calltrack.platform.http.RouteProvider;
import io.calltrack.tracking.SiteRepository;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.Optional;

/**
 * The calls API (admin token): the list with filters and keyset pagination (newest first; {@code cursor} is the
 * {@code nextCursor} of the previous page), one call with its timeline, its recording with Range support,
 * its deal amount, and re-classification of a site's calls after a threshold change. Bodies are {@link Call}s,
 * camelCase.
 */
public final class CallRoutes implements RouteProvider {
    private static final Pattern E164 = Pattern.compile("\\+[1-9][0-9]{6,14}");
    private static final int DEFAULT_LIMIT = 50;
    private static final int MAX_LIMIT = 500;

    private final CallRepository calls;
    private final CallLifecycle lifecycle;
    private final SiteRepository sites;
    private final Path recordingDir;

    public CallRoutes(CallRepository calls, CallLifecycle lifecycle, SiteRepository sites, Path recordingDir) {
        this.calls = calls;
        this.lifecycle = lifecycle;
        this.sites = sites;
        this.recordingDir = recordingDir;
    }

    @Override
    public List<Route> routes() {
        return Route.all(List.of(
                Route.admin("GET", "/v1/calls", this::list),
                Route.admin("GET", "/v1/calls/{id}", this::get),
                Route.admin("GET", "/v1/calls/{id}/recording", this::recording),
                Route.admin("POST", "/v1/sites/{id}/reclassify", this::reclassify)),
                Route.replaceable("/v1/calls/{id}/deal", Deal.class, this::deal, this::setDeal));
    }

    private ApiResponse list(ApiRequest r) {
        CallRepository.CallFilter filter = new CallRepository.CallFilter(
                longParam(r, "site"), instantParam(r, "from"), instantParam(r, "to"),
                r.queryParam("class").map(CallRoutes::callClass).orElse(null), longParam(r, "channel"),
                r.queryParam("campaign").orElse(null), longParam(r, "manager"), r.queryParam("caller").map(CallRoutes::caller)
                .orElse(null));
        Long limit = longParam(r, "limit");
        int pageSize = limit == null ? DEFAULT_LIMIT : (int) Math.max(1, Math.min(MAX_LIMIT, limit));
        List<Call> items = calls.list(filter, pageSize, longParam(r, "cursor"));
        return ApiResponse.ok(new Page(items, items.size() == pageSize ? items.get(items.size() - 1).id() : null));
    }

    /** A page of the list; {@code nextCursor} is null on the last page. */
    record Page(List<Call> items, Long nextCursor) {}

    /** One call with its timeline. */
    record CallWithTimeline(@JsonUnwrapped Call call, List<CallRepository.CallEvent> events) {}

    /** What re-classification changed. */
    record Reclassified(int reclassified, List<Long> callIds) {}

    /**
     * The caller filter is E.164. A form decoder reads an unencoded {@code +} as a space: in a phone number filter it
     * can only have been a plus, so it is read as one rather than matching nothing.
     */
    private static String caller(String raw) {
        String e164 = raw.startsWith(" ") ? "+" + raw.substring(1) : raw;
        if (!E164.matcher(e164).matches()) {
            throw ApiException.badRequest("caller must be an E.164 number such as +4930123456, got '" + raw + "'");
        }
        return e164;
    }

    private ApiResponse get(ApiRequest r) {
        long id = r.pathId("id");
        Call call = calls.find(id).orElseThrow(() -> notFound(id));
        return ApiResponse.ok(new CallWithTimeline(call, calls.events(id)));
    }

    private ApiResponse recording(ApiRequest r) throws IOException {
        long id = r.pathId("id");
        Call call = calls.find(id).orElseThrow(() -> notFound(id));
        Path file = RecordingFiles.resolve(recordingDir, call.recordingPath().orElse(null))
                .orElseThrow(() -> ApiException.notFound("call " + id + " has no recording"));
        long size = Files.size(file);
        String type = file.getFileName().toString().endsWith(".wav") ? "audio/wav" : "application/octet-stream";
        Optional<ByteRange> range;
        try {
            range = ByteRange.parse(r.header("range"), size);
        } catch (ByteRange.Unsatisfiable e) {
            return e.response();
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

    private static CallClass callClass(String v) {
        return CallClass.of(v).orElseThrow(
                () -> ApiException.badRequest("class must be " + CallClass.names() + ", got '" + v + "'"));
    }

    private static Long longParam(ApiRequest r, String name) {
        return r.queryParam(name).map(v -> {
            try {
                return Long.parseLong(v);
            } catch (NumberFormatException e) {
                throw ApiException.badRequest(name + " must be a number, got '" + v + "'");
            }
        }).orElse(null);
    }

    private static Instant instantParam(ApiRequest r, String name) {
        return r.queryParam(name).map(v -> Fields.instant(v, name)).orElse(null);
    }
}
