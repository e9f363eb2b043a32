package io.calltrack.reports.api;

import static io.calltrack.access.Permission.*;

import io.calltrack.reports.Period;
import io.calltrack.reports.AttributionModel;
import io.calltrack.reports.Csv;
import io.calltrack.reports.AdCost;
import io.calltrack.reports.Dimension;
import io.calltrack.reports.ReportRow;

import io.calltrack.reports.ReportQuery;
import io.calltrack.reports.PoolHealth;
import io.calltrack.reports.CostStore;

import io.calltrack.platform.http.ApiException;
import io.calltrack.platform.http.ApiRequest;
import io.calltrack.platform.http.ApiResponse;
import io.calltrack.platform.http.Need;
import io.calltrack.platform.http.Route;
import io.calltrack.platform.http.RouteProvider;
import io.calltrack.tracking.SiteRepository;
import java.nio.charset.StandardCharsets;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** Management API: reports, pool health and ad spend import. */
public final class ReportRoutes implements RouteProvider {
    private final SiteRepository sites;
    private final ReportQuery reports;
    private final PoolHealth poolHealth;
    private final CostStore costs;

    public ReportRoutes(SiteRepository sites, ReportQuery reports, PoolHealth poolHealth, CostStore costs) {
        this.sites = sites;
        this.reports = reports;
        this.poolHealth = poolHealth;
        this.costs = costs;
    }

    @Override
    public List<Route> routes() {
        return List.of(
                Route.guarded("GET", "/v1/sites/{id}/reports", Need.site(REPORTS_READ, "id"), this::report),
                Route.guarded("GET", "/v1/sites/{id}/pool-health", Need.site(REPORTS_READ, "id"), this::poolHealth),
                Route.guarded("POST", "/v1/sites/{id}/costs", Need.site(COSTS_WRITE, "id"), this::importCosts));
    }

    private ApiResponse report(ApiRequest r) {
        long siteId = r.pathId("id");
        ZoneId zone = ReportRequests.siteZone(sites, siteId);
        ReportRequests.Range range = ReportRequests.range(r);
        Dimension group;
        Period period;
        AttributionModel model;
        try {
            group = Dimension.parse(r.queryParam("group").orElse("channel"));
            period = Period.parse(r.queryParam("period").orElse("total"));
            model = AttributionModel.parse(r.queryParam("attribution").orElse("last"));
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(e.getMessage());
        }
        List<ReportRow> rows = reports.run(siteId, zone, range.from(), range.to(), group, period, model);
        if (ReportRequests.wantsCsv(r)) {
            String csv = Csv.write(ReportRow.CSV_COLUMNS, rows.stream().map(ReportRow::csvValues).toList());
            return ApiResponse.text(200, "text/csv; charset=utf-8", csv)
                    .withHeader("Content-Disposition", "attachment; filename=\"report-" + siteId + "-"
                            + range.from() + "-" + range.to() + ".csv\"");
        }
        return ApiResponse.ok(Map.of("siteId", siteId, "from", range.from(), "to", range.to(),
                "group", group.apiName(), "period", period.name().toLowerCase(java.util.Locale.ROOT),
                "attribution", model.apiName(), "rows", rows));
    }

    private ApiResponse poolHealth(ApiRequest r) {
        long siteId = r.pathId("id");
        ZoneId zone = ReportRequests.siteZone(sites, siteId);
        ReportRequests.Range range = ReportRequests.range(r);
        return ApiResponse.ok(poolHealth.run(siteId, zone, range.from(), range.to()));
    }

    /** JSON array of {day, channel, campaign, amount}, or CSV with Content-Type text/csv. */
    private ApiResponse importCosts(ApiRequest r) {
        long siteId = r.pathId("id");
        ReportRequests.siteZone(sites, siteId);
        boolean csv = r.header("content-type").map(t -> t.startsWith("text/csv")).orElse(false);
        List<AdCost> rows = csv ? CostStore.parseCsv(new String(r.body(), StandardCharsets.UTF_8))
                : Arrays.asList(r.bodyAs(AdCost[].class));
        return ApiResponse.ok(Map.of("imported", costs.importCosts(siteId, rows)));
    }
}
