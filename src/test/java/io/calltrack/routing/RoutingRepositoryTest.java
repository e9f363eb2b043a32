package io.calltrack.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.calltrack.Json;
import io.calltrack.platform.db.Jdbc;
import io.calltrack.support.TestDatabase;
import io.calltrack.tracking.TrackingFixture;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The manager table's one owner: what the prober and the calls side read and write through it. */
class RoutingRepositoryTest {
    static final Instant NOW = Instant.parse("2026-11-25T15:00:00Z");

    TestDatabase db;
    RoutingRepository repository;
    long siteId;

    @BeforeEach
    void setUp() throws Exception {
        db = TestDatabase.create();
        repository = new RoutingRepository(new Jdbc(db.dataSource()), Json.mapper());
        siteId = new TrackingFixture(db.dataSource()).site(601).id();
        sql("INSERT INTO department (site_id, name) VALUES (" + siteId + ", 'Sales')");
        sql("INSERT INTO manager (department_id, name, dial_string, sip_uri, position) SELECT id, 'Ann', 'PJSIP/101', "
                + "' sip:ann@10.0.0.5 ', 1 FROM department");
        sql("INSERT INTO manager (department_id, name, dial_string, position) SELECT id, 'Bob', 'PJSIP/102', 2 "
                + "FROM department");
    }

    @AfterEach
    void tearDown() {
        db.close();
    }

    @Test
    void theLastCallOfAManagerNeverMovesBackwards() throws Exception {
        long ann = id("Ann");
        repository.recordConnected(ann, NOW);
        repository.recordConnected(ann, NOW.minusSeconds(60)); // a late write of an older call
        assertEquals(Optional.of(NOW), lastCallAt(ann));
        repository.recordConnected(ann, NOW.plusSeconds(1));
        assertEquals(Optional.of(NOW.plusSeconds(1)), lastCallAt(ann));
        assertEquals(Optional.empty(), lastCallAt(id("Bob")), "Bob took no call");
    }

    @Test
    void aManagerIsFoundByTheDialStringOrTheSipUriTheCallReached() throws Exception {
        sql("UPDATE manager SET sip_uri = 'sip:ann@10.0.0.5' WHERE name = 'Ann'");
        assertEquals(Optional.of(id("Bob")), reachedAt(siteId, "PJSIP/102", null));
        assertEquals(Optional.of(id("Ann")), reachedAt(siteId, null, "sip:ann@10.0.0.5"));
        assertEquals(Optional.empty(), reachedAt(siteId, "PJSIP/999", "sip:999@10.0.0.5"));
        long otherSite = new TrackingFixture(db.dataSource()).site(602).id();
        assertEquals(Optional.empty(), reachedAt(otherSite, "PJSIP/102", null), "another site's");
    }

    @Test
    void theProberSeesActiveSipPhonesAndItsVerdictIsForgottenWhenAPhoneIsNoLongerProbed() throws Exception {
        long ann = id("Ann");
        assertEquals(List.of(new RoutingRepository.SipPhone(ann, "Ann", "sip:ann@10.0.0.5")), repository.sipPhones(),
                "Bob has no SIP URI");
        repository.markReachable(ann, false);
        assertEquals(Optional.of(false), live(ann).reachable());
        repository.clearUnprobed();
        assertEquals(Optional.of(false), live(ann).reachable(), "still probed");
        sql("UPDATE manager SET active = false WHERE name = 'Ann'");
        assertEquals(List.of(), repository.sipPhones());
        repository.clearUnprobed();
        assertEquals(Optional.empty(), live(ann).reachable(), "a stale verdict must not keep routing away from Ann");
    }

    /** The lookup as the calls side runs it: inside a transaction of its own. */
    private Optional<Long> reachedAt(long site, String dialString, String sipUri) {
        return new Jdbc(db.dataSource()).inHandleTransaction(h -> repository.managerReachedAt(h, site, dialString, sipUri));
    }

    private Manager.Live live(long managerId) {
        return repository.liveState(siteId).managers().get(managerId);
    }

    private Optional<Instant> lastCallAt(long managerId) {
        return live(managerId).lastCallAt();
    }

    private long id(String name) throws Exception {
        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT id FROM manager WHERE name = '" + name + "'")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private void sql(String sql) throws Exception {
        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
