package io.calltrack.access;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.calltrack.support.Http;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Optional;

/** A browser's view of the management API for tests: logs in, keeps the cookie, sends its CSRF token and Origin. */
final class SessionClient {
    private static final ObjectMapper json = new ObjectMapper();
    private final Http http;
    private final String origin;

    SessionClient(String baseUrl) {
        this.http = new Http(baseUrl);
        this.origin = baseUrl;
    }

    /** A logged-in browser: the cookie value and the CSRF token the login answered. */
    record Session(String cookie, String csrfToken, String setCookie) {}

    HttpResponse<String> loginResponse(String login, String password) {
        return http.send(http.builder("/v1/session").header("Origin", origin)
                .POST(HttpRequest.BodyPublishers.ofString(body(login, password))), false);
    }

    Session login(String login, String password) {
        HttpResponse<String> r = loginResponse(login, password);
        if (r.statusCode() != 200) throw new AssertionError("login of " + login + ": " + r.statusCode() + " " + r.body());
        return session(r);
    }

    static Session session(HttpResponse<String> r) {
        String setCookie = r.headers().firstValue("set-cookie").orElseThrow();
        String cookie = setCookie.substring(setCookie.indexOf('=') + 1, setCookie.indexOf(';'));
        return new Session(cookie, tree(r).get("csrfToken").asText(), setCookie);
    }

    /** A request with the session cookie only. */
    HttpRequest.Builder withCookie(Session s, String method, String path, Optional<String> body) {
        return http.builder(path).header("Cookie", SessionCookie.NAME + "=" + s.cookie())
                .method(method, body.map(HttpRequest.BodyPublishers::ofString)
                        .orElse(HttpRequest.BodyPublishers.noBody()));
    }

    /** What calltrack's own page sends: cookie, CSRF token, our Origin, Sec-Fetch-Site same-origin. */
    HttpResponse<String> send(Session s, String method, String path, String body) {
        return http.send(withCookie(s, method, path, Optional.ofNullable(body)).header("Origin", origin)
                .header("Sec-Fetch-Site", "same-origin").header(SessionAuthenticator.CSRF_HEADER, s.csrfToken()), false);
    }

    HttpResponse<String> get(Session s, String path) {
        return http.send(withCookie(s, "GET", path, Optional.empty()), false);
    }

    Http http() {
        return http;
    }

    static JsonNode tree(HttpResponse<String> r) {
        try {
            return json.readTree(r.body());
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + r.body(), e);
        }
    }

    static String body(String login, String password) {
        return json.createObjectNode().put("login", login).put("password", password).toString();
    }
}
