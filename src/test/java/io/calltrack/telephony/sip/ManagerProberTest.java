package io.calltrack.telephony.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.awaitility.Awaitility.await;

import io.calltrack.Json;
import io.calltrack.config.CalltrackConfig;
import io.calltrack.platform.db.Jdbc;
import io.calltrack.routing.RoutingRepository;
import io.calltrack.support.TestDatabase;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A manager's phone (sipp answering OPTIONS) goes away and comes back; the manager row follows. */
class ManagerProberTest {
    TestDatabase db;
    SipService sip;
    SimpleMeterRegistry metrics = new SimpleMeterRegistry();
    Process phone;

    @BeforeEach
    void start() throws Exception {
        Sipp.requireInstalled();
        db = TestDatabase.create();
        CalltrackConfig.Sip config = new CalltrackConfig.Sip(true, "127.0.0.1", 0, 0, Duration.ofMillis(200), 2,
                Optional.empty(), 1, 1, 65_535);
        sip = SipService.start(config, request -> RedirectDecision.notFound(), (request, decision) -> {},
                new RoutingRepository(new Jdbc(db.dataSource()), Json.mapper()), metrics, java.time.Clock.systemUTC());
    }

    @AfterEach
    void stop() {
        if (phone != null) phone.destroyForcibly();
        if (sip != null) sip.close();
        if (db != null) db.close();
    }

    @Test
    void managerGoesUnreachableAfterMissedOptionsAndBackWhenThePhoneAnswersAgain() throws Exception {
        int phonePort = Sipp.freePort();
        phone = Sipp.phone(phonePort);
        // created while the prober runs: read from the database every round, no restart needed
        long anna = insertManager("Anna", null, "sip:anna@127.0.0.1:" + phonePort);
        long both = insertManager("Carla", "PJSIP/103", "sip:carla@127.0.0.1:" + phonePort);
        long asterisk = insertManager("Boris", "PJSIP/102", null);

        awaitReachable(anna, true);
        awaitReachable(both, true);
        assertEquals(1.0, gaugeSettled("Anna", 1.0));

        phone.destroyForcibly().waitFor();
        awaitReachable(anna, false);
        awaitReachable(both, false);
        assertEquals(0.0, gaugeSettled("Anna", 0.0));

        phone = Sipp.phone(phonePort);
        awaitReachable(anna, true);
        assertNull(reachable(asterisk), "a manager only Asterisk dials has no SIP URI to probe");
    }

    @Test
    void aManagerWhoseSipUriIsRemovedLosesAStaleUnreachable() throws Exception {
        long anna = insertManager("Anna", "PJSIP/101", "sip:anna@127.0.0.1:" + Sipp.freePort());
        awaitReachable(anna, false);
        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
            s.execute("UPDATE manager SET sip_uri = NULL WHERE id = " + anna);
        }
        awaitReachable(anna, null);
    }

    @Test
    void probesLeaveFromTheOptionsPortNotTheSipPort() throws Exception {
        sip.close(); // only this test's own server may probe
        sip = null;
        int optionsPort = Sipp.freePort();
        SipService own = SipService.start(new CalltrackConfig.Sip(true, "127.0.0.1", 0, optionsPort,
                Duration.ofMillis(200), 2, Optional.empty(), 1, 1, 65_535), request -> RedirectDecision.notFound(),
                (request, decision) -> {}, new RoutingRepository(new Jdbc(db.dataSource()), Json.mapper()), metrics, java.time.Clock.systemUTC());
        try (java.net.DatagramSocket phoneSocket = new java.net.DatagramSocket(0, java.net.InetAddress.getLoopbackAddress())) {
            phoneSocket.setSoTimeout(5000);
            insertManager("Anna", null, "sip:anna@127.0.0.1:" + phoneSocket.getLocalPort());
            byte[] buffer = new byte[65_535];
            java.net.DatagramPacket probe = new java.net.DatagramPacket(buffer, buffer.length);
            phoneSocket.receive(probe);
            String options = new String(buffer, 0, probe.getLength(), java.nio.charset.StandardCharsets.US_ASCII);
            assertEquals(optionsPort, probe.getPort(), options);
            assertTrue(options.contains("Via: SIP/2.0/UDP 127.0.0.1:" + optionsPort + ";"), options);
        } finally {
            own.close();
        }
    }

    @Test
    void aFloodOnTheSipPortDoesNotHoldUpTheProbesAnswers() throws Exception {
        int phonePort = Sipp.freePort();
        phone = Sipp.phone(phonePort);
        long anna = insertManager("Anna", null, "sip:anna@127.0.0.1:" + phonePort);
        awaitReachable(anna, true);

        // 3 s of datagrams at the SIP port, more than the stack parses: they queue ahead of anything else arriving
        // there. An answer queued behind them for two probe intervals (400 ms) would mark Anna unreachable.
        AtomicBoolean flooding = new AtomicBoolean(true);
        Thread flood = new Thread(() -> flood(sip.port(), flooding), "sip-flood");
        flood.start();
        try {
            await().alias("a live manager stays reachable under load").during(Duration.ofSeconds(3))
                    .atMost(Duration.ofSeconds(4)).until(() -> Boolean.TRUE.equals(reachable(anna)));
        } finally {
            flooding.set(false);
            flood.join();
        }
    }

    /** OPTIONS requests, each a new transaction the stack answers: as costly to serve as an INVITE's 100 and 302. */
    private static void flood(int port, AtomicBoolean flooding) {
        try (RawSip raw = new RawSip(port)) {
            for (long n = 0; flooding.get(); n++) raw.send(raw.request("OPTIONS", "calltrack", "flood-" + n));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The prober sets the gauge just after the database write the test saw: wait (bounded) for it to follow. */
    private double gaugeSettled(String manager, double expected) {
        await().atMost(Duration.ofSeconds(2)).until(() -> gauge(manager) == expected);
        return gauge(manager);
    }

    private double gauge(String manager) {
        return metrics.get("calltrack_sip_manager_reachable").tag("manager", manager).gauge().value();
    }

    private void awaitReachable(long managerId, Boolean expected) {
        await().alias("manager " + managerId + " reachable=" + expected).atMost(Duration.ofSeconds(10))
                .until(() -> Objects.equals(expected, reachable(managerId)));
    }

    private Boolean reachable(long managerId) {
        try (Connection c = db.dataSource().getConnection();
             PreparedStatement s = c.prepareStatement("SELECT reachable FROM manager WHERE id = ?")) {
            s.setLong(1, managerId);
            try (ResultSet r = s.executeQuery()) {
                r.next();
                boolean value = r.getBoolean(1);
                return r.wasNull() ? null : value;
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private long insertManager(String name, String dialString, String sipUri) throws SQLException {
        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
            s.execute("INSERT INTO site (name, public_key, time_zone, fallback_number)"
                    + " VALUES ('Shop', 'pk-" + name + "', 'UTC', '+15550000') ON CONFLICT DO NOTHING");
            s.execute("INSERT INTO department (site_id, name) SELECT id, 'Sales " + name + "' FROM site LIMIT 1");
            try (ResultSet r = s.executeQuery("INSERT INTO manager (department_id, name, dial_string, sip_uri)"
                    + " SELECT max(id), '" + name + "', " + literal(dialString) + ", " + literal(sipUri)
                    + " FROM department RETURNING id")) {
                r.next();
                return r.getLong(1);
            }
        }
    }

    private static String literal(String value) {
        return value == null ? "NULL" : "'" + value + "'";
    }
}
