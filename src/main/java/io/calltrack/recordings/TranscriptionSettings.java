package io.calltrack.recordings;

import io.calltrack.platform.db.Jdbc;

/**
 * Owner of table {@code site_transcription}: whether a site's calls are transcribed and in which language. A site
 * without its own row follows the configured defaults ({@code transcription.enabled}, {@code transcription.language}).
 */
public final class TranscriptionSettings {
    /** A site's switch and language. */
    public record Site(boolean enabled, String language) {}

    private final Jdbc jdbc;
    private final Site defaults;

    public TranscriptionSettings(Jdbc jdbc, Site defaults) {
        this.jdbc = jdbc;
        this.defaults = defaults;
    }

    public Site of(long siteId) {
        return jdbc.withHandle(h -> h.createQuery(
                        "SELECT enabled, language FROM site_transcription WHERE site_id = :siteId")
                .bind("siteId", siteId)
                .map((rs, ctx) -> new Site(rs.getBoolean("enabled"), rs.getString("language")))
                .findOne()).orElse(defaults);
    }

    /** False if the site does not exist. */
    public boolean set(long siteId, Site s) {
        return jdbc.withHandle(h -> h.createUpdate("""
                INSERT INTO site_transcription (site_id, enabled, language)
                SELECT id, :enabled, :language FROM site WHERE id = :siteId
                ON CONFLICT (site_id) DO UPDATE SET enabled = excluded.enabled, language = excluded.language""")
                .bind("siteId", siteId).bind("enabled", s.enabled()).bind("language", s.language())
                .execute() == 1);
    }
}
