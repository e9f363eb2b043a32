package io.calltrack.recordings.rules;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.calltrack.platform.db.Jdbc;
import java.util.List;

/** Owner of table {@code site_speech_rules}: a site's speech rules, checked before they are stored. */
public final class SpeechRuleRepository {
    /** The rules document of a site, as stored and as the API takes it. */
    public record Document(List<SpeechRule> rules) {}

    private final Jdbc jdbc;
    private final ObjectMapper json;

    public SpeechRuleRepository(Jdbc jdbc, ObjectMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    /** The site's rules; none for a site that has not set any. */
    public SpeechRules of(long siteId) {
        return jdbc.withHandle(h -> h.createQuery("SELECT rules::text FROM site_speech_rules WHERE site_id = :siteId")
                .bind("siteId", siteId).mapTo(String.class).findOne())
                .map(text -> {
                    try {
                        return SpeechRules.of(json.readValue(text, Document.class).rules());
                    } catch (JsonProcessingException e) {
                        throw new IllegalStateException("speech rules of site " + siteId + " are not a document", e);
                    }
                }).orElse(SpeechRules.none());
    }

    /** False if the site does not exist. */
    public boolean set(long siteId, SpeechRules rules) {
        String text;
        try {
            text = json.writeValueAsString(new Document(rules.rules()));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("speech rules that Jackson cannot write", e);
        }
        return jdbc.withHandle(h -> h.createUpdate("""
                INSERT INTO site_speech_rules (site_id, rules) SELECT id, CAST(:rules AS jsonb) FROM site WHERE id = :siteId
                ON CONFLICT (site_id) DO UPDATE SET rules = excluded.rules""")
                .bind("siteId", siteId).bind("rules", text).execute() == 1);
    }
}
