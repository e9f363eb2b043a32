package io.calltrack.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
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
    void aRecordingDirectoryMixMonitorWouldReadDifferentlyIsRefused() {
        for (String dir : List.of("/rec,b", "/rec(1)", "/my recordings", "/rec\"x", "/rec\\x", "/rec|x", "/${DIR}")) {
            var e = assertThrows(ConfigException.class,
                    () -> CalltrackConfig.from(ConfigSource.of(Map.of("recording.dir", dir))), dir);
            assertTrue(e.getMessage().startsWith("recording.dir: may hold only letters, digits and"), e.getMessage());
        }
        assertEquals(Path.of("/var/spool/asterisk/monitor/calltrack-2_x.y+z@a=b:c~"), CalltrackConfig.from(
                ConfigSource.of(Map.of("recording.dir", "/var/spool/asterisk/monitor/calltrack-2_x.y+z@a=b:c~")))
                .recording().directory());
    }

    @Test
    void durationsAcceptUnits() {
        CalltrackConfig c = CalltrackConfig.from(ConfigSource.of(Map.of("agi.trackid-timeout", "750ms")));
        assertEquals(Duration.ofMillis(750), c.agi().trackIdTimeout());
        assertEquals(Duration.ofDays(7), CalltrackConfig.from(ConfigSource.of(Map.of("outbox.keep-delivered", "7D")))
                .outbox().keepDelivered());
        var e = assertThrows(ConfigException.class,
                () -> CalltrackConfig.from(ConfigSource.of(Map.of("agi.trackid-timeout", "5 s"))));
        assertEquals("agi.trackid-timeout: must be a duration like 500ms, 20s, 15m, 2h or 30d, got '5 s'",
                e.getMessage());
        e = assertThrows(ConfigException.class,
                () -> CalltrackConfig.from(ConfigSource.of(Map.of("agi.trackid-timeout", "1500ms0"))));
        assertTrue(e.getMessage().startsWith("agi.trackid-timeout: must be a duration"), e.getMessage());
        assertThrows(ConfigException.class,
                () -> CalltrackConfig.from(ConfigSource.of(Map.of("agi.trackid-timeout", "soon"))));
    }

    @Test
    void aMisspeltKeyInTheFileIsRefusedNamingTheNearestKnownKey(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("calltrack.properties");
        Files.writeString(file, "http.port=9000\ntracking.heartbeats-per-sesion-per-minute=30\n");
        var e = assertThrows(ConfigException.class,
                () -> CalltrackConfig.from(ConfigSource.load(Optional.of(file), Map.of())));
        assertEquals("unknown key 'tracking.heartbeats-per-sesion-per-minute' in " + file
                + " (did you mean 'tracking.heartbeats-per-session-per-minute'?)", e.getMessage());
    }

    @Test
    void anUnknownKeyFarFromEveryKnownOneIsRefusedWithoutAGuess() {
        var e = assertThrows(ConfigException.class,
                () -> CalltrackConfig.from(ConfigSource.of(Map.of("logging.level", "debug"))));
        assertEquals("unknown key 'logging.level' (every key is in calltrack.properties.example)", e.getMessage());
        e = assertThrows(ConfigException.class,
                () -> CalltrackConfig.from(ConfigSource.of(Map.of("HTTP.PORT", "80", "agi.prot", "1"))));
        assertEquals("unknown key 'HTTP.PORT' (did you mean 'http.port'?); unknown key 'agi.prot' (did you mean "
                + "'agi.port'?)", e.getMessage(), "all of them in one line, so one round fixes them");
    }

    @Test
    void aMisspeltEnvironmentVariableIsRefusedNamingTheNearestKnownOne() {
        var e = assertThrows(ConfigException.class, () -> CalltrackConfig.from(ConfigSource.load(Optional.empty(),
                Map.of("CALLTRACK_HTTP_PROT", "9000", "PATH", "/usr/bin"))));
        assertEquals("unknown environment variable CALLTRACK_HTTP_PROT (did you mean CALLTRACK_HTTP_PORT, the key "
                + "http.port?)", e.getMessage());
    }

    /** The CALLTRACK_ prefix is calltrack's: a variable of other software there is refused, not silently ignored. */
    @Test
    void everyCalltrackVariableButTheConfigFileIsAKey() {
        var e = assertThrows(ConfigException.class, () -> CalltrackConfig.from(ConfigSource.load(Optional.empty(),
                Map.of("CALLTRACK_HOME", "/opt/calltrack"))));
        assertEquals("unknown environment variable CALLTRACK_HOME (every CALLTRACK_ variable but CALLTRACK_CONFIG "
                + "sets a key of calltrack.properties.example: unset or rename it)", e.getMessage());
        assertEquals(8080, CalltrackConfig.from(ConfigSource.load(Optional.empty(),
                Map.of("CALLTRACK_CONFIG", "/etc/calltrack.properties"))).http().port());
    }

    @Test
    void anEnvironmentVariableSetsAKeyWithDashes() {
        CalltrackConfig c = CalltrackConfig.from(ConfigSource.load(Optional.empty(),
                Map.of("CALLTRACK_HTTP_MAX_CONNECTIONS_PER_IP", "7", "CALLTRACK_DB_EMBEDDED_PORT", "5999")));
        assertEquals(7, c.http().maxConnectionsPerIp());
        assertEquals(5999, c.database().embeddedPort());
    }

    @Test
    void negativeOrAbsurdDurationsAreRefusedNamingTheKey() {
        var e = assertThrows(ConfigException.class,
                () -> CalltrackConfig.from(ConfigSource.of(Map.of("agi.drain-timeout", "-5s"))));
        assertEquals("agi.drain-timeout: must be from 0s to 10m, got -5s", e.getMessage());
        e = assertThrows(ConfigException.class,
                () -> CalltrackConfig.from(ConfigSource.of(Map.of("ami.reconnect-max", "100000h"))));
        assertTrue(e.getMessage().startsWith("ami.reconnect-max: must be from "), e.getMessage());
        e = assertThrows(ConfigException.class, () -> CalltrackConfig.from(ConfigSource.of(
                Map.of("ami.reconnect-min", "30s", "ami.reconnect-max", "10s"))));
        assertEquals("ami.reconnect-max: must be at least ami.reconnect-min (30s), got 10s", e.getMessage());
    }

    /** Every number and duration key, today's and those added later: a negative value is refused by its name. */
    @Test
    void noNumberOrDurationKeyAcceptsANegativeValue() {
        List<ConfigKey> bounded = CalltrackConfig.keys().stream().filter(k -> k.range().matches("\\d.*")).toList();
        assertTrue(bounded.size() > 40, "numbers and durations found: " + bounded.size());
        for (ConfigKey key : bounded) {
            String negative = "-" + key.defaultValue().replaceFirst("^\\d+", "1");
            var e = assertThrows(ConfigException.class, () -> CalltrackConfig.from(ConfigSource.of(
                    Map.of(key.name(), negative))), key.name() + "=" + negative);
            assertTrue(e.getMessage().startsWith(key.name() + ": must be "), e.getMessage());
        }
    }

    /** A snippet told to beat faster than the heartbeat limit allows would get 429s and could lose its number. */
    @Test
    void aHeartbeatIntervalTheLimitWouldRefuseIsRefusedAtStart() {
        var e = assertThrows(ConfigException.class,
                () -> CalltrackConfig.from(ConfigSource.of(Map.of("tracking.heartbeat-min", "2s"))));
        assertEquals("tracking.heartbeat-min: a snippet beating every 2s sends 30 heartbeats a minute, more than "
                + "tracking.heartbeats-per-session-per-minute (12) lets through: raise one or the other", e.getMessage());
        assertEquals(Duration.ofSeconds(2), CalltrackConfig.from(ConfigSource.of(Map.of("tracking.heartbeat-min", "2s",
                "tracking.heartbeats-per-session-per-minute", "30"))).tracking().heartbeatMin());
        e = assertThrows(ConfigException.class,
                () -> CalltrackConfig.from(ConfigSource.of(Map.of("tracking.heartbeat-max", "5s"))));
        assertEquals("tracking.heartbeat-max: must be at least tracking.heartbeat-min (10s), got 5s", e.getMessage());
    }

    @Test
    void theUnseenLeaseHoldDefaultsToTwoMinutesWithinItsRange() {
        assertEquals(Duration.ofMinutes(2),
                CalltrackConfig.from(ConfigSource.of(Map.of())).tracking().unseenLeaseHold());
        var e = assertThrows(ConfigException.class, () -> CalltrackConfig.from(ConfigSource.of(
                Map.of("tracking.unseen-lease-hold", "5s"))));
        assertTrue(e.getMessage().startsWith("tracking.unseen-lease-hold: "), e.getMessage());
    }

    @Test
    void thePublicUrlIsAnOriginAndSessionsNeedAnIdleTimeoutWithinTheirAge() {
        assertEquals(Optional.of(java.net.URI.create("https://ct.example.com")), CalltrackConfig.from(ConfigSource.of(
                Map.of("http.public-url", "https://ct.example.com/"))).http().publicUrl());
        for (String bad : List.of("ct.example.com", "ftp://ct.example.com", "https://ct.example.com/console")) {
            var e = assertThrows(ConfigException.class,
                    () -> CalltrackConfig.from(ConfigSource.of(Map.of("http.public-url", bad))));
            assertTrue(e.getMessage().startsWith("http.public-url: must be the address browsers use"), e.getMessage());
        }
        var e = assertThrows(ConfigException.class, () -> CalltrackConfig.from(ConfigSource.of(
                Map.of("access.session-idle-timeout", "3h", "access.session-max-age", "2h"))));
        assertEquals("access.session-max-age: must be at least access.session-idle-timeout (3h), got 2h", e.getMessage());
    }
}
