package io.calltrack.platform.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.calltrack.support.TestServer;
import io.calltrack.support.fuzz.Fuzz;
import io.calltrack.support.fuzz.FuzzWatch;
import io.calltrack.support.fuzz.TimeBudget;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterProperty;
import net.jqwik.api.lifecycle.BeforeProperty;
import net.jqwik.api.statistics.Statistics;

/**
 * The HTTP API fuzzed over a raw socket (so any bytes can be sent): management and visitor endpoints get mutated
 * JSON bodies (broken, wrong types, deep nesting, huge numbers, odd unicode), the report and call list get garbage
 * query strings. Bad input is answered 4xx with a JSON error, never 5xx; nothing is logged as an error; the server
 * then answers a good request as before.
 */
class HttpFuzzTest {
    private static final ObjectMapper json = new ObjectMapper();
    private static final JsonNodeFactory nodes = JsonNodeFactory.instance;
    private TestServer server;
    private FuzzWatch watch;
    private long site;
    private String siteKey;
    private String session;

    /** One endpoint and a body it accepts; {@code {site}}, {@code {key}} and {@code {session}} are filled in. */
    record Endpoint(String method, String path, boolean admin, String validBody) {
        @Override
        public String toString() {
            return method + " " + path;
        }
    }

    private static final List<Endpoint> BODY_ENDPOINTS = List.of(
            new Endpoint("POST", "/v1/sites", true, """
                    {"name":"Shop","timeZone":"America/New_York","fallbackNumber":"+12125550100","allowedOrigins":["*"]}"""),
            new Endpoint("PUT", "/v1/sites/{site}", true, """
                    {"name":"Shop","timeZone":"Europe/Berlin","fallbackNumber":"+12125550100","allowedOrigins":["*"]}"""),
            new Endpoint("PATCH", "/v1/sites/{site}", true, "{\"name\":\"Shop 2\",\"timeZone\":\"UTC\"}"),
            new Endpoint("POST", "/v1/sites/{site}/channels", true,
                    "{\"name\":\"google-ads\",\"tracking\":\"dynamic\",\"utmSource\":\"google\"}"),
            new Endpoint("POST", "/v1/sites/{site}/numbers", true, "{\"number\":\"+13125550002\",\"kind\":\"pool\"}"),
            new Endpoint("PUT", "/v1/sites/{site}/routing", true, """
                    {"departments":[{"name":"Sales","managers":[{"name":"Ann","dialString":"PJSIP/101",
                      "ringTimeoutSeconds":20}]}],
                     "rules":[{"name":"weekdays","when":{"sources":["google"],"callerPrefixes":["+1"]},
                       "schedule":{"days":["MON","TUE"],"hours":["09:00-18:00"],"holidays":["2026-12-25"]},
                       "then":{"department":"Sales","strategy":"round_robin",
                               "overflow":[{"external":"PJSIP/reception","timeoutSeconds":30},{"voicemail":"100@default"}]}}]}"""),
            new Endpoint("POST", "/v1/sites/{site}/rules", true,
                    "{\"name\":\"all\",\"then\":{\"department\":\"Sales\",\"strategy\":\"least_recently_called\"}}"),
            new Endpoint("POST", "/v1/sites/{site}/managers", true,
                    "{\"department\":\"Sales\",\"name\":\"Bob\",\"dialString\":\"PJSIP/102\",\"active\":true,"
                            + "\"ringTimeoutSeconds\":25}"),
            new Endpoint("PUT", "/v1/sites/{site}/delivery-settings", true, """
                    {"webhookUrl":"https://hooks.example.com/x","webhookSecret":"whsec-very-secret-7f3a"}"""),
            new Endpoint("POST", "/v1/sites/{site}/costs", true,
                    "[{\"day\":\"2026-03-10\",\"channel\":\"google-ads\",\"campaign\":\"x\",\"amount\":5.25}]"),
            new Endpoint("PUT", "/v1/calls/1/deal", true, "{\"amount\": 500}"),
            new Endpoint("PUT", "/v1/calls/1/tags", true, "{\"tags\": [\"vip\", \"callback\"]}"),
            new Endpoint("PUT", "/v1/calls/1/note", true, "{\"note\": \"call back on Monday\"}"),
            new Endpoint("POST", "/v1/sip/outcomes", true, "{\"callId\":\"a@pbx\",\"answered\":false,\"ringSeconds\":20}"),
            new Endpoint("POST", "/v1/visitor/{key}/sessions", false, """
                    {"clientId":"cid-1","page":"https://shop.example/?utm_source=google&gclid=Cj0","referrer":"https://www.google.com/"}"""),
            new Endpoint("POST", "/v1/visitor/{key}/sessions/{session}/heartbeat", false,
                    "{\"page\":\"https://shop.example/x\",\"gaClientId\":\"GA1.1.123.456\",\"ymClientId\":\"1700000000123\"}"),
            new Endpoint("POST", "/v1/visitor/{key}/sessions/{session}/end", false, "{}"));

