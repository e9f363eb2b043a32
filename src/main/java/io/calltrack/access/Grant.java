package io.calltrack.access;

/** One site granted to a member, with the role there; {@code recordings}: may listen to that site's calls. */
public record Grant(long siteId, SiteRole role, boolean recordings) {
    public Grant {
        if (role == null) throw new IllegalArgumentException("a grant needs a role");
    }
}
