package io.calltrack.tracking.api;

import io.calltrack.platform.http.ApiException;
import io.calltrack.platform.http.ApiRequest;
import io.calltrack.tracking.Site;
import java.util.Map;
import java.util.Optional;

/** CORS for the visitor API: only the origins listed in the site's {@code allowedOrigins} ("*" allows any). */
final class Cors {
    private Cors() {}

    /** The response headers for a request from an allowed origin; 403 for any other origin. */
    static Map<String, String> headers(Site site, ApiRequest request) {
        Optional<String> origin = request.header("origin");
        if (origin.isEmpty()) return Map.of(); // not a browser cross-origin request
        if (!site.allowedOrigins().contains(origin.get()) && !site.allowedOrigins().contains("*")) {
            throw new ApiException(403, "origin " + origin.get() + " is not allowed for this site; add it to the "
                    + "site's allowedOrigins");
        }
        return Map.of("Access-Control-Allow-Origin", origin.get(), "Vary", "Origin",
                "Access-Control-Allow-Methods", "POST, OPTIONS",
                "Access-Control-Allow-Headers", "Content-Type",
                "Access-Control-Max-Age", "600");
    }
}
