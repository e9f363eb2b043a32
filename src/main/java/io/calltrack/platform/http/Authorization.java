package io.calltrack.platform.http;

import io.calltrack.access.AccessPolicy;
import io.calltrack.access.Principal;
import io.calltrack.access.SiteScope;
import java.util.Optional;
import java.util.UUID;

/**
 * The one check between authentication and every management handler: does the caller have the route's
 * {@link Need} on the site the request names? A site the caller has no grant on at all (or an entity of such a site)
 * is a 404 worded as for one that does not exist, so its existence is not revealed; a site the caller sees where the
 * role lacks the permission is a 403 naming what is missing.
 */
final class Authorization {
    private Authorization() {}

    /** Returns when the request may go on to its handler; throws the 403 or 404 otherwise. */
    static void check(Need need, ApiRequest request) {
        Principal who = request.principal().orElseThrow();
        SiteScope scope = AccessPolicy.sites(who);
        Optional<Long> site = need.site().flatMap(locator -> site(locator, scope, request));
        Optional<String> refusal = AccessPolicy.refusal(who, need.permission(), site);
        if (refusal.isPresent()) throw new ApiException(403, refusal.get());
    }

    /** The site the request names; empty: a list across the visible sites, or a caller who sees every site. */
    private static Optional<Long> site(Need.Locator locator, SiteScope scope, ApiRequest request) {
        if (locator instanceof Need.PathSite p) {
            long id = request.pathId(p.param());
            return Optional.of(visible(scope, "site", id, Optional.of(id)));
        }
        if (locator instanceof Need.QuerySite q) {
            return request.queryParam(q.param()).map(v -> siteId(q.param(), v))
                    .map(id -> visible(scope, "site", id, Optional.of(id)));
        }
        if (locator instanceof Need.UuidEntity u) {
            UUID id = request.pathUuid(u.param()); // malformed: a 400 for everyone, as the handler would answer
            if (scope.all()) return Optional.empty();
            return Optional.of(visible(scope, u.noun(), id, u.lookup().siteOf(id)));
        }
        Need.Entity e = (Need.Entity) locator;
        if (scope.all()) return Optional.empty(); // no lookup: the handler answers for a missing entity itself
        long id = request.pathId(e.param());
        return Optional.of(visible(scope, e.noun(), id, e.lookup().siteOf(id)));
    }

    /** The site, when the caller sees it; else the 404 the entity's own handler gives when it does not exist. */
    private static long visible(SiteScope scope, String noun, Object id, Optional<Long> site) {
        if (site.isEmpty() || !scope.contains(site.get())) {
            throw ApiException.notFound(noun + " " + id + " does not exist");
        }
        return site.get();
    }

    private static long siteId(String param, String value) {
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw ApiException.badRequest(param + " must be a number, got '" + value + "'");
        }
    }
}
