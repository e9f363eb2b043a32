package io.calltrack.tracking.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.calltrack.support.Browser;
import io.calltrack.support.Http;
import io.calltrack.support.MutableClock;
import io.calltrack.support.TestServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * What the snippet's browser tests run against: calltrack on a clock the test moves, a shop's pages on another
 * origin, and between the browser and calltrack a reverse proxy (the origin the snippet is loaded from) that records
 * what the browser sent and can play a calltrack that cannot be reached.
 */
final class SnippetSite implements AutoCloseable {
    static final ObjectMapper json = new ObjectMapper();
    /** Headers the JDK client or server sets itself. */
    private static final Set<String> HOP_BY_HOP = Set.of("host", "connection", "content-length", "transfer-encoding",
            "upgrade", "expect", "date", "keep-alive");

    /** One request that reached calltrack through the proxy. */
    record Sent(String method, String path, String body) {
        JsonNode json() {
            try {
                return SnippetSite.json.readTree(body.isEmpty() ? "{}" : body);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    final MutableClock clock = new MutableClock(Instant.parse("2026-11-27T10:00:00Z"));
    final TestServer server;
    final Http http;
    private final HttpServer pages;
    private final HttpServer proxy;
    private final HttpClient client = HttpClient.newHttpClient();
    private final List<Sent> sent = new CopyOnWriteArrayList<>();
    private volatile boolean down;

    SnippetSite() {
        Browser.require();
        server = TestServer.start(Map.of("tracking.session-starts-per-ip-per-minute", "1000"), clock);
        http = new Http(server.baseUrl());
        try {
            pages = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            proxy = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            server.close();
            throw new UncheckedIOException(e);
        }
        proxy.createContext("/", this::relay);
        pages.start();
        proxy.start();
    }

    /** A site with its pool; returns its public key. */
    String site(String fallback, int holdSeconds, String... pool) throws IOException {
        JsonNode site = json.readTree(http.adminPost("/v1/sites", """
                {"name":"Shop","timeZone":"UTC","fallbackNumber":"%s","sessionHoldSeconds":%d,"allowedOrigins":["%s"]}"""
                .formatted(fallback, holdSeconds, pageOrigin())).body());
        for (String n : pool) {
            var r = http.adminPost("/v1/sites/" + site.get("id").asLong() + "/numbers",
                    "{\"number\":\"" + n + "\",\"kind\":\"pool\"}");
            assertEquals(201, r.statusCode(), r.body());
        }
        return site.get("publicKey").asText();
    }

    /** Serves {@code body} at {@code path} with the site's snippet at its end, as the README says to embed it. */
    void page(String path, String key, String body) {
        html(path, "<!doctype html><html><head><meta charset=\"utf-8\"><title>Shop</title></head><body>\n" + body
                + "\n<script src=\"" + proxyOrigin() + "/snippet.js?site=" + key + "\" async></script>\n</body></html>");
    }

    /** Serves the page {@code html} at {@code path}. */
    void html(String path, String html) {
        pages.createContext(path, ex -> {
            if (!ex.getRequestURI().getPath().equals(path)) respond(ex, 404, "text/plain", "not found");
            else respond(ex, 200, "text/html; charset=utf-8", html);
        });
    }

    String url(String pathAndQuery) {
        return pageOrigin() + pathAndQuery;
    }

    String pageOrigin() {
        return "http://127.0.0.1:" + pages.getAddress().getPort();
    }

    String proxyOrigin() {
        return "http://127.0.0.1:" + proxy.getAddress().getPort();
    }

    /** Another visitor starting a session straight through the API, as their browser's snippet would. */
    JsonNode visitorStarts(String key, String clientId) throws IOException {
        var r = http.send(http.builder("/v1/visitor/" + key + "/sessions").header("User-Agent", Browser.DESKTOP)
                .header("Origin", pageOrigin()).POST(HttpRequest.BodyPublishers.ofString(
                        "{\"clientId\":\"" + clientId + "\",\"page\":\"" + url("/") + "\"}")), false);
        assertEquals(200, r.statusCode(), r.body());
        return json.readTree(r.body());
    }

    /** What browsers sent the site's visitor API (preflights left out; also while down), oldest first. */
    List<Sent> sent(String key) {
        return sent.stream().filter(s -> s.method().equals("POST") && s.path().startsWith("/v1/visitor/" + key + "/"))
                .toList();
    }

    /** Every request (preflights too) browsers made to the site's visitor API. */
    long tries(String key) {
        return sent.stream().filter(s -> s.path().startsWith("/v1/visitor/" + key + "/")).count();
    }

    List<Sent> heartbeats(String key) {
        return sent(key).stream().filter(s -> s.path().endsWith("/heartbeat")).toList();
    }

    List<Sent> starts(String key) {
        return sent(key).stream().filter(s -> s.path().endsWith("/sessions")).toList();
    }

    /**
     * While down, the proxy answers the visitor API with 502 and no CORS headers, as one in front of a stopped
     * calltrack does; the snippet itself still loads, as from a cache.
     */
    void down(boolean isDown) {
        down = isDown;
    }

    private void relay(HttpExchange ex) throws IOException {
        String pathAndQuery = ex.getRequestURI().getRawPath()
                + (ex.getRequestURI().getRawQuery() == null ? "" : "?" + ex.getRequestURI().getRawQuery());
        byte[] body = ex.getRequestBody().readAllBytes();
        sent.add(new Sent(ex.getRequestMethod(), ex.getRequestURI().getPath(), new String(body, StandardCharsets.UTF_8)));
        if (down && pathAndQuery.startsWith("/v1/")) {
            respond(ex, 502, "text/plain", "bad gateway");
            return;
        }
        HttpRequest.Builder out = HttpRequest.newBuilder(URI.create(server.baseUrl() + pathAndQuery))
                .method(ex.getRequestMethod(), body.length == 0 ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(body));
        ex.getRequestHeaders().forEach((name, values) -> {
            if (!HOP_BY_HOP.contains(name.toLowerCase())) values.forEach(v -> out.header(name, v));
        });
        HttpResponse<byte[]> in;
        try {
            in = client.send(out.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
        in.headers().map().forEach((name, values) -> {
            if (!HOP_BY_HOP.contains(name.toLowerCase()) && !name.startsWith(":")) {
                ex.getResponseHeaders().put(name, values);
            }
        });
        byte[] bytes = in.body();
        ex.sendResponseHeaders(in.statusCode(), bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) ex.getResponseBody().write(bytes);
        ex.close();
    }

    static void respond(HttpExchange ex, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", type);
        ex.sendResponseHeaders(status, bytes.length);
        ex.getResponseBody().write(bytes);
        ex.close();
    }

    @Override
    public void close() {
        proxy.stop(0);
        pages.stop(0);
        server.close();
    }
}
