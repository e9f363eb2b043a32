package io.calltrack.platform.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.calltrack.support.Http;
import io.calltrack.support.TestServer;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Input HttpFuzzTest found answered 500 (or never): values Java parses but PostgreSQL cannot store. Each is a 400
 * with a JSON error that names the field.
 */
class HttpBadInputTest {
    static TestServer server;
    static Http http;
    static final ObjectMapper json = new ObjectMapper();
    static long site;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start();
        http = new Http(server.baseUrl());
        site = json.readTree(http.adminPost("/v1/sites", """
                {"name":"Shop","timeZone":"UTC","fallbackNumber":"+12125550100","allowedOrigins":["*"]}""").body())
                .get("id").asLong();
        assertEquals(201, http.adminPost("/v1/sites/" + site + "/channels", "{\"name\":\"ads\",\"tracking\":\"dynamic\"}")
                .statusCode());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** A year java.time reads (up to 999999999) beyond PostgreSQL's timestamps; a report far back also hung. */
    @Test
    void timesBeyondWhatTheDatabaseStoresAre400() throws Exception {
        for (String target : List.of("/v1/calls?from=%2B300000-01-01T00:00:00Z", "/v1/calls?to=-999999999-01-01T00:00:00Z",
                "/v1/sites/" + site + "/reports?from=%2B999999999-12-30&to=%2B999999999-12-31",
                "/v1/sites/" + site + "/reports?from=-999999999-01-01&to=-999999999-01-02",
                "/v1/sites/" + site + "/pool-health?from=%2B300000-01-01&to=%2B300000-01-02")) {
            assertBadRequest(http.adminGet(target), "must be from 1900-01-01 to 9999-12-31", target);
        }
        assertEquals(200, http.adminGet("/v1/calls?from=9999-12-31T23:59:59Z").statusCode(), "the last day is fine");
        assertEquals(200, http.adminGet("/v1/sites/" + site + "/reports?from=1900-01-01&to=1900-01-31").statusCode());
    }

    @Test
    void costsOutOfRangeAre400() throws Exception {
        String costs = "/v1/sites/" + site + "/costs";
        assertBadRequest(http.adminPost(costs, "[{\"day\":\"+300000-01-01\",\"channel\":\"ads\",\"amount\":5}]"),
                "row 1: day must be from 1900-01-01", costs);
        assertBadRequest(http.adminPost(costs, "[{\"day\":\"2026-01-01\",\"channel\":\"ads\",\"amount\":1e400}]"),
                "row 1: amount is more than 999999999999.99", costs);
        assertBadRequest(http.adminPost(costs, "[{\"day\":\"2026-01-01\",\"channel\":\"ads\",\"amount\":999999999999.999}]"),
                "row 1: amount is more than 999999999999.99", "rounded as PostgreSQL would, it overflows");
    }

    @Test
    void aNulInAnyJsonStringIs400() throws Exception {
        String managers = "/v1/sites/" + site + "/managers";
        assertBadRequest(http.adminPost(managers, "{\"department\":\"Sales\",\"name\":\"B\\u0000b\",\"dialString\":\"PJSIP/102\"}"),
                "NUL", managers);
        var literal = http.adminPost("/v1/sites/" + site + "/channels", "{\"name\":\"a\\\\u0000b\",\"tracking\":\"dynamic\"}");
        assertEquals(201, literal.statusCode(), "a backslash followed by u0000 is text, not NUL: " + literal.body());
    }

    private static void assertBadRequest(HttpResponse<String> r, String says, String what) throws Exception {
        assertEquals(400, r.statusCode(), what + " -> " + r.body());
        String error = json.readTree(r.body()).get("error").asText();
        assertTrue(error.contains(says), what + " -> " + error);
    }
}
