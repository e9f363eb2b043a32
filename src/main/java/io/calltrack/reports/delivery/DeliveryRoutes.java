package io.calltrack.reports.delivery;

import io.calltrack.db.Jdbc;
import io.calltrack.http.ApiException;
import io.calltrack.http.ApiRequest;
import io.calltrack.http.ApiResponse;
import io.calltrack.http.Route;
import io.calltrack.http.RouteProvider;
import io.calltrack.reports.CallRecords;
import io.calltrack.reports.ReportRequests;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;

/** Management API: per-site delivery settings, the Metrica calls file, dead letters and their re-sending. */
public final class DeliveryRoutes implements RouteProvider {
    private final Jdbc jdbc;
    private final DeliverySettingsStore settings;
    private final Outbox outbox;
    private final CallRecords calls;

    public DeliveryRoutes(Jdbc jdbc, DeliverySettingsStore settings, Outbox outbox, CallRecords calls) {
        this.jdbc = jdbc;
        this.settings = settings;
        this.outbox = outbox;
        this.calls = calls;
    }

    @Override
    public List<Route> routes() {
        return List.of(
                Route.admin("GET", "/v1/sites/{id}/delivery-settings", this::getSettings),
                Route.admin("PUT", "/v1/sites/{id}/delivery-settings", this::putSettings),
                Route.admin("GET", "/v1/sites/{id}/exports/metrica-calls", this::metricaFile),
                Route.admin("GET", "/v1/sites/{id}/dead-letters", this::deadLetters),
                Route.admin("POST", "/v1/outbox/{id}/resend", this::resend));
    }

    private ApiResponse getSettings(ApiRequest r) {
        long siteId = r.pathId("id");
        ReportRequests.siteZone(jdbc, siteId);
        return ApiResponse.ok(settings.get(siteId));
    }

    private ApiResponse putSettings(ApiRequest r) {
        long siteId = r.pathId("id");
        ReportRequests.siteZone(jdbc, siteId);
        DeliverySettings s = r.bodyAs(DeliverySettings.class);
        try {
            s.validate();
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(e.getMessage());
        }
        settings.put(siteId, s);
        return ApiResponse.ok(s);
    }

    /** The Yandex.Metrica calls upload file for completed calls in the range, for a manual upload. */
    private ApiResponse metricaFile(ApiRequest r) {
        long siteId = r.pathId("id");
        ZoneId zone = ReportRequests.siteZone(jdbc, siteId);
        ReportRequests.Range range = ReportRequests.range(r);
        String csv = MetricaCalls.csv(calls.completed(siteId, range.start(zone), range.end(zone)),
                settings.get(siteId).callTrackerUrl());
        return ApiResponse.text(200, "text/csv; charset=utf-8", csv).withHeader("Content-Disposition",
                "attachment; filename=\"metrica-calls-" + siteId + "-" + range.from() + "-" + range.to() + ".csv\"");
    }

    private ApiResponse deadLetters(ApiRequest r) {
        long siteId = r.pathId("id");
        ReportRequests.siteZone(jdbc, siteId);
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
        OutboxEntry e = outbox.find(id).orElseThrow(() -> ApiException.notFound("outbox entry " + id + " does not exist"));
        if (!outbox.resend(id)) throw ApiException.conflict("outbox entry " + id + " is " + e.state() + ", not dead");
        return ApiResponse.ok(outbox.find(id).orElseThrow());
    }
}
