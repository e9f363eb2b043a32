package io.calltrack.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A plain JDK HTTP client for tests, with the admin token where asked. */
public final class Http {
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;

    public Http(String base) {
        this.base = base;
    }

    public HttpResponse<String> get(String path) {
        return send(builder(path).GET(), false);
    }

    public HttpResponse<String> adminGet(String path) {
        return send(builder(path).GET(), true);
    }

    public HttpResponse<String> post(String path, String json) {
        return send(builder(path).POST(HttpRequest.BodyPublishers.ofString(json)), false);
    }

    public HttpResponse<String> adminPost(String path, String json) {
        return send(builder(path).POST(HttpRequest.BodyPublishers.ofString(json)), true);
    }

    public HttpResponse<String> adminPut(String path, String json) {
        return send(builder(path).PUT(HttpRequest.BodyPublishers.ofString(json)), true);
    }

    public HttpResponse<String> adminPatch(String path, String json) {
        return send(builder(path).method("PATCH", HttpRequest.BodyPublishers.ofString(json)), true);
    }

    public HttpResponse<String> adminDelete(String path) {
        return send(builder(path).DELETE(), true);
    }

    public HttpResponse<String> send(HttpRequest.Builder request, boolean admin) {
        if (admin) request.header("Authorization", "Bearer " + TestServer.ADMIN_TOKEN);
        try {
            return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public HttpRequest.Builder builder(String path) {
        return HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(20))
                .header("Content-Type", "application/json");
    }
}
