package io.calltrack.tracking;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.calltrack.platform.db.Jdbc;
import io.calltrack.support.TestDatabase;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SiteRepositoryTest {
    TestDatabase db;
    SiteRepository sites;

    @BeforeEach
    void setUp() {
        db = TestDatabase.create();
        sites = new SiteRepository(new Jdbc(db.dataSource()));
    }

    @AfterEach
    void tearDown() {
        db.close();
    }

    @Test
    void visitorLookupsByKeySeeChangesMadeThroughTheRepositoryAtOnce() {
        Site site = sites.create(data(60), "key-1");
        assertEquals(60, sites.findByPublicKey("key-1").orElseThrow().sessionHoldSeconds());

        sites.update(site.id(), data(900));
        assertEquals(900, sites.findByPublicKey("key-1").orElseThrow().sessionHoldSeconds(),
                "the remembered site is dropped when it changes");

        sites.delete(site.id());
        assertEquals(Optional.empty(), sites.findByPublicKey("key-1"));
    }

    @Test
    void anUnknownKeyIsNotRememberedSoASiteCreatedElsewhereIsFoundAtOnce() {
        assertEquals(Optional.empty(), sites.findByPublicKey("key-2"));
        // another server process creates the site
        new SiteRepository(new Jdbc(db.dataSource())).create(data(60), "key-2");
        assertEquals(60, sites.findByPublicKey("key-2").orElseThrow().sessionHoldSeconds());
    }

    private static SiteRepository.SiteData data(int holdSeconds) {
        return new SiteRepository.SiteData("Shop", "UTC", 30, 30, holdSeconds, TrackingFixture.FALLBACK, List.of(),
                false, Optional.empty());
    }
}
