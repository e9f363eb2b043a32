package io.calltrack.delivery.api;

import static io.calltrack.access.Permission.*;

import io.calltrack.delivery.Delivery;
import io.calltrack.delivery.DeliverySettingsStore;
import io.calltrack.delivery.Outbox;
import io.calltrack.delivery.DeliverySettings;
import io.calltrack.delivery.AnalyticsMatch;
import io.calltrack.delivery.MetricaCalls;

import io.calltrack.access.CallerNumbers;
import io.calltrack.calls.CallRepository;
import io.calltrack.platform.http.ApiException;
import io.calltrack.platform.http.ApiRequest;
import io.calltrack.platform.http.ApiResponse;
import io.calltrack.platform.http.Need;
import io.calltrack.platform.http.Route;
import io.calltrack.platform.http.RouteProvider;
import io.calltrack.platform.jobs.Job;
import io.calltrack.reports.api.ReportRequests;
import io.calltrack.tracking.SiteRepository;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Management API: per-site delivery settings, the Metrica calls file, recent deliveries, dead letters and their
 * re-sending.
 */
public final class DeliveryRoutes implements RouteProvider {
    private final SiteRepository sites;
    private final DeliverySettingsStore settings;
    private final Outbox outbox;
    private final CallRepository calls;
    private final CallerNumbers callerNumbers;

    public DeliveryRoutes(SiteRepository sites, DeliverySettingsStore settings, Outbox outbox, CallRepository calls,
                          CallerNumbers callerNumbers) {
        this.sites = sites;
        this.settings = settings;
        this.outbox = outbox;
        this.calls = calls;
        this.callerNumbers = callerNumbers;
    }

    @Override
    public List<Route> routes() {
        return Route.all(List.of(
                Route.guarded("GET", "/v1/sites/{id}/delivery-settings", Need.site(DELIVERIES_READ, "id"),
                        r -> ApiResponse.ok(stored(r).shown())),
                Route.guarded("GET", "/v1/sites/{id}/exports/metrica-calls", Need.site(DELIVERIES_READ, "id"),
                        this::metricaFile),
                Route.guarded("GET", "/v1/sites/{id}/delivery-status", Need.site(DELIVERIES_READ, "id"), this::status),
                Route.guarded("GET", "/v1/sites/{id}/deliveries", Need.site(DELIVERIES_READ, "id"), this::recent),
                Route.guarded("GET", "/v1/sites/{id}/dead-letters", Need.site(DELIVERIES_READ, "id"),
                        this::deadLetters),
                Route.guarded("POST", "/v1/outbox/{id}/resend",
                        Need.entity(DELIVERIES_WRITE, "outbox entry", "id", outbox::siteOf), this::resend)),
                // a PATCH merges into the stored settings, secrets included: a secret it does not name is kept
                Route.replaceable("/v1/sites/{id}/delivery-settings", Need.site(DELIVERIES_WRITE, "id"),
                        DeliverySettings.class, this::stored,
                        this::putSettings));
    }

    /** The site's settings as stored, secrets in clear: never answered so ({@link DeliverySettings#shown}). */
    private DeliverySettings stored(ApiRequest r) {
        long siteId = r.pathId("id");
        ReportRequests.siteZone(sites, siteId);
        return settings.get(siteId);
    }

    private ApiResponse putSettings(ApiRequest r, DeliverySettings sent) {
        long siteId = r.pathId("id");
        DeliverySettings s = sent.keepingShownSecretsOf(stored(r));
        try {
            s.validate();
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(e.getMessage());
        }
        settings.put(siteId, s);
        return ApiResponse.ok(s.shown());
    }

