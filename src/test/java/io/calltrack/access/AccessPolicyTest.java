package io.calltrack.access;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The rules RouteAccessTest does not reach through one user per role: grants combined with a token's narrowing. */
class AccessPolicyTest {
    private static Principal member(Optional<Set<Long>> onlySites, boolean readOnly, Grant... grants) {
        Map<Long, Grant> bySite = new java.util.HashMap<>();
        for (Grant g : grants) bySite.put(g.siteId(), g);
        return new Principal(7, "m", UserRole.MEMBER, bySite, Principal.Via.API_TOKEN, onlySites, readOnly);
    }

    @Test
    void aMembersTokenKeptToOneSiteSeesOnlyTheGrantedSitesAmongThem() {
        Principal p = member(Optional.of(Set.of(2L, 9L)), false, new Grant(1, SiteRole.LEAD, false),
                new Grant(2, SiteRole.LEAD, false));
        assertEquals(SiteScope.only(Set.of(2L)), AccessPolicy.sites(p), "9 is not granted, 1 is outside the token");
        assertTrue(AccessPolicy.may(p, Permission.ROUTING_WRITE, 2));
        assertFalse(AccessPolicy.may(p, Permission.ROUTING_READ, 1));
    }

    @Test
    void aViewerGrantedRecordingsListensButChangesNothing() {
        Principal p = member(Optional.empty(), false, new Grant(3, SiteRole.VIEWER, true));
        assertTrue(AccessPolicy.may(p, Permission.RECORDINGS, 3));
        assertFalse(AccessPolicy.may(p, Permission.CALLS_WRITE, 3));
        assertEquals(Optional.of("changing calls (deal, tags, note, re-classification) (calls.write) on site 3 needs "
                        + "the lead role; your role there is viewer with recordings"),
                AccessPolicy.refusal(p, Permission.CALLS_WRITE, Optional.of(3L)));
    }

    @Test
    void aListAcrossSitesIsAReadEveryoneMayAskAndAChangeMustNameItsSite() {
        Principal p = member(Optional.empty(), false, new Grant(3, SiteRole.LEAD, false));
        assertTrue(AccessPolicy.refusal(p, Permission.CALLS_READ, Optional.empty()).isEmpty());
        assertTrue(AccessPolicy.refusal(p, Permission.CALLS_WRITE, Optional.empty()).isPresent());
    }

    @Test
    void anAdminManagesNoUsersAndAnOwnersReadOnlyTokenChangesNothing() {
        Principal admin = new Principal(1, "a", UserRole.ADMIN, Map.of(), Principal.Via.API_TOKEN, Optional.empty(),
                false);
        assertEquals(Optional.of("managing users and their grants (users.manage) needs the owner role; you are admin"),
                AccessPolicy.refusal(admin, Permission.USERS, Optional.empty()));
        Principal owner = new Principal(2, "o", UserRole.OWNER, Map.of(), Principal.Via.API_TOKEN, Optional.empty(),
                true);
        assertTrue(AccessPolicy.may(owner, Permission.CALLS_READ, 5));
        assertFalse(AccessPolicy.may(owner, Permission.SITE_SETTINGS, 5));
        assertTrue(AccessPolicy.refusal(owner, Permission.OWN_ACCOUNT_WRITE, Optional.empty()).isPresent(),
                "a read-only token cannot mint itself a wider one");
    }
}
