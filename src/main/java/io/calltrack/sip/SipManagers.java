package io.calltrack.sip;

import io.calltrack.db.Jdbc;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;

/** The managers with a SIP URI, and their reachability column. */
public final class SipManagers {

    /** A manager to probe: its id, name (for the metric) and SIP URI. */
    public record Target(long id, String name, String uri) {}

    private final Jdbc jdbc;

    public SipManagers(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    private static final String PROBED = "active AND sip_uri IS NOT NULL";

    /** Active managers with a SIP URI, read fresh every round so new managers are probed without a restart. */
    public List<Target> targets() {
        return jdbc.withConnection(c -> {
            try (PreparedStatement s = c.prepareStatement(
                    "SELECT id, name, sip_uri FROM manager WHERE " + PROBED + " ORDER BY id");
                 ResultSet r = s.executeQuery()) {
                List<Target> out = new ArrayList<>();
                while (r.next()) out.add(new Target(r.getLong(1), r.getString(2), r.getString(3).trim()));
                return out;
            }
        });
    }

    /**
     * Forgets the reachability of managers no longer probed (deactivated, or their SIP URI removed),
     * so a stale "unreachable" cannot keep routing away from them.
     */
    public void clearUnprobed() {
        jdbc.withConnection(c -> {
            try (PreparedStatement s = c.prepareStatement(
                    "UPDATE manager SET reachable = NULL WHERE reachable IS NOT NULL AND NOT (" + PROBED + ")")) {
                return s.executeUpdate();
            }
        });
    }

    /** Writes the state only when it changes (no row churn every probe round). */
    public void markReachable(long managerId, boolean reachable) {
        jdbc.withConnection(c -> {
            try (PreparedStatement s = c.prepareStatement(
                    "UPDATE manager SET reachable = ? WHERE id = ? AND reachable IS DISTINCT FROM ?")) {
                s.setBoolean(1, reachable);
                s.setLong(2, managerId);
                s.setBoolean(3, reachable);
                return s.executeUpdate();
            }
        });
    }
}
