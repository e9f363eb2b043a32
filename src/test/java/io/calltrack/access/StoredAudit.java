package io.calltrack.access;

import io.calltrack.platform.db.Jdbc;
import io.calltrack.support.TestDatabase;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The audit log as the servers under test stored it, read back from their shared database. */
final class StoredAudit {
    private final Jdbc jdbc;

    StoredAudit(TestDatabase db) {
        this.jdbc = new Jdbc(db.dataSource());
    }

    /** The entries of one action, oldest first. */
    List<AuditEntry> of(String action) {
        return jdbc.withHandle(h -> h.createQuery("""
                        SELECT user_id, login, action, site_id, target, remote_address, detail::text
                          FROM audit_entry WHERE action = :action ORDER BY id""")
                .bind("action", action)
                .map((rs, ctx) -> new AuditEntry(Optional.ofNullable((Long) rs.getObject(1)), rs.getString(2),
                        rs.getString(3), Optional.ofNullable((Long) rs.getObject(4)), rs.getString(5),
                        Map.of("json", String.valueOf(rs.getString(7))), rs.getString(6)))
                .list());
    }
}
