package io.calltrack.reports;

import io.calltrack.calls.CallRepository;
import io.calltrack.db.Jdbc;
import io.calltrack.http.ApiException;
import io.calltrack.http.ApiRequest;
import io.calltrack.http.ApiResponse;
import io.calltrack.http.Route;
import io.calltrack.http.RouteProvider;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** Management API: reports, pool health, ad spend import and deal amounts (stored by the calls' repository). */
public final class ReportRoutes implements RouteProvider {
    private final Jdbc jdbc;
    private final CallRepository calls;
    private final ReportQuery reports;
    private final PoolHealth poolHealth;
    private final CostStore costs;

    public ReportRoutes(Jdbc jdbc, CallRepository calls, Clock clock) {
        this.jdbc = jdbc;
        this.calls = calls;
        SessionRollup rollup = new SessionRollup(jdbc, clock);
        this.reports = new ReportQuery(jdbc, rollup);
        this.poolHealth = new PoolHealth(jdbc, rollup);
        this.costs = new CostStore(jdbc);
    }

    @Override
    public List<Route> routes() {
        return List.of(
                Route.admin("GET", "/v1/sites/{id}/reports", this::report),
                Route.admin("GET", "/v1/sites/{id}/pool-health", this::poolHealth),
                Route.admin("POST", "/v1/sites/{id}/costs", this::importCosts),
                Route.admin("PUT", "/v1/calls/{id}/deal", this::setDeal));
    }

    private ApiResponse report(ApiRequest r) {
        long siteId = r.pathId("id");
        ZoneId zone = ReportRequests.siteZone(jdbc, siteId);
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
        ZoneId zone = ReportRequests.siteZone(jdbc, siteId);
        ReportRequests.Range range = ReportRequests.range(r);
        return ApiResponse.ok(poolHealth.run(siteId, zone, range.from(), range.to()));
    }

    /** JSON array of {day, channel, campaign, amount}, or CSV with Content-Type text/csv. */
    private ApiResponse importCosts(ApiRequest r) {
        long siteId = r.pathId("id");
        ReportRequests.siteZone(jdbc, siteId);
        boolean csv = r.header("content-type").map(t -> t.startsWith("text/csv")).orElse(false);
        List<AdCost> rows = csv ? CostStore.parseCsv(new String(r.body(), StandardCharsets.UTF_8))
                : Arrays.asList(r.bodyAs(AdCost[].class));
        return ApiResponse.ok(Map.of("imported", costs.importCosts(siteId, rows)));
    }

    public record Deal(BigDecimal amount) {}

    public record DealSet(long callId, BigDecimal dealAmount) {}

    /** {"amount": 1500.00} sets the deal, {"amount": null} clears it. */
    private ApiResponse setDeal(ApiRequest r) {
        long callId = r.pathId("id");
        Deal deal = r.bodyAs(Deal.class);
        if (deal.amount() != null && deal.amount().signum() < 0) throw ApiException.badRequest("amount is negative");
        if (deal.amount() != null && deal.amount().precision() - deal.amount().scale() > 12) {
            throw ApiException.badRequest("amount is too large");
        }
        if (!calls.setDeal(callId, deal.amount())) throw ApiException.notFound("call " + callId + " does not exist");
        return ApiResponse.ok(new DealSet(callId, deal.amount()));
    }
}
