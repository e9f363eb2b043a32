package io.calltrack.reports.api;

import static io.calltrack.access.Permission.*;

import io.calltrack.reports.Period;
import io.calltrack.reports.AttributionModel;
import io.calltrack.reports.Csv;
import io.calltrack.reports.CostCheck;
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

    /** A JSON row: texts (numbers are taken as written), so that a bad value is that row's error, not the body's. */
    private record JsonCost(String day, String channel, String campaign, String amount) {}

    /**
     * JSON array of {day, channel, campaign, amount}, or CSV with Content-Type text/csv. Every row is checked; any
     * refused row refuses the import (400 listing every refused row and the rows that passed). {@code dryRun=true}
     * checks and stores nothing: a preview.
     */
    private ApiResponse importCosts(ApiRequest r) {
        long siteId = r.pathId("id");
        ReportRequests.siteZone(sites, siteId);
        boolean dryRun = r.queryParam("dryRun").map("true"::equals).orElse(false);
        boolean csv = r.header("content-type").map(t -> t.startsWith("text/csv")).orElse(false);
        List<CostCheck.Input> rows = csv ? CostStore.parseCsv(new String(r.body(), StandardCharsets.UTF_8))
                : fromJson(r.bodyAs(JsonCost[].class));
        CostCheck.Result checked = CostCheck.check(rows, costs.channelNames(siteId));
        if (!checked.refused().isEmpty()) {
            CostCheck.Refused first = checked.refused().get(0);
            int more = checked.refused().size() - 1;
            return ApiResponse.json(400, Map.of("error", first.reason() + (more > 0 ? " (and " + more + " more)" : ""),
                    "stored", false, "rows", rows.size(), "errors", checked.refused(), "costs", checked.accepted()));
        }
        int imported = dryRun ? 0 : costs.importCosts(siteId, checked.accepted());
        return ApiResponse.ok(Map.of("stored", !dryRun, "imported", imported, "rows", rows.size(),
                "errors", List.of(), "costs", checked.accepted()));
    }

    private static List<CostCheck.Input> fromJson(JsonCost[] body) {
        return java.util.stream.IntStream.range(0, body.length)
                .mapToObj(i -> body[i] == null ? new CostCheck.Input(i + 1, null, null, null, null)
                        : new CostCheck.Input(i + 1, body[i].day(), body[i].channel(), body[i].campaign(), body[i].amount()))
                .toList();
    }
}