    @BeforeProperty
    void start() throws Exception {
        server = TestServer.start(Map.of("tracking.session-starts-per-ip-per-minute", "1000000",
                "tracking.heartbeats-per-session-per-minute", "600", "tracking.pool-leases-per-ip", "100000"));
        Response created = send("POST", "/v1/sites", true, BODY_ENDPOINTS.get(0).validBody().getBytes(StandardCharsets.UTF_8));
        assertEquals(201, created.status(), created.body());
        JsonNode s = json.readTree(created.body());
        site = s.get("id").asLong();
        siteKey = s.get("publicKey").asText();
        Response number = send("POST", "/v1/sites/" + site + "/numbers", true,
                "{\"number\":\"+13125550001\",\"kind\":\"pool\"}".getBytes(StandardCharsets.UTF_8));
        assertEquals(201, number.status(), number.body());
        Response visit = send("POST", "/v1/visitor/" + siteKey + "/sessions", false,
                "{\"clientId\":\"cid-0\",\"page\":\"https://shop.example/\"}".getBytes(StandardCharsets.UTF_8));
        assertEquals(200, visit.status(), visit.body());
        session = json.readTree(visit.body()).get("sessionId").asText();
        watch = new FuzzWatch();
    }

    @AfterProperty
    void stop() {
        watch.close();
        server.close();
    }

    @Property(tries = 400, seed = Fuzz.SEED)
    @TimeBudget(seconds = 7)
    void mutatedJsonBodies(@ForAll("endpoints") Endpoint endpoint, @ForAll("bodies") BodyMutation mutation) {
        byte[] body = mutation.apply(endpoint.validBody());
        Response r = send(endpoint.method(), fill(endpoint.path()), endpoint.admin(), body);
        String input = endpoint + " " + Fuzz.excerpt(body);
        assertWellFormed(r, input);
        Statistics.label("status").collect(r.status() < 400 ? "accepted" : "refused " + r.status());
        serverStillAnswers(input);
    }

    @Property(tries = 400, seed = Fuzz.SEED)
    @TimeBudget(seconds = 6)
    void garbageQueryStrings(@ForAll("queries") String target) {
        Response r = send("GET", fill(target), true, new byte[0]);
        assertWellFormed(r, target);
        Statistics.label("status").collect(r.status() < 400 ? "accepted" : "refused " + r.status());
        serverStillAnswers(target);
    }

    private void assertWellFormed(Response r, String input) {
        watch.assertClean(input);
        assertTrue(r.status() >= 200 && r.status() < 500, "bad input is no server error: " + input + " -> " + r);
        if (r.status() >= 400) {
            assertTrue(r.contentType().startsWith("application/json"), input + " -> " + r);
            JsonNode error;
            try {
                error = json.readTree(r.body());
            } catch (IOException e) {
                throw new AssertionError(input + " -> not JSON: " + r, e);
            }
            assertTrue(error.path("error").isTextual() && !error.get("error").asText().isBlank(),
                    input + " -> " + r);
        }
    }

    private void serverStillAnswers(String after) {
        Response good = send("GET", "/v1/sites/" + site, true, new byte[0]);
        assertEquals(200, good.status(), "after " + after + ": " + good);
        watch.assertClean(after);
    }

    private String fill(String path) {
        return path.replace("{site}", Long.toString(site)).replace("{key}", siteKey).replace("{session}", session);
    }

    // ---- bodies ----

    @Provide
    Arbitrary<Endpoint> endpoints() {
        return Arbitraries.of(BODY_ENDPOINTS);
    }

    /** A change to the JSON tree (at a random path), then possibly to the bytes of its text. */
    record BodyMutation(List<Integer> path, TreeChange change, List<Fuzz.ByteMutation> bytes) {
        byte[] apply(String validBody) {
            JsonNode tree;
            try {
                tree = json.readTree(validBody);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            String text = change.apply(tree, path);
            return Fuzz.apply(bytes, text.getBytes(StandardCharsets.UTF_8));
        }
    }

