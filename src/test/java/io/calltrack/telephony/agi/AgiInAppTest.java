package io.calltrack.telephony.agi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.calltrack.telephony.agi.peer.FakeAsterisk;
import io.calltrack.support.Http;
import io.calltrack.support.TestServer;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The FastAGI listener starts with the application and reports on /metrics. */
class AgiInAppTest {

    @Test
    void appListensForFastAgiAndCountsSessions() {
        try (TestServer server = TestServer.start()) {
            assertTrue(server.app().agiPort() > 0);

            // no script is registered for this path, so the call goes back to the dialplan at once
            FakeAsterisk.Transcript t = FakeAsterisk.call(server.app().agiPort()).script("no-such-script").run();
            assertTrue(t.closedByServer());
            assertEquals(List.of(), t.commands());

            String metrics = new Http(server.baseUrl()).adminGet("/metrics").body();
            assertTrue(metrics.contains("calltrack_agi_sessions_total 1.0"), metrics);
            assertTrue(metrics.contains("calltrack_agi_protocol_errors_total{kind=\"unknown-script\"} 1.0"), metrics);
        }
    }
}
