package io.calltrack.telephony.sip;

import io.calltrack.access.Permission;
import io.calltrack.platform.http.ApiException;
import io.calltrack.platform.http.ApiRequest;
import io.calltrack.platform.http.ApiResponse;
import io.calltrack.platform.http.Need;
import io.calltrack.platform.http.Route;
import io.calltrack.platform.http.RouteProvider;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** {@code POST /v1/sip/outcomes}: the PBX reports how a call we redirected ended. */
public final class SipOutcomeRoutes implements RouteProvider {
    /** Longer than any real call (a day): larger values are a broken CDR hook, not a call. */
    private static final int MAX_SECONDS = 86_400;

    private final SipOutcomeSink sink;

    public SipOutcomeRoutes(SipOutcomeSink sink) {
        this.sink = sink;
    }

    /** The posted JSON; boxed so that missing fields can be told apart from zeros. */
    record Body(String callId, Boolean answered, Integer talkSeconds, Integer ringSeconds, String recordingUrl,
                String manager) {}

    @Override
    public List<Route> routes() {
        return List.of(Route.guarded("POST", "/v1/sip/outcomes", Need.of(Permission.TELEPHONY), this::post));
    }

    private ApiResponse post(ApiRequest request) {
        SipOutcome outcome = validate(request.bodyAs(Body.class));
        SipOutcomeSink.Result result = sink.outcome(outcome);
        if (result instanceof SipOutcomeSink.Result.UnknownCall) {
            throw ApiException.notFound("no redirected call with callId '" + outcome.callId() + "'");
        }
        if (result instanceof SipOutcomeSink.Result.Contradicts c) {
            // a second report that contradicts the first: the first stands, and the PBX is told what it was
            return ApiResponse.json(409, Map.of("error", "call " + outcome.callId() + " already has another "
                    + "outcome; it is kept", "stored", Map.of("answered", c.stored().answered(),
                    "talkSeconds", c.stored().talkSeconds(), "ringSeconds", c.stored().ringSeconds())));
        }
        return ApiResponse.ok(Map.of("callId", outcome.callId(), "stored", true));
    }

    static SipOutcome validate(Body b) {
        if (b.callId() == null || b.callId().isBlank()) {
            throw ApiException.badRequest("callId is required: the SIP Call-ID of the redirected INVITE");
        }
        if (b.answered() == null) throw ApiException.badRequest("answered is required (true or false)");
        int talk = seconds("talkSeconds", b.talkSeconds());
        int ring = seconds("ringSeconds", b.ringSeconds());
        if (!b.answered() && talk > 0) {
            throw ApiException.badRequest("talkSeconds must be 0 when answered is false, got " + talk);
        }
        Optional<String> recording = Optional.ofNullable(b.recordingUrl()).filter(s -> !s.isBlank());
        recording.ifPresent(SipOutcomeRoutes::checkUrl);
        return new SipOutcome(b.callId().trim(), b.answered(), talk, ring, recording,
                Optional.ofNullable(b.manager()).filter(s -> !s.isBlank()));
    }

    private static int seconds(String field, Integer value) {
        if (value == null) return 0;
        if (value < 0 || value > MAX_SECONDS) {
            throw ApiException.badRequest(field + " must be between 0 and " + MAX_SECONDS + ", got " + value);
        }
        return value;
    }

    private static void checkUrl(String url) {
        try {
            URI uri = new URI(url);
            if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null) return;
        } catch (java.net.URISyntaxException e) {
            // reported below
        }
        throw ApiException.badRequest("recordingUrl must be an http(s) URL, got '" + url + "'");
    }
}
