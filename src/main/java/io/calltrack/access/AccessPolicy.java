package io.calltrack.access;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Who may do what, as plain rules (README, Security): the owner everything; an admin every site, users aside; a
 * member what their grant on the site allows. Every member sees all of a granted site (recordings aside); the roles
 * differ in what they change: a lead routing and calls, a marketer channels, numbers, costs and deliveries, a viewer
 * nothing. A site's own settings and the installation-wide permissions are the owner's and admins'. An API token
 * narrows its user: {@code onlySites} hides every other site (and the installation's permissions, metrics aside, as
 * they carry no site's data), {@code readOnly} refuses every change.
 */
public final class AccessPolicy {
    private AccessPolicy() {}

    /** The sites the principal sees at all; one without any grant on a site is told it does not exist. */
    public static SiteScope sites(Principal p) {
        if (p.role() != UserRole.MEMBER) return p.onlySites().map(SiteScope::only).orElse(SiteScope.ALL);
        Set<Long> granted = new HashSet<>(p.grants().keySet());
        p.onlySites().ifPresent(granted::retainAll);
        return SiteScope.only(granted);
    }

    /** Whether the principal may use a site-scoped permission on the site. */
    public static boolean may(Principal p, Permission permission, long siteId) {
        return refusal(p, permission, Optional.of(siteId)).isEmpty();
    }

    /**
     * Why the principal may not, in words naming what is missing; empty when it may. {@code siteId}: the site, for a
     * site-scoped permission; without one, the question is about the sites the principal sees (a list, which shows
     * only those; a change must name its site unless the principal sees every site).
     */
    public static Optional<String> refusal(Principal p, Permission permission, Optional<Long> siteId) {
        if (permission.changes() && p.readOnly()) {
            return Optional.of("this API token is read-only, and " + permission + " is a change");
        }
        if (!permission.siteScoped()) return installationRefusal(p, permission);
        if (siteId.isEmpty()) {
            return !permission.changes() || sites(p).all() ? Optional.empty()
                    : Optional.of(permission + " must name the site it changes");
        }
        long site = siteId.get();
        if (!sites(p).contains(site)) return Optional.of("site " + site + " is not among your sites");
        if (p.role() != UserRole.MEMBER) return Optional.empty();
        Grant grant = p.grants().get(site);
        if (allows(grant, permission)) return Optional.empty();
        return Optional.of(permission + " on site " + site + " needs " + whoMay(permission) + "; your role there is "
                + grant.role().dbValue() + (grant.recordings() ? " with recordings" : ""));
    }

    private static boolean allows(Grant grant, Permission permission) {
        SiteRole role = grant.role();
        return switch (permission) {
            case SITE_READ, ROUTING_READ, CALLS_READ, REPORTS_READ, DELIVERIES_READ -> true;
            case ROUTING_WRITE, CALLS_WRITE -> role == SiteRole.LEAD;
            case RECORDINGS -> role == SiteRole.LEAD || grant.recordings();
            case TRACKING_WRITE, COSTS_WRITE, DELIVERIES_WRITE -> role == SiteRole.MARKETER;
            default -> false; // a site's settings, and everything of the whole installation
        };
    }

    /** "the lead role", "the lead or marketer role", derived from {@link #allows} so the message cannot drift. */
    private static String whoMay(Permission permission) {
        String roles = Arrays.stream(SiteRole.values())
                .filter(r -> allows(new Grant(0, r, false), permission))
                .map(SiteRole::dbValue).collect(Collectors.joining(" or "));
        if (permission == Permission.RECORDINGS) return "the " + roles + " role, or a grant with recordings";
        return roles.isEmpty() ? "the owner or admin role" : "the " + roles + " role";
    }

    private static Optional<String> installationRefusal(Principal p, Permission permission) {
        return switch (permission) {
            case OWN_ACCOUNT_READ, OWN_ACCOUNT_WRITE -> Optional.empty();
            case METRICS -> p.role() == UserRole.MEMBER ? roleRefusal(p, permission, "the owner or admin role")
                    : Optional.empty();
            case USERS -> p.role() != UserRole.OWNER ? roleRefusal(p, permission, "the owner role")
                    : wholeInstallation(p, permission);
            default -> p.role() == UserRole.MEMBER ? roleRefusal(p, permission, "the owner or admin role")
                    : wholeInstallation(p, permission);
        };
    }

    private static Optional<String> roleRefusal(Principal p, Permission permission, String needed) {
        return Optional.of(permission + " needs " + needed + "; you are " + p.role().dbValue());
    }

    /** A token kept to some sites reaches nothing beyond them. */
    private static Optional<String> wholeInstallation(Principal p, Permission permission) {
        return p.onlySites().isPresent()
                ? Optional.of("this API token is limited to sites " + p.onlySites().get().stream().sorted().toList()
                        + ", and " + permission + " concerns the whole installation")
                : Optional.empty();
    }
}
