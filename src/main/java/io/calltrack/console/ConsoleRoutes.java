package io.calltrack.console;

import io.calltrack.platform.http.ApiException;
import io.calltrack.platform.http.ApiRequest;
import io.calltrack.platform.http.ApiResponse;
import io.calltrack.platform.http.Route;
import io.calltrack.platform.http.RouteProvider;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The web console under {@code /console}: a page shell and ES modules that use the public API like any script
 * (nothing here reads data). The files are open to anyone, as a login page must be; what they show comes from the
 * API, which checks who asks. Every answer, errors included, carries {@link #SECURITY_HEADERS}.
 */
public final class ConsoleRoutes implements RouteProvider {
    /**
     * Only this origin's files run or style the page: no inline script or style (an injected tag does nothing), no
     * framing (clickjacking), no plugins, forms post only here, and the page leaks no URL to other sites.
     */
    static final String CONTENT_SECURITY_POLICY = String.join("; ",
            "default-src 'self'", "script-src 'self'", "style-src 'self'", "img-src 'self'", "media-src 'self'",
            "connect-src 'self'", "font-src 'self'", "object-src 'none'", "base-uri 'none'", "form-action 'self'",
            "frame-ancestors 'none'");
    static final Map<String, String> SECURITY_HEADERS = Map.of(
            "Content-Security-Policy", CONTENT_SECURITY_POLICY,
            "X-Content-Type-Options", "nosniff",
            "Referrer-Policy", "no-referrer",
            "X-Frame-Options", "DENY",
            "Cross-Origin-Opener-Policy", "same-origin");
    /** The console's own files change with each release under the same name: the browser asks again every time. */
    private static final String REVALIDATE = "no-cache";
    /** A library file's URL names its content: it never changes. */
    private static final String FOREVER = "public, max-age=31536000, immutable";

    private final ConsoleLibraries libraries;
    private final ConsoleFiles files;

    private ConsoleRoutes(ConsoleLibraries libraries) {
        this.libraries = libraries;
        this.files = new ConsoleFiles("/console/lib/" + libraries.tag());
    }

    /** Reads the libraries from their WebJars now, so a broken jar stops the start instead of the first page. */
    public static ConsoleRoutes load() {
        return new ConsoleRoutes(ConsoleLibraries.load());
    }

    @Override
    public List<Route> routes() {
        return List.of(
                Route.open("GET", "/console", r -> own(r, Optional.empty(), "index.html")),
                Route.open("GET", "/console/{file}", r -> own(r, Optional.empty(), r.pathParam("file"))),
                Route.open("GET", "/console/pages/{file}", r -> own(r, Optional.of("pages"), r.pathParam("file"))),
                Route.open("GET", "/console/lib/{tag}/{file}", this::library))
                .stream().map(route -> route.withHeaders(r -> SECURITY_HEADERS)).toList();
    }

    private ApiResponse own(ApiRequest r, Optional<String> folder, String name) {
        Asset asset = files.find(folder, name).orElseThrow(() -> missing(r));
        return answer(r, asset, REVALIDATE);
    }

    private ApiResponse library(ApiRequest r) {
        Asset asset = libraries.find(r.pathParam("tag"), r.pathParam("file")).orElseThrow(() -> missing(r));
        return answer(r, asset, FOREVER);
    }

    /** 304 when the browser's copy is this one (If-None-Match names its ETag), else the file. */
    private static ApiResponse answer(ApiRequest r, Asset asset, String cacheControl) {
        boolean fresh = r.header("if-none-match")
                .map(v -> v.trim().equals("*") || Arrays.stream(v.split(",")).map(String::trim)
                        .map(t -> t.startsWith("W/") ? t.substring(2) : t).anyMatch(asset.etag()::equals))
                .orElse(false);
        ApiResponse response = fresh ? ApiResponse.bytes(304, asset.contentType(), new byte[0])
                : ApiResponse.bytes(200, asset.contentType(), asset.body());
        return response.withHeaders(Map.of("ETag", asset.etag(), "Cache-Control", cacheControl));
    }

    private static ApiException missing(ApiRequest r) {
        return ApiException.notFound("the console has no file " + r.path());
    }
}