    /** Replaces (or removes, or adds beside) the node that {@code path} picks; returns the new document's text. */
    record TreeChange(String kind, String replacement) {
        String apply(JsonNode root, List<Integer> path) {
            if (kind.equals("whole")) return replacement;
            JsonNode parent = root;
            JsonNode node = root;
            String field = null;
            int index = -1;
            for (int step : path) {
                if (!node.isContainerNode() || node.isEmpty()) break;
                parent = node;
                int i = Math.floorMod(step, node.size());
                if (node.isObject()) {
                    field = List.copyOf(iterable(node.fieldNames())).get(i);
                    index = -1;
                    node = node.get(field);
                } else {
                    index = i;
                    field = null;
                    node = node.get(i);
                }
            }
            if (parent == node) return kind.equals("remove") ? "" : root.toString().replaceFirst("^\\{", "{" + "\"x\":"
                    + replacement + ",").replaceFirst("^\\[", "[" + replacement + ",");
            String marker = "\"@@fuzz@@\"";
            switch (kind) {
                case "remove" -> {
                    if (parent instanceof ObjectNode o) o.remove(field);
                    else ((ArrayNode) parent).remove(index);
                    return root.toString();
                }
                case "duplicate" -> { // a key twice: Jackson keeps the last
                    if (parent instanceof ObjectNode) {
                        return root.toString().replaceFirst("\\{", "{" + json.valueToTree(field) + ":" + replacement + ",");
                    }
                }
                default -> { }
            }
            if (parent instanceof ObjectNode o) o.set(field, nodes.textNode("@@fuzz@@"));
            else ((ArrayNode) parent).set(index, nodes.textNode("@@fuzz@@"));
            return root.toString().replace(marker, replacement);
        }

        @Override
        public String toString() {
            return kind + " " + Fuzz.excerpt(replacement.getBytes(StandardCharsets.UTF_8));
        }
    }

    private static <T> List<T> iterable(java.util.Iterator<T> it) {
        List<T> out = new ArrayList<>();
        it.forEachRemaining(out::add);
        return out;
    }

    /** JSON values of the wrong kind or absurd size for whatever field they land in. */
    private static Arbitrary<String> oddJsonValue() {
        Arbitrary<String> fixed = Arbitraries.of("null", "true", "false", "0", "-1", "1.5", "-0.0", "1e400", "-1e400",
                "99999999999999999999999999999", "-9223372036854775809", "2147483648", "1E+2147483647", "\"\"",
                "\" \"", "[]", "{}", "[null]", "{\"\":null}", "\"\\u0000\"", "\"\\uD800\"", "\"\\u202E\"",
                "\"\\ud83d\\ude00\"", "\"日本語\"", "\"2026-02-30\"", "\"+999999999-12-31\"", "\"-999999999-01-01\"",
                "\"25:99\"", "\"PJSIP/101\\nEXEC Hangup\"", "\"sip:\"", "\"http://\"", "\"javascript:alert(1)\"");
        return Arbitraries.frequencyOf(
                Tuple.of(5, fixed),
                Tuple.of(3, Fuzz.absurdValue().map(HttpFuzzTest::quoted)),
                Tuple.of(1, Arbitraries.integers().between(10, 5_000).map(d -> "[".repeat(d) + "]".repeat(d))),
                Tuple.of(1, Arbitraries.integers().between(10, 5_000).map(d -> "{\"a\":".repeat(d) + "1" + "}".repeat(d))),
                Tuple.of(1, Arbitraries.integers().between(100, 20_000).map(n -> "1".repeat(n))),
                Tuple.of(1, Arbitraries.integers().between(1_000, 300_000).map(n -> quoted("x".repeat(n)))));
    }

    private static String quoted(String s) {
        try {
            return json.writeValueAsString(s);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Provide
    Arbitrary<BodyMutation> bodies() {
        Arbitrary<TreeChange> change = Arbitraries.oneOf(
                oddJsonValue().map(v -> new TreeChange("replace", v)),
                oddJsonValue().map(v -> new TreeChange("replace", v)),
                Arbitraries.just(new TreeChange("remove", "")),
                oddJsonValue().map(v -> new TreeChange("duplicate", v)),
                Arbitraries.oneOf(oddJsonValue(), Fuzz.garbageText(40), Arbitraries.just(""))
                        .map(v -> new TreeChange("whole", v)));
        Arbitrary<List<Fuzz.ByteMutation>> bytes = Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.just(List.of())), Tuple.of(1, Fuzz.byteMutations()));
        return Combinators.combine(Arbitraries.integers().between(0, 50).list().ofMaxSize(4), change, bytes)
                .as(BodyMutation::new);
    }

    // ---- query strings ----

    private static final Map<String, List<String>> QUERY_ENDPOINTS = Map.of(
            "/v1/calls", List.of("site", "from", "to", "class", "channel", "campaign", "manager", "caller", "limit", "cursor"),
            "/v1/sites/{site}/reports", List.of("from", "to", "group", "period", "attribution", "format"),
            "/v1/sites/{site}/pool-health", List.of("from", "to", "format"),
            "/v1/sites/{site}/exports/metrica-calls", List.of("from", "to"),
            "/v1/sites/{site}/dead-letters", List.of("limit", "cursor"),
            "/v1/sites/{site}/delivery-status", List.of("from"));

