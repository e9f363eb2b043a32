package io.calltrack.routing.http;

import io.calltrack.http.ApiException;
import io.calltrack.http.ApiRequest;
import io.calltrack.http.ApiResponse;
import io.calltrack.http.Route;
import io.calltrack.http.RouteProvider;
import io.calltrack.routing.RoutingDocument;
import io.calltrack.routing.RoutingRepository;
import io.calltrack.tracking.PhoneNumbers;
import io.calltrack.tracking.SiteRepository;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Routing management: the whole of a site's departments, managers and rules as one JSON document
 * ({@code GET}/{@code PUT /v1/sites/{id}/routing}, the import replaces everything atomically), and switching
 * one manager on or off ({@code PUT /v1/managers/{id}}).
 */
public final class RoutingRoutes implements RouteProvider {
    private final RoutingRepository routing;
    private final SiteRepository sites;
    private final PhoneNumbers phoneNumbers;

    public RoutingRoutes(RoutingRepository routing, SiteRepository sites, PhoneNumbers phoneNumbers) {
        this.routing = routing;
        this.sites = sites;
        this.phoneNumbers = phoneNumbers;
    }

    /** Body of {@code PUT /v1/managers/{id}}. */
    public record ManagerState(Boolean active) {}

    @Override
    public List<Route> routes() {
        return List.of(
                Route.admin("GET", "/v1/sites/{id}/routing", req -> ApiResponse.ok(routing.export(site(req)))),
                Route.admin("PUT", "/v1/sites/{id}/routing", this::replace),
                Route.admin("PUT", "/v1/managers/{id}", this::setManager));
    }

    private ApiResponse replace(ApiRequest req) {
        long siteId = site(req);
        RoutingDocument doc = req.bodyAs(RoutingDocument.class);
        try {
            var departments = doc.validDepartments();
            Set<String> names = departments.stream().map(RoutingDocument.DepartmentSpec::name).collect(Collectors.toSet());
            routing.replace(siteId, departments, doc.validRules(names, phoneNumbers));
        } catch (RoutingDocument.InvalidRouting e) {
            throw ApiException.badRequest(e.getMessage());
        }
        return ApiResponse.ok(routing.export(siteId));
    }

    private ApiResponse setManager(ApiRequest req) {
        ManagerState state = req.bodyAs(ManagerState.class);
        if (state.active() == null) throw ApiException.badRequest("active: is required (true or false)");
        if (!routing.setActive(req.pathId("id"), state.active())) {
            throw ApiException.notFound("manager " + req.pathParam("id") + " does not exist");
        }
        return ApiResponse.ok(Map.of("id", req.pathId("id"), "active", state.active()));
    }

    private long site(ApiRequest req) {
        long id = req.pathId("id");
        if (sites.find(id).isEmpty()) throw ApiException.notFound("site " + id + " does not exist");
        return id;
    }
}
