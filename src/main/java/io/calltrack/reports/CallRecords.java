package io.calltrack.reports;

import io.calltrack.calls.CallSnapshotColumns;
import io.calltrack.db.Jdbc;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Reads calls (with the site's zone) for exports and webhook payloads. */
public final class CallRecords {
    private static final String SELECT = """
            SELECT c.id, c.linkedid, c.site_id, s.time_zone, c.called_number, c.caller_number, c.attribution,
                   %s, c.first_time_caller, c.repeat_call, c.recording_path, c.state, c.started_at,
                   c.answered_at, c.ended_at, c.ring_seconds, c.talk_seconds, c.class, c.class_reason,
                   c.deal_amount
              FROM call c JOIN site s ON s.id = c.site_id
            """.formatted(CallSnapshotColumns.qualified("c"));

    private final Jdbc jdbc;

    public CallRecords(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    public Optional<CallRecord> find(long callId) {
        return jdbc.withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement(SELECT + " WHERE c.id = ?")) {
                ps.setLong(1, callId);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(read(rs)) : Optional.empty();
                }
            }
        });
    }

    /** Completed calls of a site that started in [from, to), oldest first. */
    public List<CallRecord> completed(long siteId, Instant from, Instant to) {
        return jdbc.withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement(SELECT
                    + " WHERE c.site_id = ? AND c.started_at >= ? AND c.started_at < ? AND c.state = 'completed'"
                    + " ORDER BY c.started_at, c.id")) {
                ps.setLong(1, siteId);
                ps.setTimestamp(2, Timestamp.from(from));
                ps.setTimestamp(3, Timestamp.from(to));
                List<CallRecord> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) out.add(read(rs));
                }
                return out;
            }
        });
    }

    private static CallRecord read(ResultSet rs) throws SQLException {
        return new CallRecord(
                rs.getLong("id"), rs.getString("linkedid"), rs.getLong("site_id"),
                ZoneId.of(rs.getString("time_zone")), rs.getString("called_number"), rs.getString("caller_number"),
                rs.getString("attribution"), CallSnapshotColumns.touches(rs), rs.getString("client_id"),
                CallSnapshotColumns.analyticsIds(rs), rs.getBoolean("first_time_caller"),
                rs.getBoolean("repeat_call"), rs.getString("recording_path"), rs.getString("state"),
                instant(rs, "started_at"), instant(rs, "answered_at"), instant(rs, "ended_at"),
                (Integer) rs.getObject("ring_seconds"), (Integer) rs.getObject("talk_seconds"),
                rs.getString("class"), rs.getString("class_reason"), rs.getBigDecimal("deal_amount"));
    }

    static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp t = rs.getTimestamp(column);
        return t == null ? null : t.toInstant();
    }
}
