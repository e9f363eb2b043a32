package io.calltrack.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CalltrackConfigTest {

    @Test
    void defaultsNeedNoFileAndUseTheEmbeddedDatabase() {
        CalltrackConfig c = CalltrackConfig.from(ConfigSource.of(Map.of()));
        assertTrue(c.database().embedded());
        assertEquals(4573, c.agi().port());
        assertEquals(8080, c.http().port());
        assertEquals(Path.of("./data").resolve("pg"), c.database().embeddedDataDir());
    }

    @Test
    void environmentOverridesTheFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("calltrack.properties");
        Files.writeString(file, "http.port=9000\nagi.fallback-dial=PJSIP/100\n");
        CalltrackConfig c = CalltrackConfig.from(ConfigSource.load(Optional.of(file),
                Map.of("CALLTRACK_HTTP_PORT", "9100", "CALLTRACK_AGI_TRACKID_TRIES", "3")));
        assertEquals(9100, c.http().port());
        assertEquals("PJSIP/100", c.agi().fallbackDial());
        assertEquals(3, c.agi().trackIdTries());
    }

    @Test
    void invalidValuesNameTheKey() {
        var e = assertThrows(ConfigException.class,
                () -> CalltrackConfig.from(ConfigSource.of(Map.of("http.port", "eighty"))));
        assertEquals("http.port: must be a whole number, got 'eighty'", e.getMessage());
        e = assertThrows(ConfigException.class,
                () -> CalltrackConfig.from(ConfigSource.of(Map.of("agi.port", "70000"))));
        assertEquals("agi.port: must be between 0 and 65535, got 70000", e.getMessage());
        e = assertThrows(ConfigException.class,
                () -> CalltrackConfig.from(ConfigSource.of(Map.of("db.url", "mysql://x"))));
        assertTrue(e.getMessage().startsWith("db.url: must be a PostgreSQL JDBC URL"));
        e = assertThrows(ConfigException.class,
                () -> CalltrackConfig.from(ConfigSource.of(Map.of("ami.host", "pbx"))));
        assertEquals("ami.secret: is required when ami.host is set", e.getMessage());
    }

    @Test
    void theFallbackDialMustBeWhatAsteriskCanDial() {
        var e = assertThrows(ConfigException.class, () -> CalltrackConfig.from(ConfigSource.of(
                Map.of("agi.fallback-dial", "sip:reception@pbx.example.com"))));
        assertEquals("agi.fallback-dial: 'sip:reception@pbx.example.com' is a SIP URI; FastAGI needs an Asterisk "
                + "dial string such as PJSIP/101, or PJSIP/<endpoint>/sip:reception@pbx.example.com to dial the URI "
                + "through a PJSIP endpoint", e.getMessage());
        e = assertThrows(ConfigException.class, () -> CalltrackConfig.from(ConfigSource.of(
                Map.of("agi.fallback-dial", "SIP/reception"))));
        assertEquals("agi.fallback-dial: 'SIP/reception': chan_sip was removed in Asterisk 21; dial through PJSIP "
                + "(PJSIP/reception, or PJSIP/<trunk>/sip:user@host)", e.getMessage());
        e = assertThrows(ConfigException.class, () -> CalltrackConfig.from(ConfigSource.of(
                Map.of("agi.fallback-dial", "PJSIP/reception,30"))));
        assertTrue(e.getMessage().startsWith("agi.fallback-dial: 'PJSIP/reception,30' contains ','"), e.getMessage());
        assertEquals("Local/100@reception", CalltrackConfig.from(ConfigSource.of(
                Map.of("agi.fallback-dial", "Local/100@reception"))).agi().fallbackDial());
    }

    @Test
    void durationsAcceptUnits() {
        CalltrackConfig c = CalltrackConfig.from(ConfigSource.of(Map.of("agi.trackid-timeout", "750ms")));
        assertEquals(Duration.ofMillis(750), c.agi().trackIdTimeout());
        assertThrows(ConfigException.class,
                () -> CalltrackConfig.from(ConfigSource.of(Map.of("agi.trackid-timeout", "soon"))));
    }

    @Test
    void theUnseenLeaseHoldDefaultsToTwoMinutesWithinItsRange() {
        assertEquals(Duration.ofMinutes(2),
                CalltrackConfig.from(ConfigSource.of(Map.of())).tracking().unseenLeaseHold());
        var e = assertThrows(ConfigException.class, () -> CalltrackConfig.from(ConfigSource.of(
                Map.of("tracking.unseen-lease-hold", "5s"))));
        assertTrue(e.getMessage().startsWith("tracking.unseen-lease-hold: "), e.getMessage());
    }
}
