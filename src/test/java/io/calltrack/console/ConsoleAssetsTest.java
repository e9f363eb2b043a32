package io.calltrack.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.calltrack.support.Http;
import io.calltrack.support.TestServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The console's files as a browser gets them: served from the jar, cached right, under a strict CSP, nothing else. */
class ConsoleAssetsTest {
    private static final Pattern REFERENCE = Pattern.compile(
            "(?:src|href)=\"(/console[^\"]*)\"|\\bfrom\\s*\"(\\.{0,2}/[^\"]+)\"|import\\(\"([^\"]+)\"\\)");
    static TestServer server;
    static Http http;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        http = new Http(server.baseUrl());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void thePageShellIsServedWithAStrictContentSecurityPolicy() {
        for (String path : List.of("/console", "/console/")) {
            HttpResponse<String> page = http.get(path);
            assertEquals(200, page.statusCode(), path);
            assertEquals("text/html; charset=utf-8", page.headers().firstValue("Content-Type").orElseThrow());
            assertSecure(page);
        }
        String csp = http.get("/console").headers().firstValue("Content-Security-Policy").orElseThrow();
        for (String directive : List.of("default-src 'self'", "script-src 'self'", "style-src 'self'",
                "frame-ancestors 'none'", "object-src 'none'", "base-uri 'none'")) {
            assertTrue(csp.contains(directive), csp + " lacks " + directive);
        }
        assertFalse(csp.contains("unsafe"), csp);
    }

    @Test
    void thePageHasNoInlineScriptOrStyle() {
        String page = http.get("/console").body();
        Matcher scripts = Pattern.compile("<script([^>]*)>(.*?)</script>", Pattern.DOTALL).matcher(page);
        while (scripts.find()) {
            assertTrue(scripts.group(1).contains("src="), "inline script: " + scripts.group());
            assertTrue(scripts.group(2).isBlank(), "inline script: " + scripts.group());
        }
        assertFalse(page.contains("<style"), page);
        assertFalse(page.contains("style="), page);
    }

    /** Follows every link and import from the page: each file is there, with its type and the headers. */
    @Test
    void everyFileThePageLoadsIsServedFromTheJar() {
        Deque<String> todo = new ArrayDeque<>(List.of("/console/"));
        Set<String> seen = new HashSet<>();
        while (!todo.isEmpty()) {
            String path = todo.pop();
            if (!seen.add(path)) continue;
            HttpResponse<String> r = http.get(path);
            assertEquals(200, r.statusCode(), path + ": " + r.body());
            assertSecure(r);
            Matcher m = REFERENCE.matcher(r.body());
            while (m.find()) {
                String ref = m.group(1) != null ? m.group(1) : m.group(2) != null ? m.group(2) : m.group(3);
                todo.push(resolve(path, ref));
            }
        }
        assertTrue(seen.stream().anyMatch(p -> p.matches("/console/lib/[0-9a-f]{12}/preact\\.js")), seen.toString());
        assertTrue(seen.stream().anyMatch(p -> p.endsWith("/hooks.js")), seen.toString());
        assertTrue(seen.stream().anyMatch(p -> p.endsWith("/uplot.css")), seen.toString());
        assertTrue(seen.contains("/console/pages/dashboard.js"), seen.toString());
        assertTrue(seen.contains("/console/pages/call.js"), seen.toString());
    }

    @Test
    void libraryFilesAreCachedForAYearUnderAVersionedUrl() {
        String preact = libraryUrl("preact.js");
        HttpResponse<String> r = http.get(preact);
        assertEquals(200, r.statusCode());
        assertEquals("text/javascript; charset=utf-8", r.headers().firstValue("Content-Type").orElseThrow());
        assertEquals("public, max-age=31536000, immutable", r.headers().firstValue("Cache-Control").orElseThrow());
        // the hooks module imports its sibling, not the bare "preact" a browser cannot resolve without an import map
        String hooks = http.get(preact.replace("preact.js", "hooks.js")).body();
        assertTrue(hooks.contains("from\"./preact.js\""), hooks.substring(0, 80));
        assertFalse(hooks.contains("from\"preact\""));
        // another version's URL is not this file
        assertEquals(404, http.get("/console/lib/000000000000/preact.js").statusCode());
        assertEquals(404, http.get(preact.replace("preact.js", "package.json")).statusCode());
    }

