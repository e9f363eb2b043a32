package io.calltrack.telephony.sip;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.calltrack.support.TestServer;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The SIP server as App.boot() starts it when {@code sip.enabled=true}. */
class SipAppTest {

    @Test
    void enabledSipListensOnTheExposedPortAndAnswersOptions() throws Exception {
        try (TestServer server = TestServer.start(Map.of("sip.enabled", "true",
                "sip.fallback-contact", "sip:reception@10.0.0.1"));
             RawSip raw = new RawSip(server.app().sipPort().orElseThrow())) {
            raw.send(raw.request("OPTIONS", "calltrack", "app-options"));
            String response = raw.finalResponse("app-options");
            assertTrue(response.startsWith("SIP/2.0 200 "), response);
        }
    }

    @Test
    void disabledSipBindsNothing() {
        try (TestServer server = TestServer.start()) {
            assertTrue(server.app().sipPort().isEmpty());
        }
    }
}
