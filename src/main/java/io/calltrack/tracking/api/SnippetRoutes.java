package io.calltrack.tracking.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.calltrack.platform.http.ApiException;
import io.calltrack.platform.http.ApiRequest;
import io.calltrack.platform.http.ApiResponse;
import io.calltrack.platform.http.Route;
import io.calltrack.platform.http.RouteProvider;
import io.calltrack.tracking.PhoneNumbers;
import io.calltrack.tracking.Site;
import io.calltrack.tracking.SiteRepository;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * {@code GET /snippet.js?site=KEY}: the script a site embeds, with the site's key, hold time and default number
 * filled in (as JSON written by Jackson, so no value can break out of the script).
 */
public final class SnippetRoutes implements RouteProvider {
    /** The one expression in snippet.js (kept as is by its minifier) that becomes the site's settings. */
    private static final String PLACEHOLDER = "window.CALLTRACK_CONFIG";

    private final SiteRepository sites;
    private final PhoneNumbers numbers;
    private final ObjectMapper json;
    private final String template;

    /**
     * What the script needs: its site's key, how long a number stays the visitor's without a heartbeat (after that
     * the page goes back to the default) and the default number in the forms a page may show it.
     */
    record SnippetConfig(String siteKey, int holdSeconds, VisitorRoutes.ShownNumber defaultNumber) {}

    public SnippetRoutes(SiteRepository sites, PhoneNumbers numbers, ObjectMapper json) {
        this.sites = sites;
        this.numbers = numbers;
        this.json = json;
        this.template = load();
    }

    @Override
    public List<Route> routes() {
        return List.of(Route.open("GET", "/snippet.js", this::snippet));
    }

    private ApiResponse snippet(ApiRequest r) throws JsonProcessingException {
        String key = r.queryParam("site").orElseThrow(() -> ApiException.badRequest(
                "query parameter site (the site's public key) is required: /snippet.js?site=KEY"));
        Site site = sites.findByPublicKey(key)
                .orElseThrow(() -> ApiException.notFound("no site has the key '" + key + "'"));
        SnippetConfig config = new SnippetConfig(site.publicKey(), site.sessionHoldSeconds(),
                VisitorRoutes.ShownNumber.of(site.fallbackNumber(), numbers));
        // "</" cannot end a script element when the snippet is inlined
        String configJson = json.writeValueAsString(config).replace("</", "<\\/");
        return ApiResponse.text(200, "application/javascript; charset=utf-8", template.replace(PLACEHOLDER, "(" + configJson + ")"))
                .withHeader("Cache-Control", "public, max-age=300");
    }

    private static String load() {
        try (InputStream in = SnippetRoutes.class.getResourceAsStream("/io/calltrack/tracking/snippet.js")) {
            if (in == null) throw new IllegalStateException("snippet.js is missing from the jar");
            String script = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            if (!script.contains(PLACEHOLDER)) throw new IllegalStateException("snippet.js lacks " + PLACEHOLDER);
            return script;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
