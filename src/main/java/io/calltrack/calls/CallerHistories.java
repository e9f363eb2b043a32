package io.calltrack.calls;

import io.calltrack.platform.db.Jdbc;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/**
 * What a site's calls say about a caller at a moment: first call, repeat within the window, who took the last one.
 * Read-only; the same reading {@link CallRepository#open} records with a call that has one already.
 */
public final class CallerHistories {
    private final Jdbc jdbc;

    public CallerHistories(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    /** The caller's history with the site before {@code at}; anonymous (no number) is neither first-time nor repeat. */
    public CallerHistory before(long siteId, Optional<String> callerE164, Instant at, int repeatWindowDays) {
        if (callerE164.isEmpty()) return CallerHistory.ANONYMOUS;
        return jdbc.withHandle(h -> lastCall(h, siteId, callerE164.get(), at,
                at.minus(repeatWindowDays, ChronoUnit.DAYS)));
    }

    /** The caller's last call to the site before {@code at}: a repeat when it started at or after {@code repeatSince}. */
    static CallerHistory lastCall(Handle h, long siteId, String caller, Instant at, Instant repeatSince) {
        return h.createQuery(CallRepository.LAST_CALL_BEFORE)
                .bind("site_id", siteId)
                .bind("caller_number", caller)
                .bind("started_at", at)
                .map((rs, ctx) -> {
                    long manager = rs.getLong("manager_id");
                    return new CallerHistory(false, !rs.getTimestamp("started_at").toInstant().isBefore(repeatSince),
                            rs.wasNull() ? Optional.empty() : Optional.of(manager));
                })
                .findOne().orElse(CallerHistory.FIRST_CALL);
    }
}
