package io.calltrack.platform.http;

import io.calltrack.access.Permission;
import java.util.Optional;
import java.util.UUID;

/**
 * What a management route needs before its handler runs: a {@link Permission} and, for a site-scoped one, where the
 * request names its site. {@link Authorization} checks it, the same way for every route.
 * <ul>
 *   <li>{@link #of}: no site: a permission of the whole installation, or a list across the sites the caller sees
 *       (the handler keeps to {@link ApiRequest#visibleSites()})</li>
 *   <li>{@link #site}: the site id is a path parameter</li>
 *   <li>{@link #siteFilter}: an optional query parameter; without it, a list across the visible sites</li>
 *   <li>{@link #entity}: the path names an entity (a call, a manager, a job) whose site its owner looks up</li>
 *   <li>{@link #uuidEntity}: the same for an entity named by a UUID (a visitor session); a malformed one is a 400</li>
 * </ul>
 */
public record Need(Permission permission, Optional<Locator> site) {
    public Need {
        if (site.isPresent() && !permission.siteScoped()) {
            throw new IllegalArgumentException(permission.code() + " concerns the whole installation, not a site");
        }
        if (site.isEmpty() && permission.siteScoped() && permission.changes()) {
            throw new IllegalArgumentException(permission.code() + " is a change: the route must name its site");
        }
    }

    /** Where a request names its site. */
    public sealed interface Locator {}

    /** {@code /v1/sites/{param}/...} */
    public record PathSite(String param) implements Locator {}

    /** {@code ?param=<site id>}, optional. */
    public record QuerySite(String param) implements Locator {}

    /** {@code /v1/<noun>s/{param}}: the site of the entity with that id, looked up by its owner. */
    public record Entity(String noun, String param, SiteOf lookup) implements Locator {}

    /** {@code /v1/<noun>s/{param}} where the id is a UUID. */
    public record UuidEntity(String noun, String param, UuidSiteOf lookup) implements Locator {}

    /** The site of an entity; empty when there is no such entity (or it belongs to no site). */
    @FunctionalInterface
    public interface SiteOf {
        Optional<Long> siteOf(long id);
    }

    /** {@link SiteOf} for an entity named by a UUID. */
    @FunctionalInterface
    public interface UuidSiteOf {
        Optional<Long> siteOf(UUID id);
    }

    public static Need of(Permission permission) {
        return new Need(permission, Optional.empty());
    }

    public static Need site(Permission permission, String pathParam) {
        return new Need(permission, Optional.of(new PathSite(pathParam)));
    }

    public static Need siteFilter(Permission permission, String queryParam) {
        return new Need(permission, Optional.of(new QuerySite(queryParam)));
    }

    public static Need entity(Permission permission, String noun, String pathParam, SiteOf lookup) {
        return new Need(permission, Optional.of(new Entity(noun, pathParam, lookup)));
    }

    public static Need uuidEntity(Permission permission, String noun, String pathParam, UuidSiteOf lookup) {
        return new Need(permission, Optional.of(new UuidEntity(noun, pathParam, lookup)));
    }
}
