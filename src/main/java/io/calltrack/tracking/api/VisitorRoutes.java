package io.calltrack.tracking.api;

import io.calltrack.platform.http.ApiException;
import io.calltrack.platform.http.ApiRequest;
import io.calltrack.platform.http.ApiResponse;
import io.calltrack.platform.http.Route;
import io.calltrack.platform.http.RouteProvider;
import io.calltrack.tracking.AnalyticsIds;
import io.calltrack.tracking.ClickIds;
import io.calltrack.tracking.PhoneNumbers;
import io.calltrack.tracking.Site;
import io.calltrack.tracking.SiteRepository;
import io.calltrack.tracking.VisitorSession;
import io.calltrack.tracking.VisitorSessions;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The public visitor API the snippet calls, keyed by the site's public key:
 * {@code POST /v1/visitor/{key}/sessions} starts or resumes, {@code .../sessions/{id}/heartbeat} keeps the number,
 * {@code .../sessions/{id}/end} marks the page closed. Every path answers CORS preflights, and every response,
 * errors included, carries the CORS headers of an allowed origin: the snippet must read a 404 to start again.
 */
public final class VisitorRoutes implements RouteProvider {
    private static final int MAX_TEXT = 2048;

    private final SiteRepository sites;
    private final VisitorSessions sessions;
    private final VisitorLimits limiter;
    private final PhoneNumbers numbers;
    private final ClientAddresses clients;
    private final Duration heartbeatMin;
    private final Duration heartbeatMax;

    /**
     * {@code clients}: whose request it is, behind trusted proxies (tracking.client-ip-header,
     * tracking.trusted-proxies); {@code heartbeatMin}/{@code heartbeatMax}: the bounds of the heartbeat interval the snippet is told.
     */
    public VisitorRoutes(SiteRepository sites, VisitorSessions sessions, VisitorLimits limiter,
                         PhoneNumbers numbers, ClientAddresses clients, Duration heartbeatMin, Duration heartbeatMax) {
        this.sites = sites;
        this.sessions = sessions;
        this.limiter = limiter;
        this.numbers = numbers;
        this.clients = clients;
        this.heartbeatMin = heartbeatMin;
        this.heartbeatMax = heartbeatMax;
    }

    /**
     * Start body: the cookie's client id, the page and referrer; UTM fields default to the page URL's (click ids are
     * always the page URL's); {@code gaClientId} and {@code ymClientId} are the raw {@code _ga} and {@code _ym_uid}
     * cookies, when the page has them.
     */
    public record StartRequest(String clientId, String page, String referrer, String utmSource, String utmMedium,
                               String utmCampaign, String utmTerm, String utmContent, String gaClientId,
                               String ymClientId) {}

    /** Heartbeat body, all optional: a page view of a single-page application, analytics cookies set late. */
    public record HeartbeatRequest(String page, String gaClientId, String ymClientId) {}

    /** The number to show: E.164 for tel: links, display (national) and international for text. */
    public record ShownNumber(String e164, String display, String international) {
        static ShownNumber of(String e164, PhoneNumbers numbers) {
            return new ShownNumber(e164, numbers.display(e164), numbers.displayInternational(e164));
        }
    }

    /**
     * {@code holdSeconds}: how long from now the number is the visitor's without another heartbeat (shorter until a
     * session's first heartbeat: tracking.unseen-lease-hold); {@code heartbeatSeconds}: when to send the next one.
     */
    public record SessionResponse(UUID sessionId, ShownNumber number, String source, String trackId,
                                  Instant expiresAt, long holdSeconds, int heartbeatSeconds, boolean resumed) {}

    @Override
    public List<Route> routes() {
        String start = "/v1/visitor/{key}/sessions";
        String heartbeat = "/v1/visitor/{key}/sessions/{id}/heartbeat";
        String end = "/v1/visitor/{key}/sessions/{id}/end";
        return List.of(
                Route.open("OPTIONS", start, r -> ApiResponse.noContent()),
                Route.open("OPTIONS", heartbeat, r -> ApiResponse.noContent()),
                Route.open("OPTIONS", end, r -> ApiResponse.noContent()),
                Route.open("POST", start, this::start),
                Route.open("POST", heartbeat, this::heartbeat),
                Route.open("POST", end, this::end))
                .stream().map(route -> route.withHeaders(r -> Cors.headers(site(r), r))).toList();
    }

