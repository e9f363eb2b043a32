package io.calltrack.access;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.calltrack.platform.db.Jdbc;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The audit log in PostgreSQL, the only owner of {@code audit_entry}: every entry stamped with the injected clock.
 * Entries are read newest first, a page at a time (keyset on the id), and deleted once older than the retention.
 */
public final class AuditLog implements AuditTrail {
    private final Jdbc jdbc;
    private final ObjectMapper json;
    private final Clock clock;

    public AuditLog(Jdbc jdbc, ObjectMapper json, Clock clock) {
        this.jdbc = jdbc;
        this.json = json;
        this.clock = clock;
    }

    @Override
    public void record(AuditEntry e) {
        String detail;
        try {
            detail = json.writeValueAsString(e.detail());
        } catch (JsonProcessingException notSerialisable) {
            throw new IllegalArgumentException("audit detail of " + e.action() + " is not serialisable", notSerialisable);
        }
        jdbc.withHandle(h -> h.createUpdate("""
                        INSERT INTO audit_entry (at, user_id, login, action, site_id, target, detail, remote_address)
                        VALUES (:at, :user, :login, :action, :site, :target, :detail::jsonb, :remote)""")
                .bind("at", clock.instant()).bind("user", e.userId().orElse(null)).bind("login", e.login())
                .bind("action", e.action()).bind("site", e.siteId().orElse(null)).bind("target", e.target())
                .bind("detail", detail).bind("remote", e.remoteAddress()).execute());
    }

    /** One stored entry as the API shows it. */
    public record Stored(long id, Instant at, Long userId, String login, String action, Long siteId, String target,
                         JsonNode detail, String remoteAddress) {}

    /**
     * What to look for; empty = any. {@code user}: a user id or a login (any case); {@code action}: exactly, or
     * every action below it ({@code sites.routing} finds {@code sites.routing.changed}); {@code from} inclusive,
     * {@code to} exclusive.
     */
    public record Filter(Optional<Instant> from, Optional<Instant> to, Optional<String> user, Optional<String> action,
                         Optional<Long> siteId, Optional<String> target) {}

    /** Newest first, at most {@code limit}, older than the entry {@code before} when given (the cursor). */
    public List<Stored> search(Filter f, int limit, Optional<Long> before) {
        Map<String, Object> args = new HashMap<>();
        StringBuilder where = new StringBuilder("true");
        condition(where, args, "at >= :from", "from", f.from());
        condition(where, args, "at < :to", "to", f.to());
        f.user().ifPresent(u -> {
            if (u.matches("[0-9]{1,18}")) {
                condition(where, args, "user_id = :user", "user", Optional.of(Long.parseLong(u)));
            } else {
                condition(where, args, "lower(login) = lower(:login)", "login", Optional.of(u));
            }
        });
        f.action().ifPresent(a -> {
            condition(where, args, "(action = :action OR action LIKE :below)", "action", Optional.of(a));
            args.put("below", a.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + ".%");
        });
        condition(where, args, "site_id = :site", "site", f.siteId());
        condition(where, args, "target = :target", "target", f.target());
        condition(where, args, "id < :before", "before", before);
        return jdbc.withHandle(h -> h.createQuery("SELECT id, at, user_id, login, action, site_id, target, "
                        + "detail::text AS detail, remote_address FROM audit_entry WHERE " + where
                        + " ORDER BY id DESC LIMIT :limit")
                .bindMap(args).bind("limit", limit).map((rs, ctx) -> stored(rs)).list());
    }

    /** Deletes the entries older than {@code before}; how many. */
    public int purge(Instant before) {
        return jdbc.withHandle(h -> h.createUpdate("DELETE FROM audit_entry WHERE at < :before")
                .bind("before", before).execute());
    }

    private static void condition(StringBuilder where, Map<String, Object> args, String condition, String name,
                                  Optional<?> value) {
        if (value.isEmpty()) return;
        where.append(" AND ").append(condition);
        args.put(name, value.get());
    }

    private Stored stored(ResultSet rs) throws SQLException {
        JsonNode detail;
        try {
            detail = json.readTree(rs.getString("detail"));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("audit entry " + rs.getLong("id") + " holds invalid JSON", e);
        }
        return new Stored(rs.getLong("id"), rs.getTimestamp("at").toInstant(), (Long) rs.getObject("user_id"),
                rs.getString("login"), rs.getString("action"), (Long) rs.getObject("site_id"), rs.getString("target"),
                detail, rs.getString("remote_address"));
    }
}
