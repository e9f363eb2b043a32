package io.calltrack.tracking.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.calltrack.http.ApiException;
import io.calltrack.http.ApiRequest;
import io.calltrack.http.ApiResponse;
import io.calltrack.http.Route;
import io.calltrack.http.RouteProvider;
import io.calltrack.tracking.PhoneNumbers;
import io.calltrack.tracking.Site;
import io.calltrack.tracking.SiteRepository;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * {@code GET /snippet.js?site=KEY}: the script a site embeds, with the site's key and default number filled in
 * (as JSON written by Jackson, so no value can break out of the script).
 */
public final class SnippetRoutes implements RouteProvider {
    private static final String PLACEHOLDER = "/*CALLTRACK_CONFIG*/null";

    private final SiteRepository sites;
    private final PhoneNumbers numbers;
    private final ObjectMapper json;
    private final String template;

    /** What the script needs: its site's key and the default number's digits in both forms. */
    record SnippetConfig(String siteKey, String defaultDigits, String defaultNationalDigits) {}

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
        String fallback = site.fallbackNumber();
        SnippetConfig config = new SnippetConfig(site.publicKey(), digits(fallback), digits(numbers.display(fallback)));
        // "</" cannot end a script element when the snippet is inlined
        String configJson = json.writeValueAsString(config).replace("</", "<\\/");
        return ApiResponse.text(200, "application/javascript; charset=utf-8", template.replace(PLACEHOLDER, configJson))
                .withHeader("Cache-Control", "public, max-age=300");
    }

    private static String digits(String s) {
        return s.replaceAll("\\D", "");
    }

    private static String load() {
        try (InputStream in = SnippetRoutes.class.getResourceAsStream("/io/calltrack/tracking/snippet.js")) {
            if (in == null) throw new IllegalStateException("snippet.js is missing from the jar");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
