package io.calltrack.access;

import io.calltrack.platform.db.Jdbc;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/** The only owner of {@code site_privacy}: each site's {@link SitePrivacy}, {@link SitePrivacy#DEFAULT} when unset. */
public final class SitePrivacyStore {
    private final Jdbc jdbc;

    public SitePrivacyStore(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    public SitePrivacy get(long siteId) {
        return of(java.util.List.of(siteId)).getOrDefault(siteId, SitePrivacy.DEFAULT);
    }

    /** The settings of these sites; a site that has set nothing is absent. */
    public Map<Long, SitePrivacy> of(Collection<Long> siteIds) {
        if (siteIds.isEmpty()) return Map.of();
        return jdbc.withHandle(h -> {
            Map<Long, SitePrivacy> out = new HashMap<>();
            h.createQuery("""
                            SELECT site_id, mask_caller_numbers, recording_retention_days FROM site_privacy
                             WHERE site_id = ANY(:sites)""")
                    .bind("sites", siteIds.toArray(Long[]::new))
                    .map((rs, ctx) -> Map.entry(rs.getLong(1),
                            new SitePrivacy(rs.getBoolean(2), (Integer) rs.getObject(3))))
                    .forEach(e -> out.put(e.getKey(), e.getValue()));
            return out;
        });
    }

    /** The sites that keep recordings a limited time, with their number of days. */
    public Map<Long, Integer> recordingRetention() {
        return jdbc.withHandle(h -> {
            Map<Long, Integer> out = new HashMap<>();
            h.createQuery("SELECT site_id, recording_retention_days FROM site_privacy "
                            + "WHERE recording_retention_days IS NOT NULL")
                    .map((rs, ctx) -> Map.entry(rs.getLong(1), rs.getInt(2)))
                    .forEach(e -> out.put(e.getKey(), e.getValue()));
            return out;
        });
    }

    public void put(long siteId, SitePrivacy p) {
        jdbc.withHandle(h -> h.createUpdate("""
                        INSERT INTO site_privacy (site_id, mask_caller_numbers, recording_retention_days)
                        VALUES (:site, :mask, :days)
                        ON CONFLICT (site_id) DO UPDATE SET mask_caller_numbers = excluded.mask_caller_numbers,
                                                            recording_retention_days = excluded.recording_retention_days""")
                .bind("site", siteId).bind("mask", p.maskCallerNumbers()).bind("days", p.recordingRetentionDays())
                .execute());
    }
}
