package io.calltrack.routing.api;

import static io.calltrack.access.Permission.*;

import io.calltrack.platform.http.ApiException;
import io.calltrack.platform.http.ApiRequest;
import io.calltrack.platform.http.ApiResponse;
import io.calltrack.platform.http.Need;
import io.calltrack.platform.http.Route;
import io.calltrack.platform.http.RouteProvider;
import io.calltrack.routing.RoutingDocument;
import io.calltrack.routing.RoutingRepository;
import io.calltrack.tracking.PhoneNumbers;
import io.calltrack.tracking.SiteRepository;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * Routing management: the whole of a site's departments, managers and rules as one JSON document
 * ({@code GET}/{@code PUT /v1/sites/{id}/routing}, the import replaces everything atomically; {@code PATCH} merges
 * into it), single rules, and switching one manager on or off ({@code PUT}/{@code PATCH /v1/managers/{id}}).
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

    /** Body of {@code PUT}/{@code PATCH /v1/managers/{id}}. */
    public record ManagerState(Boolean active) {}

    @Override
    public List<Route> routes() {
        return Route.all(
                List.of(Route.guarded("GET", "/v1/sites/{id}/routing", Need.site(ROUTING_READ, "id"),
                        req -> ApiResponse.ok(routing.export(site(req))))),
                Route.replaceable("/v1/sites/{id}/routing", Need.site(ROUTING_WRITE, "id"),
                        RoutingDocument.class, req -> routing.export(site(req)),
                        (req, doc) -> store(site(req), doc)),
                List.of(
                        Route.guarded("GET", "/v1/sites/{id}/rules", Need.site(ROUTING_READ, "id"),
                                req -> ApiResponse.ok(routing.export(site(req)).rules())),
                        Route.guarded("POST", "/v1/sites/{id}/rules", Need.site(ROUTING_WRITE, "id"), req -> {
                            RoutingDocument.RuleDoc rule = req.bodyAs(RoutingDocument.RuleDoc.class);
                            return editRules(req, rules -> rules.add(rule));
                        }),
                        Route.guarded("DELETE", "/v1/sites/{id}/rules/{n}", Need.site(ROUTING_WRITE, "id"),
                                req -> editRules(req, rules -> rules.remove(index(req, rules)))),
                        Route.guarded("POST", "/v1/sites/{id}/managers", Need.site(ROUTING_WRITE, "id"),
                                this::addManager)),
                Route.replaceable("/v1/sites/{id}/rules/{n}", Need.site(ROUTING_WRITE, "id"),
                        RoutingDocument.RuleDoc.class, req -> {
                    List<RoutingDocument.RuleDoc> rules = routing.export(site(req)).rules();
                    return rules.get(index(req, rules));
                }, (req, rule) -> editRules(req, rules -> rules.set(index(req, rules), rule))),
                Route.replaceable("/v1/managers/{id}",
                        Need.entity(ROUTING_WRITE, "manager", "id", routing::siteOfManager), ManagerState.class,
                        req -> new ManagerState(routing.active(req.pathId("id")).orElseThrow(() -> managerNotFound(req))),
                        this::setManager));
    }

    /** Body of {@code POST /v1/sites/{id}/managers}: a manager added to an existing department. */
    public record NewManager(String department, String name, String dialString, String sipUri, Boolean active,
                             Integer ringTimeoutSeconds) {}

    /**
     * One rule added ({@code POST}, at the end), replaced or changed or removed ({@code PUT}/{@code PATCH}/
     * {@code DELETE} of the n-th, from 1): an edit of the whole document, so it gets the import's validation and its
     * single transaction.
     */
    private ApiResponse editRules(ApiRequest req, Consumer<List<RoutingDocument.RuleDoc>> edit) {
        long siteId = site(req);
        RoutingDocument doc = routing.export(siteId);
        List<RoutingDocument.RuleDoc> rules = new ArrayList<>(doc.rules());
        edit.accept(rules);
        store(siteId, new RoutingDocument(doc.departments(), rules));
        return ApiResponse.ok(routing.export(siteId).rules());
    }

    private ApiResponse addManager(ApiRequest req) {
        long siteId = site(req);
        NewManager m = req.bodyAs(NewManager.class);
        RoutingDocument doc = routing.export(siteId);
        List<RoutingDocument.DepartmentDoc> departments = new ArrayList<>();
        boolean found = false;
        for (RoutingDocument.DepartmentDoc d : doc.departments()) {
            if (d.name().equals(m.department())) {
                List<RoutingDocument.ManagerDoc> managers = new ArrayList<>(d.managers());
                managers.add(manager(m));
                d = new RoutingDocument.DepartmentDoc(d.name(), managers);
                found = true;
            }
            departments.add(d);
        }
        if (!found) {
            departments.add(new RoutingDocument.DepartmentDoc(m.department(), List.of(manager(m))));
        }
        store(siteId, new RoutingDocument(departments, doc.rules()));
        return ApiResponse.created(routing.export(siteId));
    }

    private static RoutingDocument.ManagerDoc manager(NewManager m) {
        return new RoutingDocument.ManagerDoc(null, m.name(), m.dialString(), m.sipUri(), m.active(),
                m.ringTimeoutSeconds(), null);
    }

    private static int index(ApiRequest req, List<?> rules) {
        int n;
        try {
            n = Integer.parseInt(req.pathParam("n"));
        } catch (NumberFormatException e) {
            n = 0;
        }
        if (n < 1 || n > rules.size()) {
            throw ApiException.notFound("rule " + req.pathParam("n") + " does not exist (the site has "
                    + rules.size() + " rules, numbered from 1)");
        }
        return n - 1;
    }

    private ApiResponse store(long siteId, RoutingDocument doc) {
        var departments = doc.validDepartments();
        Set<String> names = departments.stream().map(RoutingDocument.DepartmentSpec::name).collect(Collectors.toSet());
        routing.replace(siteId, departments, doc.validRules(names, phoneNumbers));
        return ApiResponse.ok(routing.export(siteId));
    }

    private ApiResponse setManager(ApiRequest req, ManagerState state) {
        if (state.active() == null) throw ApiException.badField("active", "is required (true or false)");
        if (!routing.setActive(req.pathId("id"), state.active())) throw managerNotFound(req);
        return ApiResponse.ok(Map.of("id", req.pathId("id"), "active", state.active()));
    }

    private static ApiException managerNotFound(ApiRequest req) {
        return ApiException.notFound("manager " + req.pathParam("id") + " does not exist");
    }

    private long site(ApiRequest req) {
        long id = req.pathId("id");
        if (sites.find(id).isEmpty()) throw ApiException.notFound("site " + id + " does not exist");
        return id;
    }
}
