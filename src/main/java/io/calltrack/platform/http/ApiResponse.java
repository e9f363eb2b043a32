package io.calltrack.platform.http;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** What a handler answers. JSON bodies are serialised by the server with its shared ObjectMapper. */
public record ApiResponse(int status, String contentType, Object body, Map<String, String> headers) {

    public static ApiResponse json(int status, Object value) {
        return new ApiResponse(status, "application/json", value, Map.of());
    }

    public static ApiResponse ok(Object value) {
        return json(200, value);
    }

    public static ApiResponse created(Object value) {
        return json(201, value);
    }

    public static ApiResponse noContent() {
        return new ApiResponse(204, "text/plain", new byte[0], Map.of());
    }

    public static ApiResponse text(int status, String contentType, String body) {
        return new ApiResponse(status, contentType, body.getBytes(StandardCharsets.UTF_8), Map.of());
    }

    public static ApiResponse bytes(int status, String contentType, byte[] body) {
        return new ApiResponse(status, contentType, body, Map.of());
    }

    public ApiResponse withHeader(String name, String value) {
        Map<String, String> h = new LinkedHashMap<>(headers);
        h.put(name, value);
        return new ApiResponse(status, contentType, body, Map.copyOf(h));
    }

    public ApiResponse withHeaders(Map<String, String> more) {
        Map<String, String> h = new LinkedHashMap<>(headers);
        h.putAll(more);
        return new ApiResponse(status, contentType, body, Map.copyOf(h));
    }
}
