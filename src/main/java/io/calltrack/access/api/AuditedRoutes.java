package io.calltrack.access.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.calltrack.access.SecretRedaction;
import io.calltrack.platform.http.ApiRequest;
import io.calltrack.platform.http.ApiResponse;
import io.calltrack.platform.http.Route;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place management changes and exports are audited, for every route it wraps, so no handler records them
 * itself. A change that succeeded (2xx) is recorded with what it changed: a PUT or PATCH of a {@link Route#replaceable}
 * resource with the resource before ({@link Route.Replacing#current}) and after (the stored answer), a DELETE with the
 * resource before (read as the same path's PUT or GET would), a POST with its answer (what was created or done). A
 * file download ({@code Content-Disposition: attachment}: CSV reports and exports) is recorded before it is handed out.
 * Secrets are redacted from everything kept ({@link SecretRedaction}).
 *
 * <p>Actions are named after the path's fixed segments and what happened: {@code sites.routing.changed},
 * {@code sites.channels.posted}, {@code sites.deleted}, {@code outbox.resend.posted}, {@code sites.reports.exported}.
 */
public final class AuditedRoutes {
    private static final Logger log = LoggerFactory.getLogger(AuditedRoutes.class);

    private final RequestAudit audit;
    private final ObjectMapper json;

    public AuditedRoutes(RequestAudit audit, ObjectMapper json) {
        this.audit = audit;
        this.json = json;
    }

    /** The routes, each guarded route audited; open routes (visitors, health) are passed through. */
    public List<Route> wrap(List<Route> routes) {
        Map<String, Route> gets = new HashMap<>();
        Map<String, Route.Replacing> replacing = new HashMap<>();
        for (Route r : routes) {
            if (r.method().equals("GET")) gets.putIfAbsent(r.template(), r);
            if (r.handler() instanceof Route.Replacing rep) replacing.putIfAbsent(r.template(), rep);
        }
        return routes.stream().map(r -> r.need().isPresent() ? r.withHandler(audited(r, gets, replacing)) : r).toList();
    }

    private Route.Handler audited(Route route, Map<String, Route> gets, Map<String, Route.Replacing> replacing) {
        Route.Handler handler = route.handler();
        String resource = resource(route.template());
        return switch (route.method()) {
            case "GET" -> r -> {
                ApiResponse response = handler.handle(r);
                if (isDownload(response)) {
                    audit.recordBeforeReading(r, resource + ".exported", site(route, r, null), r.path(),
                            Map.of("query", SecretRedaction.redact(json.valueToTree(query(r)))));
                }
                return response;
            };
            case "PUT", "PATCH" -> r -> {
                Optional<JsonNode> before = current(replacing.get(route.template()), r);
                return changed(route, r, handler.handle(r), resource + ".changed", before, true);
            };
            case "DELETE" -> r -> {
                Route.Replacing rep = replacing.get(route.template());
                Optional<JsonNode> before = rep != null ? current(rep, r) : read(gets.get(route.template()), r);
                return changed(route, r, handler.handle(r), resource + ".deleted", before, false);
            };
            default -> r -> changed(route, r, handler.handle(r), resource + ".posted", Optional.empty(), true);
        };
    }

    /** Records a change that succeeded; one that could not be recorded is logged, as it has happened anyway. */
    private ApiResponse changed(Route route, ApiRequest r, ApiResponse response, String action,
                                Optional<JsonNode> before, boolean withAnswer) {
        if (response.status() < 200 || response.status() > 299) return response;
        Optional<JsonNode> after = withAnswer ? tree(response.body()) : Optional.empty();
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("method", r.method());
        before.ifPresent(b -> detail.put("before", b));
        after.ifPresent(a -> detail.put("after", a));
        try {
            audit.record(r, action, site(route, r, after.or(() -> before).orElse(null)), r.path(), detail);
        } catch (RuntimeException e) {
            log.error("{} {} by {} succeeded but its audit entry could not be written: {}", r.method(), r.path(),
                    r.principal().map(p -> p.login()).orElse("?"), e.toString());
        }
        return response;
    }

    /** The resource before the change, as its PUT body; empty when it cannot be read (it does not exist yet). */
    private Optional<JsonNode> current(Route.Replacing rep, ApiRequest r) {
        if (rep == null) return Optional.empty();
        try {
            return tree(rep.current().of(r));
        } catch (Exception notThere) {
            return Optional.empty();
        }
    }

    private Optional<JsonNode> read(Route get, ApiRequest r) {
        if (get == null) return Optional.empty();
        try {
            ApiResponse shown = get.handler().handle(r);
            return shown.status() == 200 ? tree(shown.body()) : Optional.empty();
        } catch (Exception notThere) {
            return Optional.empty();
        }
    }

    /** A JSON answer's body without secrets; a file or text body is not kept. */
    private Optional<JsonNode> tree(Object body) {
        if (body == null || body instanceof byte[] || body instanceof io.calltrack.platform.http.FileBody) {
            return Optional.empty();
        }
        return Optional.of(SecretRedaction.redact(json.valueToTree(body)));
    }

    private static boolean isDownload(ApiResponse response) {
        return response.status() >= 200 && response.status() <= 299 && response.headers().entrySet().stream()
                .anyMatch(h -> h.getKey().equalsIgnoreCase("Content-Disposition")
                        && h.getValue().toLowerCase(java.util.Locale.ROOT).startsWith("attachment"));
    }

    /** The site the request is about: named in the path ({@code /v1/sites/{id}/...}) or in what it answered. */
    private static Optional<Long> site(Route route, ApiRequest r, JsonNode answer) {
        String param = route.template().startsWith("/v1/sites/{id}") ? "id" : "siteId";
        String named = r.pathParam(param);
        if (named != null && named.matches("[0-9]{1,18}")) return Optional.of(Long.parseLong(named));
        // a site itself (created, or as it was before a delete) names itself by "id"
        String field = route.template().equals("/v1/sites") ? "id" : "siteId";
        if (answer != null && answer.path(field).canConvertToLong()) return Optional.of(answer.get(field).asLong());
        return Optional.empty();
    }

    private static Map<String, String> query(ApiRequest r) {
        return r.query().entrySet().stream().filter(e -> !e.getValue().isEmpty())
                .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().get(0), (a, b) -> a, LinkedHashMap::new));
    }

    /** {@code /v1/sites/{id}/delivery-settings} is {@code sites.delivery-settings}. */
    static String resource(String template) {
        return Arrays.stream(template.split("/")).filter(s -> !s.isEmpty() && !s.equals("v1") && !s.startsWith("{"))
                .collect(Collectors.joining("."));
    }
}