    private ApiResponse start(ApiRequest r) {
        Site site = site(r);
        StartRequest body = r.bodyAs(StartRequest.class);
        String clientId = text(body.clientId(), "clientId")
                .filter(s -> s.length() <= 128)
                .orElseThrow(() -> ApiException.badRequest("clientId is required (the calltrack cookie value, "
                        + "at most 128 characters)"));
        Optional<String> page = text(body.page(), "page");
        Map<String, List<String>> pageQuery = page.map(p -> new QueryStringDecoder(p).parameters()).orElse(Map.of());
        VisitorSession.Utm utm = new VisitorSession.Utm(
                utm(body.utmSource(), pageQuery, "utmSource", "utm_source"),
                utm(body.utmMedium(), pageQuery, "utmMedium", "utm_medium"),
                utm(body.utmCampaign(), pageQuery, "utmCampaign", "utm_campaign"),
                utm(body.utmTerm(), pageQuery, "utmTerm", "utm_term"),
                utm(body.utmContent(), pageQuery, "utmContent", "utm_content"));
        String ip = clientIp(r);
        limiter.refuse(site.id(), ip).ifPresent(reason -> {
            throw new ApiException(429, reason);
        });
        VisitorSessions.Shown shown = sessions.start(site, new VisitorSessions.Visit(clientId, page,
                text(body.referrer(), "referrer"), utm, ClickIds.fromQuery(pageQuery),
                AnalyticsIds.fromCookies(body.gaClientId(), body.ymClientId()), r.header("user-agent"),
                Optional.of(ip)));
        return ApiResponse.ok(response(site, shown));
    }

    private ApiResponse heartbeat(ApiRequest r) {
        Site site = site(r);
        limiter.refuseHeartbeat(r.pathParam("id")).ifPresent(reason -> {
            throw new ApiException(429, reason);
        });
        // the body is optional: an empty one (or none) only keeps the number
        HeartbeatRequest body = r.body().length == 0 ? new HeartbeatRequest(null, null, null)
                : r.bodyAs(HeartbeatRequest.class);
        VisitorSessions.Heartbeat beat = new VisitorSessions.Heartbeat(text(body.page(), "page"),
                AnalyticsIds.fromCookies(body.gaClientId(), body.ymClientId()));
        VisitorSessions.Shown shown = sessions.heartbeat(site, sessionId(r), beat).orElseThrow(() ->
                ApiException.notFound("session " + r.pathParam("id") + " is unknown or expired; start a new one"));
        return ApiResponse.ok(response(site, shown));
    }

    private ApiResponse end(ApiRequest r) {
        Site site = site(r);
        if (!sessions.end(site, sessionId(r))) {
            throw ApiException.notFound("session " + r.pathParam("id") + " does not exist");
        }
        return ApiResponse.noContent();
    }

    private SessionResponse response(Site site, VisitorSessions.Shown s) {
        return new SessionResponse(s.sessionId(), ShownNumber.of(s.e164(), numbers),
                s.source().name().toLowerCase(java.util.Locale.ROOT), s.trackId().orElse(null), s.expiresAt(),
                s.held().toSeconds(), Site.heartbeatSeconds(s.held(), heartbeatMin, heartbeatMax), s.resumed());
    }

    /** The visitor's address: behind a trusted proxy the right-most untrusted entry of its header, else the peer. */
    private String clientIp(ApiRequest r) {
        return clients.of(r.remoteAddress(), clients.header().flatMap(r::header));
    }

    private Site site(ApiRequest r) {
        return sites.findByPublicKey(r.pathParam("key"))
                .orElseThrow(() -> ApiException.notFound("no site has the key '" + r.pathParam("key") + "'"));
    }

    private static UUID sessionId(ApiRequest r) {
        try {
            return UUID.fromString(r.pathParam("id"));
        } catch (IllegalArgumentException e) {
            throw ApiException.notFound("session '" + r.pathParam("id") + "' does not exist");
        }
    }

    private static Optional<String> utm(String explicit, Map<String, List<String>> pageQuery, String field,
                                        String queryName) {
        return text(explicit, field).or(() -> Optional.ofNullable(pageQuery.get(queryName))
                .flatMap(v -> v.stream().findFirst()).filter(v -> !v.isBlank()));
    }

    private static Optional<String> text(String value, String field) {
        if (value == null || value.isBlank()) return Optional.empty();
        if (value.length() > MAX_TEXT) {
            throw ApiException.badRequest(field + " is longer than " + MAX_TEXT + " characters");
        }
        return Optional.of(value.trim());
    }
}
