package io.calltrack.calls.api;

import io.calltrack.calls.CallRepository;
import io.calltrack.calls.CallLifecycle;
import io.calltrack.calls.Call;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import io.calltrack.platform.http.ApiException;
import io.calltrack.platform.http.ApiRequest;
import io.calltrack.platform.http.ApiResponse;
import io.calltrack.platform.http.ByteRange;
import io.calltrack.platform.http.Fields;
import io.calltrack.platform.http.FileBody;
import io.calltrack.platform.http.Route;
import io.calltrack.platform.http.RouteProvider;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The calls API (admin token): one call with its timeline (the list is {@link CallLogRoutes}'s), its recording with Range support,
 * its deal amount, and re-classification of a site's calls after a threshold change. Bodies are {@link Call}s,
 * camelCase.
 */
public final class CallRoutes implements RouteProvider {

    private final CallRepository calls;
    private final CallLifecycle lifecycle;
    private final Path recordingDir;

    public CallRoutes(CallRepository calls, CallLifecycle lifecycle, Path recordingDir) {
        this.calls = calls;
        this.lifecycle = lifecycle;
        this.recordingDir = recordingDir;
    }

    @Override
    public List<Route> routes() {
        return Route.all(List.of(
                Route.admin("GET", "/v1/calls/{id}", this::get),
                Route.admin("GET", "/v1/calls/{id}/recording", this::recording),
                Route.admin("POST", "/v1/sites/{id}/reclassify", this::reclassify)),
                Route.replaceable("/v1/calls/{id}/deal", Deal.class, this::deal, this::setDeal));
    }

    /** One call with its timeline. */
    record CallWithTimeline(@JsonUnwrapped Call call, List<CallRepository.CallEvent> events) {}

    /** What re-classification changed. */
    record Reclassified(int reclassified, List<Long> callIds) {}

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

    private ApiResponse reclassify(ApiRequest r) {
        List<Long> changed = lifecycle.reclassify(r.pathId("id"));
        return ApiResponse.ok(new Reclassified(changed.size(), changed));
    }

    private static ApiException notFound(long id) {
        return ApiException.notFound("call " + id + " does not exist");
    }

    /** Keeps a stored recording path inside the recordings directory, whatever the path or symlinks say. */
    static final class RecordingFiles {
        private RecordingFiles() {}

        static Optional<Path> resolve(Path recordingDir, String stored) throws IOException {
            if (stored == null || stored.isBlank() || stored.indexOf('\0') >= 0) return Optional.empty();
            try {
                Path root = recordingDir.toRealPath();
                Path candidate = root.resolve(stored).normalize();
                Path real = candidate.toRealPath();
                if (!real.startsWith(root) || !Files.isRegularFile(real)) return Optional.empty();
                return Optional.of(real);
            } catch (NoSuchFileException | java.nio.file.InvalidPathException e) {
                return Optional.empty();
            }
        }
    }
}