    /**
     * The Yandex Metrica calls upload file for completed calls in the range, for a manual upload: the calls Metrica
     * matches by ClientId ({@code client_id_type=CLIENT_ID}, the default), or those it can match only by a yclid
     * ({@code YCLID}). Upload it with the same {@code client_id_type}. Callers' numbers are masked as in the calls
     * API for someone without recording access on a masking site (Metrica matches by the ids, not the number).
     */
    private ApiResponse metricaFile(ApiRequest r) {
        long siteId = r.pathId("id");
        ZoneId zone = ReportRequests.siteZone(sites, siteId);
        ReportRequests.Range range = ReportRequests.range(r);
        AnalyticsMatch.MetricaIdType type;
        try {
            type = AnalyticsMatch.MetricaIdType.parse(r.queryParam("client_id_type").orElse("CLIENT_ID"));
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(e.getMessage());
        }
        String csv = MetricaCalls.csv(callerNumbers.shownTo(r.principal().orElseThrow(),
                        calls.completed(siteId, range.start(zone), range.end(zone))), type,
                settings.get(siteId).callTrackerUrl());
        return ApiResponse.text(200, "text/csv; charset=utf-8", csv).withHeader("Content-Disposition",
                "attachment; filename=\"metrica-calls-" + siteId + "-" + range.from() + "-" + range.to() + "-"
                        + type.name().toLowerCase(java.util.Locale.ROOT) + ".csv\"");
    }

    /** Per target, whether it is configured and how many deliveries are pending, delivered, dead or not matchable. */
    private ApiResponse status(ApiRequest r) {
        long siteId = r.pathId("id");
        ReportRequests.siteZone(sites, siteId);
        DeliverySettings s = settings.get(siteId);
        Map<String, Map<String, Long>> counts = outbox.status(siteId);
        Map<String, Object> targets = new LinkedHashMap<>();
        targets.put("webhook", target(s.webhookUrl() != null, counts.get("webhook")));
        targets.put("metrica", target(s.metricaUrl() != null, counts.get("metrica")));
        targets.put("ga4", target(s.ga4Url() != null, counts.get("ga4")));
        return ApiResponse.ok(Map.of("siteId", siteId, "targets", targets));
    }

    private static Map<String, Object> target(boolean configured, Map<String, Long> byState) {
        Map<String, Long> n = byState == null ? Map.of() : byState;
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("configured", configured);
        t.put("pending", n.getOrDefault("pending", 0L));
        t.put("delivered", n.getOrDefault("delivered", 0L));
        t.put("dead", n.getOrDefault("dead", 0L));
        t.put("notMatchable", n.getOrDefault(Outbox.NOT_MATCHABLE, 0L));
        return t;
    }

    /** A page of recent deliveries; {@code nextCursor} (the page's last id) is null on the last page. */
    record Page(List<Delivery> items, Long nextCursor) {}

    /** The site's deliveries, newest first, in keyset pages: {@code cursor} is the last id of the page before. */
    private ApiResponse recent(ApiRequest r) {
        long siteId = r.pathId("id");
        ReportRequests.siteZone(sites, siteId);
        int limit = r.queryParam("limit").map(DeliveryRoutes::limit).orElse(50);
        Long cursor = r.queryParam("cursor").map(DeliveryRoutes::cursor).orElse(null);
        List<Delivery> read = outbox.recent(siteId, cursor, limit + 1);
        boolean more = read.size() > limit;
        List<Delivery> items = more ? read.subList(0, limit) : read;
        return ApiResponse.ok(new Page(items, more ? items.get(limit - 1).id() : null));
    }

    private static long cursor(String s) {
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("cursor must be a delivery id, got '" + s + "'");
        }
    }

    private ApiResponse deadLetters(ApiRequest r) {
        long siteId = r.pathId("id");
        ReportRequests.siteZone(sites, siteId);
        int limit = r.queryParam("limit").map(DeliveryRoutes::limit).orElse(100);
        return ApiResponse.ok(Map.of("deadLetters", outbox.deadLetters(siteId, limit)));
    }

    private static int limit(String s) {
        try {
            int n = Integer.parseInt(s);
            if (n >= 1 && n <= 1000) return n;
        } catch (NumberFormatException ignored) {
            // falls through to the error below
        }
        throw ApiException.badRequest("limit must be 1..1000, got '" + s + "'");
    }

    private ApiResponse resend(ApiRequest r) {
        long id = r.pathId("id");
        Job e = outbox.find(id).orElseThrow(() -> ApiException.notFound("outbox entry " + id + " does not exist"));
        if (!outbox.resend(id)) throw ApiException.conflict("outbox entry " + id + " is " + e.state() + ", not dead");
        return ApiResponse.ok(outbox.find(id).orElseThrow());
    }
}
