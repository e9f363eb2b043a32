package io.calltrack.telephony.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.calltrack.config.CalltrackConfig;
import io.calltrack.config.ConfigException;
import io.calltrack.config.ConfigSource;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SipConfigTest {

    @Test
    void defaultsNeedNoFallbackContact() {
        CalltrackConfig.Sip sip = CalltrackConfig.from(ConfigSource.of(Map.of())).sip();
        assertEquals(5070, sip.port());
        assertEquals(0, sip.optionsPort(), "probes leave from any free port unless one is configured");
        assertEquals(1000, sip.executorQueue());
        assertEquals(4 * 1024 * 1024, sip.udpBuffer());
        assertEquals(Duration.ofSeconds(30), sip.optionsInterval());
        assertEquals(Optional.empty(), sip.fallbackContact());
    }

    @Test
    void theOptionsPortIsConfigurable() {
        assertEquals(5071, CalltrackConfig.from(ConfigSource.of(Map.of("sip.options-port", "5071"))).sip().optionsPort());
    }

    @Test
    void fallbackContactMustBeASipUri() {
        assertEquals(Optional.of("sip:reception@pbx.example.com"), CalltrackConfig.from(ConfigSource.of(
                Map.of("sip.fallback-contact", "sip:reception@pbx.example.com"))).sip().fallbackContact());
        ConfigException e = assertThrows(ConfigException.class, () -> CalltrackConfig.from(
                ConfigSource.of(Map.of("sip.fallback-contact", "PJSIP/reception"))));
        assertEquals(true, e.getMessage().contains("sip.fallback-contact"), e.getMessage());
    }

    @Test
    void qValuesFallWithPositionAndStayAboveZero() {
        assertEquals(1.0f, SipRedirectServer.qValue(0, 1));
        assertEquals(0.5f, SipRedirectServer.qValue(1, 2));
        assertEquals(0.001f, SipRedirectServer.qValue(999, 1000));
        assertEquals(0.001f, SipRedirectServer.qValue(2999, 3000), "q=0 would mean 'do not use'");
    }
}
