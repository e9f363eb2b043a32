package io.calltrack.telephony.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.calltrack.Json;
import io.calltrack.platform.http.ApiException;
import io.calltrack.platform.http.ApiRequest;
import io.calltrack.platform.http.Route;
import io.calltrack.support.Http;
import io.calltrack.support.TestServer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class SipOutcomeRoutesTest {
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

    /** The sink as the lead binds it: knows one redirected call. */
    final List<SipOutcome> stored = new CopyOnWriteArrayList<>();
    final Route route = new SipOutcomeRoutes(o -> o.callId().equals("known@pbx") && stored.add(o)
            ? new SipOutcomeSink.Result.Stored() : new SipOutcomeSink.Result.UnknownCall()).routes().get(0);

    private Object post(String json) throws Exception {
        return route.handler().handle(new ApiRequest("POST", "/v1/sip/outcomes", Map.of(), Map.of(), Map.of(),
                json.getBytes(StandardCharsets.UTF_8), "127.0.0.1", Json.mapper(), Optional.empty()));
    }

    private ApiException refused(String json) {
        try {
            post(json);
        } catch (ApiException e) {
            return e;
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        throw new AssertionError("accepted: " + json);
    }

    @Test
    void anAnsweredCallIsStoredWithEverythingThePbxSaid() throws Exception {
        post("{\"callId\":\"known@pbx\",\"answered\":true,\"talkSeconds\":95,\"ringSeconds\":7,"
                + "\"recordingUrl\":\"https://pbx.example.com/rec/1.wav\",\"manager\":\"101\"}");
        assertEquals(List.of(new SipOutcome("known@pbx", true, 95, 7,
                Optional.of("https://pbx.example.com/rec/1.wav"), Optional.of("101"))), stored);
    }

    @Test
    void anUnknownCallIdIs404() {
        ApiException e = refused("{\"callId\":\"other@pbx\",\"answered\":false}");
        assertEquals(404, e.status());
        assertTrue(e.getMessage().contains("other@pbx"), e.getMessage());
    }

    @Test
    void invalidOutcomesAreClear400s() {
        assertEquals("callId is required: the SIP Call-ID of the redirected INVITE",
                refused("{\"answered\":true}").getMessage());
        assertEquals("answered is required (true or false)", refused("{\"callId\":\"known@pbx\"}").getMessage());
        assertEquals("talkSeconds must be between 0 and 86400, got -5",
                refused("{\"callId\":\"known@pbx\",\"answered\":true,\"talkSeconds\":-5}").getMessage());
        assertEquals("talkSeconds must be 0 when answered is false, got 30",
                refused("{\"callId\":\"known@pbx\",\"answered\":false,\"talkSeconds\":30}").getMessage());
        assertEquals("recordingUrl must be an http(s) URL, got 'ftp://x/y'",
                refused("{\"callId\":\"known@pbx\",\"answered\":true,\"recordingUrl\":\"ftp://x/y\"}").getMessage());
        assertTrue(stored.isEmpty());
    }

    @Test
    void theEndpointNeedsTheAdminTokenAndValidJson() {
        assertEquals(401, http.post("/v1/sip/outcomes", "{\"callId\":\"a\",\"answered\":false}").statusCode());
        var broken = http.adminPost("/v1/sip/outcomes", "{\"callId\":");
        assertEquals(400, broken.statusCode());
        var unknownField = http.adminPost("/v1/sip/outcomes", "{\"callId\":\"a\",\"answered\":false,\"talk\":3}");
        assertEquals(400, unknownField.statusCode(), unknownField.body());
        // the real sink knows no redirected call a@pbx (stored outcomes: SipCallTrackingTest)
        var unknown = http.adminPost("/v1/sip/outcomes", "{\"callId\":\"a@pbx\",\"answered\":false,\"ringSeconds\":20}");
        assertEquals(404, unknown.statusCode(), unknown.body());
        assertTrue(unknown.body().contains("a@pbx"), unknown.body());
    }
}
