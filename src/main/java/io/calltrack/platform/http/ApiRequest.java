package io.calltrack.platform.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.calltrack.access.AccessPolicy;
import io.calltrack.access.Permission;
import io.calltrack.access.Principal;
import io.calltrack.access.SiteScope;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * One HTTP request as handlers see it: decoded path parameters, query, headers, body, and who sent it
 * ({@code principal}: present on every route that is not open to anyone, established before the handler runs).
 */
public record ApiRequest(
        String method,
        String path,
        Map<String, String> pathParams,
        Map<String, List<String>> query,
        Map<String, String> headers,
        byte[] body,
        String remoteAddress,
        ObjectMapper json,
        Optional<Principal> principal) {

    /** The same request, known to come from {@code who}. */
    public ApiRequest from(Principal who) {
        return new ApiRequest(method, path, pathParams, query, headers, body, remoteAddress, json, Optional.of(who));
    }

    /** The sites the caller sees: what a list across sites keeps to. */
    public SiteScope visibleSites() {
        return AccessPolicy.sites(caller());
    }

    /**
     * Whether the caller may use {@code permission} on the site of a row ({@code siteId} empty: a row of no site), for
     * what a route shows of a row beyond what its {@link Need} let it see (a call's recording).
     */
    public boolean may(Permission permission, Optional<Long> siteId) {
        return visibleSites().contains(siteId) && AccessPolicy.refusal(caller(), permission, siteId).isEmpty();
    }

    /** Throws the 403 of {@link AccessPolicy}'s refusal, saying why, unless the caller may. */
    public void require(Permission permission, long siteId) {
        Optional<String> why = AccessPolicy.refusal(caller(), permission, Optional.of(siteId));
        if (why.isPresent()) throw new ApiException(403, why.get());
    }

    /** Open routes have no caller, and no business asking what one may do. */
    private Principal caller() {
        return principal.orElseThrow(() -> new IllegalStateException(path + " is open: it has no caller"));
    }

    /** Header lookup, case-insensitive (names are stored lower-case). */
    public Optional<String> header(String name) {
        return Optional.ofNullable(headers.get(name.toLowerCase(java.util.Locale.ROOT)));
    }

    public Optional<String> queryParam(String name) {
        List<String> v = query.get(name);
        return v == null || v.isEmpty() || v.get(0).isBlank() ? Optional.empty() : Optional.of(v.get(0));
    }

    public String pathParam(String name) {
        return pathParams.get(name);
    }

    public long pathId(String name) {
        try {
            return Long.parseLong(pathParams.get(name));
        } catch (NumberFormatException e) {
            throw ApiException.notFound(name + " '" + pathParams.get(name) + "' does not exist");
        }
    }

    /** A path parameter that is a UUID; anything else is a 400 naming it. */
    public UUID pathUuid(String name) {
        String value = pathParams.get(name);
        try {
            if (value == null || value.length() != 36) throw new IllegalArgumentException();
            return UUID.fromString(value);
        } catch (IllegalArgumentException e) {
            throw ApiException.badField(name, "must be a UUID, got '" + value + "'");
        }
    }

    /**
     * The body as a JSON merge patch (RFC 7386) over {@code current}: a field present replaces it (an object merges
     * into the object it names, field by field), {@code null} clears it, an absent field keeps it. The result is
     * read as {@code type} like a full body, so it meets the same validation a PUT does.
     */
    public <T> T patched(T current, Class<T> type) {
        JsonNode patch = bodyTree();
        if (!patch.isObject()) throw ApiException.badRequest("a PATCH body is a JSON object of the fields to change");
        ObjectNode merged = merge(json.valueToTree(current), (ObjectNode) patch);
        try {
            return json.treeToValue(merged, type);
        } catch (JsonProcessingException e) {
            throw ApiException.badRequest("invalid JSON: " + e.getOriginalMessage());
        }
    }

    private static ObjectNode merge(ObjectNode target, ObjectNode patch) {
        patch.fields().forEachRemaining(f -> {
            JsonNode now = target.get(f.getKey());
            if (f.getValue().isNull()) {
                target.remove(f.getKey());
            } else if (f.getValue().isObject() && now != null && now.isObject()) {
                merge((ObjectNode) now, (ObjectNode) f.getValue());
            } else {
                target.set(f.getKey(), f.getValue());
            }
        });
        return target;
    }

    /** Whether the JSON body names {@code field} (even as null): a full replace that leaves it out keeps no value. */
    public boolean bodyNames(String field) {
        JsonNode tree = bodyTree();
        return tree.isObject() && tree.has(field);
    }

    /** Whether the escape for NUL (backslash, u, 0000) occurs at all: JSON has no other way to write it. */
    private static boolean mayHoldNul(byte[] body) {
        for (int i = 0; i + 5 < body.length; i++) {
            if (body[i] == '\\' && (body[i + 1] == 'u' || body[i + 1] == 'U') && body[i + 2] == '0'
                    && body[i + 3] == '0' && body[i + 4] == '0' && body[i + 5] == '0') {
                return true;
            }
        }
        return false;
    }

    private static boolean holdsNul(JsonNode node) {
        if (node.isTextual()) return node.textValue().indexOf('\0') >= 0;
        for (var fields = node.fields(); fields.hasNext(); ) {
            var f = fields.next();
            if (f.getKey().indexOf('\0') >= 0 || holdsNul(f.getValue())) return true;
        }
        if (node.isArray()) for (JsonNode element : node) if (holdsNul(element)) return true;
        return false;
    }

    private JsonNode bodyTree() {
        return bodyAs(JsonNode.class);
    }

    /**
     * The body as JSON of the given type; broken JSON is a 400 that says where it broke, and so is a string holding
     * NUL (escaped as backslash-u0000), which no PostgreSQL text column can store.
     */
    public <T> T bodyAs(Class<T> type) {
        if (body.length == 0) throw ApiException.badRequest("request body is empty; expected JSON");
        try {
            if (mayHoldNul(body)) {
                JsonNode tree = json.readTree(body);
                if (holdsNul(tree)) throw ApiException.badRequest("a JSON string holds NUL (\\u0000), which no text may");
                return json.treeToValue(tree, type);
            }
            return json.readValue(body, type);
        } catch (JsonProcessingException e) {
            throw ApiException.badRequest("invalid JSON: " + e.getOriginalMessage()
                    + (e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr()
                    + ", column " + e.getLocation().getColumnNr()));
        } catch (java.io.IOException e) {
            throw ApiException.badRequest("cannot read request body: " + e.getMessage());
        }
    }
}
