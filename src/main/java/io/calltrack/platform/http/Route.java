package io.calltrack.platform.http;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A method and a path template such as {@code /v1/sites/{id}}; a route with a {@link Need} (every management route)
 * is authenticated and authorised before its handler runs, one without is open to anyone.
 * Handlers run on the blocking executor, never on a Netty event loop, so they may use the database.
 * {@code headers}: what every response of the route carries, errors included (CORS for the visitor API).
 */
public record Route(String method, String template, Optional<Need> need, Handler handler, Headers headers) {
    private static final Headers NONE = request -> Map.of();

    @FunctionalInterface
    public interface Handler {
        ApiResponse handle(ApiRequest request) throws Exception;
    }

    /** Headers for a request, worked out before its handler runs; throwing an ApiException refuses the request. */
    @FunctionalInterface
    public interface Headers {
        Map<String, String> of(ApiRequest request);
    }

    /** A management route: the handler runs only for a caller who has {@code need}. */
    public static Route guarded(String method, String template, Need need, Handler handler) {
        return new Route(method, template, Optional.of(need), handler, NONE);
    }

    public static Route open(String method, String template, Handler handler) {
        return new Route(method, template, Optional.empty(), handler, NONE);
    }

    /** Reads a resource as it is now, in the form its PUT body takes. */
    @FunctionalInterface
    public interface Current<T> {
        T of(ApiRequest request) throws Exception;
    }

    /** Validates and stores a whole resource; answers what was stored. */
    @FunctionalInterface
    public interface Store<T> {
        ApiResponse store(ApiRequest request, T whole) throws Exception;
    }

    /**
     * {@code PUT} (a full replace: the body is the whole resource) and {@code PATCH} (a JSON merge patch over
     * {@code current}, see {@link ApiRequest#patched}) of one management resource, both needing {@code need}. Both end
     * in the same {@code store}, so a patched result meets exactly the validation of a PUT.
     */
    public static <T> List<Route> replaceable(String template, Need need, Class<T> type, Current<T> current,
                                              Store<T> store) {
        return List.of(guarded("PUT", template, need, new Replacing(r -> store.store(r, r.bodyAs(type)), current::of)),
                guarded("PATCH", template, need, new Replacing(r -> store.store(r, r.patched(current.of(r), type)),
                        current::of)));
    }

    /**
     * The handler of a {@link #replaceable} route, which also says what the resource is before the change: the audit
     * log records a change's before and after from it, in one place for every such route.
     */
    public record Replacing(Handler store, Current<?> current) implements Handler {
        @Override
        public ApiResponse handle(ApiRequest request) throws Exception {
            return store.handle(request);
        }
    }

    /** The same route with another handler (e.g. one that audits what the original does). */
    public Route withHandler(Handler other) {
        return new Route(method, template, need, other, headers);
    }

    /** The routes of several groups, in order: a provider's plain routes and its {@link #replaceable} ones. */
    @SafeVarargs
    public static List<Route> all(List<Route>... groups) {
        return java.util.Arrays.stream(groups).flatMap(List::stream).toList();
    }

    /** The same route with headers on every response, whatever the handler answers or throws. */
    public Route withHeaders(Headers always) {
        return new Route(method, template, need, handler, always);
    }

    /** Path parameters when {@code path} fits the template, else empty. */
    Optional<Map<String, String>> match(String path) {
        String[] want = template.split("/");
        String[] got = path.split("/");
        if (want.length != got.length) return Optional.empty();
        Map<String, String> params = new HashMap<>();
        for (int i = 0; i < want.length; i++) {
            if (want[i].startsWith("{") && want[i].endsWith("}")) {
                if (got[i].isEmpty()) return Optional.empty();
                params.put(want[i].substring(1, want[i].length() - 1), got[i]);
            } else if (!want[i].equals(got[i])) {
                return Optional.empty();
            }
        }
        return Optional.of(params);
    }
}
