package io.calltrack.tracking.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.calltrack.support.Http;
import io.calltrack.support.TestServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The snippet in a real headless Chromium: a page from another origin with the site's default number in text and
 * in a tel: link. Chromium's own user agent names it headless (a bot), so the runs present a desktop browser's.
 */
class SnippetBrowserTest {
    static final ObjectMapper json = new ObjectMapper();
    static final String DEFAULT_TEXT = "(212) 555-0100";
    static final String DEFAULT_TEL = "tel:+12125550100";
    static final String UA = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
            + "Chrome/120.0 Safari/537.36";

    static TestServer server;
    static HttpServer pages;
    static String key;
    static String snippetFromPageOrigin;

    @BeforeAll
    static void start() throws Exception {
        String chromium = chromium();
        if (chromium == null) {
            if ("true".equalsIgnoreCase(System.getenv("CI"))) fail("chromium is not installed (apt-get install chromium)");
            Assumptions.abort("chromium is not installed");
        }
        pages = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        pages.start();
        server = TestServer.start();
        Http http = new Http(server.baseUrl());
        JsonNode site = json.readTree(http.adminPost("/v1/sites", """
                {"name":"Shop","timeZone":"UTC","fallbackNumber":"+12125550100","allowedOrigins":["%s"]}"""
                .formatted(pageOrigin())).body());
        key = site.get("publicKey").asText();
        for (int i = 0; i < 3; i++) {
            http.adminPost("/v1/sites/" + site.get("id").asLong() + "/numbers",
                    "{\"number\":\"+1312555000" + i + "\",\"kind\":\"pool\"}");
        }
        snippetFromPageOrigin = http.get("/snippet.js?site=" + key).body();

        page("/shop", server.baseUrl() + "/snippet.js?site=" + key);
        page("/shop/contact", server.baseUrl() + "/snippet.js?site=" + key);
        // the same snippet served by a host whose visitor API is down
        page("/offline", pageOrigin() + "/snippet.js");
        pages.createContext("/snippet.js", ex -> respond(ex, 200, "application/javascript", snippetFromPageOrigin));
        pages.createContext("/v1/", ex -> respond(ex, 503, "text/plain", "down for maintenance"));
    }

    @AfterAll
    static void stop() {
        if (pages != null) pages.stop(0);
        if (server != null) server.close();
    }

    @Test
    void theLeasedNumberReplacesTheDefaultAndTheNextPageKeepsIt() throws Exception {
        Path profile = Files.createTempDirectory("chromium-profile");
        String first = dumpDom(profile, "/shop");
        String shown = leasedNumberIn(first);
        assertFalse(first.contains(DEFAULT_TEXT), first);
        assertFalse(first.contains(DEFAULT_TEL), first);
        assertTrue(first.contains("href=\"tel:+1312555000"), first);
        Matcher trackId = Pattern.compile("id=\"tid\"[^>]*>(\\d{4})<").matcher(first);
        assertTrue(trackId.find(), "the Track ID is shown: " + first);
        assertTrue(first.contains("href=\"tel:+1312555000" + shown + "\">(312) 555-000" + shown + "</a>"),
                "a data-calltrack-number element shows the number and calls it: " + first);

        String second = dumpDom(profile, "/shop/contact");
        assertEquals(shown, leasedNumberIn(second), "the same visitor keeps the number on the next page");

        String otherVisitor = dumpDom(Files.createTempDirectory("chromium-profile"), "/shop");
        assertFalse(leasedNumberIn(otherVisitor).equals(shown), "another visitor gets another number");
    }

    @Test
    void theDefaultNumberStaysWhenTheApiIsDown() throws Exception {
        String dom = dumpDom(Files.createTempDirectory("chromium-profile"), "/offline");
        assertTrue(dom.contains("Call us: " + DEFAULT_TEXT), dom);
        assertTrue(dom.contains("href=\"" + DEFAULT_TEL + "\""), dom);
    }

    static String leasedNumberIn(String dom) {
        Matcher m = Pattern.compile("Call us: \\(312\\) 555-000(\\d)").matcher(dom);
        assertTrue(m.find(), "no leased number in the page text: " + dom);
        return m.group(1);
    }

    static void page(String path, String snippetUrl) {
        String html = """
                <!doctype html><html><head><title>Shop</title></head><body>
                <p id="text">Call us: %s</p>
                <a id="tel" href="%s">Call now</a>
                <span id="tid" data-calltrack-trackid></span>
                <a id="marked" data-calltrack-number href="/contact">our phone</a>
                <script src="%s"></script>
                </body></html>""".formatted(DEFAULT_TEXT, DEFAULT_TEL, snippetUrl);
        pages.createContext(path, ex -> {
            if (!ex.getRequestURI().getPath().equals(path)) respond(ex, 404, "text/plain", "not found");
            else respond(ex, 200, "text/html; charset=utf-8", html);
        });
    }

    static void respond(HttpExchange ex, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", type);
        ex.sendResponseHeaders(status, bytes.length);
        ex.getResponseBody().write(bytes);
        ex.close();
    }

    static String pageOrigin() {
        return "http://127.0.0.1:" + pages.getAddress().getPort();
    }

    /** The page's DOM after its scripts ran; virtual time lets the snippet's requests finish first. */
    static String dumpDom(Path profile, String path) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(chromium(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--user-data-dir=" + profile, "--user-agent=" + UA, "--virtual-time-budget=10000",
                "--dump-dom", pageOrigin() + path));
        Path out = Files.createTempFile("chromium-dom", ".html");
        Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("chromium did not finish within 60 s");
        }
        return Files.readString(out);
    }

    static String chromium() {
        for (String candidate : List.of("/usr/bin/chromium", "/usr/bin/chromium-browser")) {
            if (Files.isExecutable(Path.of(candidate))) return candidate;
        }
        return null;
    }
}