    /** Values that would pass, so a garbled one sits among good ones. */
    private static final List<String> GOOD_VALUES = List.of("2026-03-01", "2026-03-09", "2026-03-01T00:00:00Z",
            "channel", "campaign", "day", "week", "total", "first", "last", "csv", "json", "target", "%2B15550000003",
            "+15550000003", "10", "1", "spring");

    /** Percent-encodings and separators a decoder may trip on, sent as they are. */
    private static final List<String> RAW_GARBAGE = List.of("%", "%zz", "%2", "%C3%28", "%00", "%FF%FE", "%E2%80%AE",
            "%ED%A0%80", "+", "&&", "==", "=", "a=b=c", "%3D%26", ";", "#frag", "%23", "..%2F..%2F", "%25", "%u0041",
            "\u00e9", "%F0%9F%98%80", "+999999999-12-31", "-999999999-01-01", "%2B1000000000-01-01T00:00:00Z",
            "+300000-01-01T00:00:00Z", "2026-01-01T00:00:00+99:00", "9999999999999999999", "-9223372036854775808");

    @Provide
    Arbitrary<String> queries() {
        Arbitrary<String> value = Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.of(GOOD_VALUES)),
                Tuple.of(3, Arbitraries.of(RAW_GARBAGE)),
                Tuple.of(2, Fuzz.absurdValue().map(v -> java.net.URLEncoder.encode(v, StandardCharsets.UTF_8))),
                Tuple.of(1, Fuzz.garbageText(20).map(v -> v.replace(" ", "%20").replace("#", "%23"))));
        return Arbitraries.of(List.copyOf(QUERY_ENDPOINTS.keySet())).flatMap(path -> {
            Arbitrary<String> name = Arbitraries.frequencyOf(Tuple.of(8, Arbitraries.of(QUERY_ENDPOINTS.get(path))),
                    Tuple.of(1, Arbitraries.of(RAW_GARBAGE)));
            Arbitrary<String> pair = Combinators.combine(name, value, Arbitraries.of("=", "=", "=", "", "=="))
                    .as((n, v, eq) -> n + eq + v);
            Arbitrary<String> prefix = Arbitraries.of("", "", "", "/", "%2F", "/../v1/calls", "/%zz", "/999999999999999999999");
            return Combinators.combine(prefix, pair.list().ofMinSize(1).ofMaxSize(6), Arbitraries.of("&", "&", ";", "&&"))
                    .as((p, pairs, sep) -> (p.startsWith("/") && !p.equals("/") ? p : path + p) + "?"
                            + String.join(sep, pairs));
        });
    }

    // ---- raw HTTP/1.1 ----

    record Response(int status, String contentType, String body) {
        @Override
        public String toString() {
            return status + " " + contentType + " " + (body.length() > 300 ? body.substring(0, 300) + "..." : body);
        }
    }

    /** One request on a fresh connection (Connection: close), the target sent exactly as given. */
    private Response send(String method, String target, boolean admin, byte[] body) {
        try (Socket socket = new Socket("127.0.0.1", server.app().httpPort())) {
            socket.setSoTimeout(20_000);
            String head = method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
                    + "Content-Type: application/json\r\nOrigin: https://shop.example\r\n"
                    + "User-Agent: Mozilla/5.0 (X11; Linux x86_64) Chrome/120.0 Safari/537.36\r\n"
                    + (admin ? "Authorization: Bearer " + TestServer.ADMIN_TOKEN + "\r\n" : "")
                    + "Content-Length: " + body.length + "\r\n\r\n";
            socket.getOutputStream().write(head.getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().write(body);
            socket.getOutputStream().flush();
            return parse(socket.getInputStream().readAllBytes(), method + " " + target);
        } catch (IOException e) {
            throw new UncheckedIOException(method + " " + target, e);
        }
    }

    private static Response parse(byte[] raw, String request) {
        String text = new String(raw, StandardCharsets.UTF_8);
        int end = text.indexOf("\r\n\r\n");
        if (!text.startsWith("HTTP/1.1 ") || end < 0) throw new AssertionError(request + ": no HTTP response: " + text);
        String[] head = text.substring(0, end).split("\r\n");
        int status = Integer.parseInt(head[0].substring(9, 12));
        String type = "";
        for (String h : head) {
            if (h.toLowerCase(Locale.ROOT).startsWith("content-type:")) type = h.substring(13).trim();
        }
        return new Response(status, type, text.substring(end + 4));
    }
}
