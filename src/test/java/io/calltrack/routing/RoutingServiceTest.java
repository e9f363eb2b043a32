package io.calltrack.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.calltrack.Json;
import io.calltrack.config.CalltrackConfig;
import io.calltrack.platform.db.Jdbc;
import io.calltrack.support.TestDatabase;
import io.calltrack.tracking.TrackingFixture;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The per-site routing kept in memory must never route a call by rules or people that have changed. */
class RoutingServiceTest {
    static final Instant NOW = Instant.parse("2026-11-25T15:00:00Z");

    TestDatabase db;
    RoutingService routing;
    long siteId;

    @BeforeEach
    void setUp() throws Exception {
        db = TestDatabase.create();
        routing = new RoutingService(new RoutingRepository(new Jdbc(db.dataSource()), Json.mapper()),
                new CalltrackConfig.Routing(Duration.ofSeconds(30)));
        siteId = new TrackingFixture(db.dataSource()).site(600).id();
        sql("INSERT INTO department (site_id, name) VALUES (" + siteId + ", 'Sales')");
        sql("INSERT INTO manager (department_id, name, dial_string, position) SELECT id, 'Ann', 'PJSIP/101', 1 "
                + "FROM department");
        sql("INSERT INTO manager (department_id, name, dial_string, position) SELECT id, 'Bob', 'PJSIP/102', 2 "
                + "FROM department");
        sql("INSERT INTO routing_rule (site_id, position, name, spec) VALUES (" + siteId + ", 1, 'all', "
                + "'{\"name\":\"all\",\"then\":{\"department\":\"Sales\",\"strategy\":\"least_recently_called\"}}')");
    }

    @AfterEach
    void tearDown() {
        db.close();
    }

    @Test
    void aChangeMadeStraightInTheDatabaseReachesTheNextCall() throws Exception {
        assertEquals(List.of("PJSIP/101", "PJSIP/102"), dialled(), "Ann and Bob have never taken a call");
        // as another calltrack instance's API, or an admin's SQL, would change it
        sql("UPDATE manager SET dial_string = 'PJSIP/301' WHERE name = 'Ann'");
        assertEquals(List.of("PJSIP/301", "PJSIP/102"), dialled());
        sql("UPDATE routing_rule SET spec = jsonb_set(spec, '{then,strategy}', '\"ring_all\"')");
        assertEquals(List.of(List.of("PJSIP/301", "PJSIP/102")), phones(), "one destination ringing both");
        sql("DELETE FROM routing_rule");
        assertEquals(List.of(), dialled());
    }

    @Test
    void answeredCallsAndSwitchedOffManagersCountAtOnceWithoutReloadingTheRules() throws Exception {
        dialled();
        long version = version();
        routing.recordConnected(managerId("Ann"), NOW.minusSeconds(60));
        assertEquals(List.of("PJSIP/102", "PJSIP/101"), dialled(), "Ann took the last call: Bob rings first");
        sql("UPDATE manager SET active = false WHERE name = 'Bob'");
        assertEquals(List.of("PJSIP/101"), dialled());
        assertEquals(version, version(), "live manager state must not invalidate the cached rules");
    }

    /** Each destination's one phone. */
    private List<String> dialled() {
        return phones().stream().map(phones -> {
            assertEquals(1, phones.size(), phones.toString());
            return phones.get(0);
        }).toList();
    }

    /** Each destination's phones. */
    private List<List<String>> phones() {
        RoutePlan plan = routing.plan(new RouteRequest(siteId, ZoneId.of("UTC"), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), false, Optional.empty(), NOW,
                Telephony.ASTERISK));
        return plan.destinations().stream().map(Destination::addresses).toList();
    }

    private long managerId(String name) throws Exception {
        return scalar("SELECT id FROM manager WHERE name = '" + name + "'");
    }

    private long version() throws Exception {
        return scalar("SELECT version FROM routing_version WHERE site_id = " + siteId);
    }

    private long scalar(String query) throws Exception {
        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(query)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private void sql(String statement) throws Exception {
        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
            s.execute(statement);
        }
    }
}
