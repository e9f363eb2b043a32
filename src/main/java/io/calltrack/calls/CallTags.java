package io.calltrack.calls;

import io.calltrack.platform.db.Jdbc;
import java.util.List;
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
