package io.calltrack.access.api;

import io.calltrack.access.Permission;

import io.calltrack.access.AuditLog;
import io.calltrack.platform.http.ApiException;
import io.calltrack.platform.http.ApiRequest;
import io.calltrack.platform.http.ApiResponse;
import io.calltrack.platform.http.Fields;
import io.calltrack.platform.http.Need;
import io.calltrack.platform.http.Route;
import io.calltrack.platform.http.RouteProvider;
import java.util.List;
import java.util.Optional;

/**
 * {@code GET /v1/audit}, for owners and admins: the audit log newest first, filtered by period ({@code from},
 * {@code to}), {@code user} (id or login), {@code action} (or every action below it), {@code site} and
 * {@code target}; a page is {@code limit} entries (100, at most 500), the next one is asked for with
 * {@code cursor} = the page's {@code nextCursor}.
 */
public final class AuditRoutes implements RouteProvider {
    private static final int DEFAULT_LIMIT = 100;
    private static final int MAX_LIMIT = 500;

    private final AuditLog log;

    public AuditRoutes(AuditLog log) {
        this.log = log;
    }

    @Override
    public List<Route> routes() {
        return List.of(Route.guarded("GET", "/v1/audit", Need.of(Permission.AUDIT_READ), this::search));
    }

    /** A page of entries; {@code nextCursor} null on the last. */
    record Page(List<AuditLog.Stored> items, Long nextCursor) {}

    private ApiResponse search(ApiRequest r) {
        AuditLog.Filter filter = new AuditLog.Filter(
                r.queryParam("from").map(v -> Fields.instant(v, "from")),
                r.queryParam("to").map(v -> Fields.instant(v, "to")),
                r.queryParam("user"), r.queryParam("action"), number(r, "site"), r.queryParam("target"));
        int limit = number(r, "limit").map(n -> (int) Math.max(1, Math.min(MAX_LIMIT, n))).orElse(DEFAULT_LIMIT);
        List<AuditLog.Stored> items = log.search(filter, limit, number(r, "cursor"));
        return ApiResponse.ok(new Page(items, items.size() == limit ? items.get(items.size() - 1).id() : null));
    }

    private static Optional<Long> number(ApiRequest r, String name) {
        return r.queryParam(name).map(v -> {
            try {
                return Long.parseLong(v);
            } catch (NumberFormatException e) {
                throw ApiException.badRequest(name + " must be a number, got '" + v + "'");
            }
        });
    }
}
