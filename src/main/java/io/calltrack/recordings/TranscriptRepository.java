package io.calltrack.recordings;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.calltrack.platform.db.Jdbc;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/** Owner of table {@code transcript}. */
public final class TranscriptRepository {
    private static final TypeReference<List<Turn>> TURNS = new TypeReference<>() {};

    private final Jdbc jdbc;
    private final ObjectMapper json;

    public TranscriptRepository(Jdbc jdbc, ObjectMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    /** Stores (or replaces: a job may run twice) the transcript of a call. */
    public void save(long callId, String language, double audioSeconds, Dialogue dialogue, Instant at) {
        String turns;
        try {
            turns = json.writeValueAsString(dialogue.turns());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a dialogue that Jackson cannot write", e);
        }
        jdbc.withHandle(h -> h.createUpdate("""
                INSERT INTO transcript (call_id, language, turns, text, audio_seconds, transcribed_at)
                VALUES (:callId, :language, CAST(:turns AS jsonb), :text, :seconds, :at)
                ON CONFLICT (call_id) DO UPDATE SET language = excluded.language, turns = excluded.turns,
                    text = excluded.text, audio_seconds = excluded.audio_seconds,
                    transcribed_at = excluded.transcribed_at""")
                .bind("callId", callId).bind("language", language).bind("turns", turns)
                .bind("text", dialogue.text()).bind("seconds", audioSeconds).bind("at", Timestamp.from(at))
                .execute());
    }

    /** The site's calls that have a transcript, by id (the call table is read, the site is the call's). */
    public List<Long> transcribedCalls(long siteId) {
        return jdbc.withHandle(h -> h.createQuery("""
                        SELECT t.call_id FROM transcript t JOIN call c ON c.id = t.call_id
                         WHERE c.site_id = :siteId ORDER BY t.call_id""")
                .bind("siteId", siteId).mapTo(Long.class).list());
    }

    /** The dialogues of each of {@code callIds} that has a transcript, in one read (an export's batch of calls). */
    public Map<Long, Dialogue> dialogues(Collection<Long> callIds) {
        if (callIds.isEmpty()) return Map.of();
        return jdbc.withHandle(h -> h.createQuery(
                        "SELECT call_id, turns::text AS turns FROM transcript WHERE call_id = ANY(:ids)")
                .bindArray("ids", Long.class, callIds)
                .map((rs, ctx) -> Map.entry(rs.getLong("call_id"),
                        new Dialogue(turns(rs.getLong("call_id"), rs.getString("turns")))))
                .list()).stream().collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    }

    public Optional<Transcript> find(long callId) {
        return jdbc.withHandle(h -> h.createQuery("""
                        SELECT language, turns::text AS turns, audio_seconds, transcribed_at
                          FROM transcript WHERE call_id = :callId""")
                .bind("callId", callId)
                .map((rs, ctx) -> new Transcript(callId, rs.getString("language"), rs.getDouble("audio_seconds"),
                        rs.getTimestamp("transcribed_at").toInstant(), turns(callId, rs.getString("turns"))))
                .findOne());
    }

    private List<Turn> turns(long callId, String stored) {
        try {
            return json.readValue(stored, TURNS);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("transcript of call " + callId + " is not a dialogue", e);
        }
    }
}