    @Test
    void theConsolesOwnFilesAreRevalidatedByETag() {
        HttpResponse<String> first = http.get("/console/app.js");
        assertEquals(200, first.statusCode());
        assertEquals("no-cache", first.headers().firstValue("Cache-Control").orElseThrow());
        String etag = first.headers().firstValue("ETag").orElseThrow();
        HttpResponse<String> again = http.send(http.builder("/console/app.js").header("If-None-Match", etag).GET(),
                false);
        assertEquals(304, again.statusCode());
        assertEquals("", again.body());
        assertSecure(again);
        HttpResponse<String> changed = http.send(http.builder("/console/app.js")
                .header("If-None-Match", "\"something-else\"").GET(), false);
        assertEquals(200, changed.statusCode());
        assertEquals(first.body(), changed.body());
    }

    @ParameterizedTest
    @ValueSource(strings = {"/console/nothing.js", "/console/pages/nothing.js", "/console/pages",
            "/console/ConsoleRoutes.class", "/console/.hidden.js", "/console/lib", "/console/pages/.js",
            "/console/lib/x/preact.js"})
    void anUnknownFileIs404WithTheSameHeaders(String path) {
        HttpResponse<String> r = http.get(path);
        assertEquals(404, r.statusCode(), path + ": " + r.body());
        assertSecure(r);
    }

    /** Sent as raw bytes: an HTTP client would normalise the dots before they reach the server. */
    @ParameterizedTest
    @ValueSource(strings = {"/console/../../etc/passwd", "/console/%2e%2e/%2e%2e/etc/passwd",
            "/console/..%2f..%2f..%2fetc%2fpasswd", "/console/%2E%2E%2F%2E%2E%2Fetc%2Fpasswd",
            "/console/pages/..%2fapp.js", "/console/pages/%2e%2e", "/console/..", "/console/%2e%2e",
            "/console/..%5c..%5cetc%5cpasswd", "/console/lib/x/..%2f..%2f..%2fMETA-INF%2fMANIFEST.MF",
            "/console/..%2f..%2fio%2fcalltrack%2fApp.class", "/console/%252e%252e%252fetc%252fpasswd",
            "/console/pages/..%2f..%2fweb%2fapp.js", "/console/app.js%00.css"})
    void noPathLeavesTheConsolesFolder(String target) throws IOException {
        String answer = raw(target);
        String status = answer.substring(0, answer.indexOf("\r\n"));
        assertTrue(status.contains(" 404 ") || status.contains(" 400 "), target + " -> " + status);
        assertFalse(answer.contains("root:"), answer);
        assertFalse(answer.contains("Main-Class"), answer);
        assertFalse(answer.contains("import "), answer);
    }

    private static String raw(String target) throws IOException {
        try (Socket s = new Socket("127.0.0.1", server.app().httpPort())) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write(("GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static String libraryUrl(String name) {
        Matcher m = Pattern.compile("\"(/console/lib/[0-9a-f]+/)").matcher(http.get("/console/vendor.js").body());
        assertTrue(m.find(), "vendor.js names the library folder");
        return m.group(1) + name;
    }

    private static String resolve(String from, String ref) {
        if (ref.startsWith("/")) return ref;
        String dir = from.substring(0, from.lastIndexOf('/') + 1);
        String path = dir + ref;
        while (path.contains("/./")) path = path.replace("/./", "/");
        while (path.matches(".*/[^/]+/\\.\\./.*")) path = path.replaceFirst("/[^/.][^/]*/\\.\\./", "/");
        return path;
    }

    private static void assertSecure(HttpResponse<String> r) {
        assertEquals(ConsoleRoutes.CONTENT_SECURITY_POLICY,
                r.headers().firstValue("Content-Security-Policy").orElse("none"), r.uri().toString());
        assertEquals("nosniff", r.headers().firstValue("X-Content-Type-Options").orElse("none"));
        assertEquals("no-referrer", r.headers().firstValue("Referrer-Policy").orElse("none"));
    }
}
