package io.calltrack.calls;

import io.calltrack.platform.db.Jdbc;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Owner of table {@code call_tag}: a call's tags, each from a speech rule or set by a user. */
public final class CallTags {
    private final Jdbc jdbc;

    public CallTags(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    /** The call's tags, each once, in order. */
    public List<String> of(long callId) {
        return jdbc.withHandle(h -> h.createQuery("SELECT DISTINCT tag FROM call_tag WHERE call_id = :callId ORDER BY tag")
                .bind("callId", callId).mapTo(String.class).list());
    }

    /**
     * The tags of each of {@code callIds} that has any (each once, in order), in one read: an export's batch of
     * calls costs one query, not one per call.
     */
    public Map<Long, List<String>> of(Collection<Long> callIds) {
        Map<Long, List<String>> out = new HashMap<>();
        if (callIds.isEmpty()) return out;
        jdbc.withHandle(h -> h.createQuery(
                        "SELECT DISTINCT call_id, tag FROM call_tag WHERE call_id = ANY(:ids) ORDER BY call_id, tag")
                .bindArray("ids", Long.class, callIds)
                .map((rs, ctx) -> Map.entry(rs.getLong("call_id"), rs.getString("tag")))
                .list()).forEach(e -> out.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(e.getValue()));
        return out;
    }

    /** Replaces the call's rule tags (a user's are kept). */
    public void replaceRuleTags(long callId, Set<String> tags) {
        jdbc.withHandle(handle -> handle.inTransaction(h -> {
            h.createUpdate("DELETE FROM call_tag WHERE call_id = :callId AND source = 'rule'")
                    .bind("callId", callId).execute();
            var batch = h.prepareBatch("INSERT INTO call_tag (call_id, tag, source) VALUES (:callId, :tag, 'rule')");
            for (String tag : tags) batch.bind("callId", callId).bind("tag", tag).add();
            if (!tags.isEmpty()) batch.execute();
            return null;
        }));
    }
}
