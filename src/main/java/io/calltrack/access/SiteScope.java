package io.calltrack.access;

import java.util.Optional;
import java.util.Set;

/**
 * The sites a principal sees: all of them ({@code all}, rows of no site included, such as calls to a number of no
 * site), or exactly {@code ids}. Lists that span sites show only these.
 */
public record SiteScope(boolean all, Set<Long> ids) {
    public static final SiteScope ALL = new SiteScope(true, Set.of());

    public SiteScope {
        ids = Set.copyOf(ids);
    }

    public static SiteScope only(Set<Long> ids) {
        return new SiteScope(false, ids);
    }

    public boolean contains(long siteId) {
        return all || ids.contains(siteId);
    }

    /** A row of no site is seen only by those who see every site. */
    public boolean contains(Optional<Long> siteId) {
        return siteId.map(this::contains).orElse(all);
    }

    /** The site ids a query must keep to; empty: no restriction. */
    public Optional<Set<Long>> restriction() {
        return all ? Optional.empty() : Optional.of(ids);
    }
}
