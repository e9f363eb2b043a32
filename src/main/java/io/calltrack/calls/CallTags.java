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
    private static final String RULE = "rule";
    private static final String MANUAL = "manual";

    /** A call's tags: every one once, and by where they come from (a tag may be in both); each list in order. */
    public record Tags(List<String> all, List<String> rule, List<String> manual) {}

    private final Jdbc jdbc;

    public CallTags(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    public Tags of(long callId) {
        record Row(String tag, String source) {}
        List<Row> rows = jdbc.withHandle(h -> h.createQuery(
                        "SELECT tag, source FROM call_tag WHERE call_id = :callId ORDER BY tag")
                .bind("callId", callId).map((rs, ctx) -> new Row(rs.getString("tag"), rs.getString("source"))).list());
        return new Tags(rows.stream().map(Row::tag).distinct().toList(),
                rows.stream().filter(r -> r.source().equals(RULE)).map(Row::tag).toList(),
                rows.stream().filter(r -> r.source().equals(MANUAL)).map(Row::tag).toList());
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
        replace(callId, RULE, List.copyOf(tags));
    }

    /** Replaces the tags a user set on the call (the rules' are kept). */
    public void replaceManualTags(long callId, List<String> tags) {
        replace(callId, MANUAL, tags);
    }

    private void replace(long callId, String source, List<String> tags) {
        jdbc.withHandle(handle -> handle.inTransaction(h -> {
            h.createUpdate("DELETE FROM call_tag WHERE call_id = :callId AND source = :source")
                    .bind("callId", callId).bind("source", source).execute();
            // two replaces at once (a double-clicked "Add", a retried job beside a re-application) meet at the key:
            // the later one's row is already there, which is no error
            var batch = h.prepareBatch("INSERT INTO call_tag (call_id, tag, source) VALUES (:callId, :tag, :source)"
                    + " ON CONFLICT DO NOTHING");
            for (String tag : tags) batch.bind("callId", callId).bind("tag", tag).bind("source", source).add();
            if (!tags.isEmpty()) batch.execute();
            return null;
        }));
    }
}
