package io.calltrack.bench;

import java.sql.Array;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The calls as a user sees them: the site's call rows, read through JDBC every {@value #POLL_MS} ms. A call is found
 * by its caller's number (each simulated call has its own) and noted the first time it is seen completed, so the
 * benchmark knows how long after the hang-up its outcome appeared.
 */
final class CallRows implements AutoCloseable {
    static final int POLL_MS = 50;

    /** What the call's row said; {@code seen} is when the poll first saw it completed (null while it is not). */
    record Row(String state, String callClass, Integer talkSeconds, Integer ringSeconds, Long managerId,
               Instant endedAt, boolean incomplete, Instant seen) {}

    private final Connection connection;
    private final long siteId;
    private final Set<String> pending = ConcurrentHashMap.newKeySet();
    private final Map<String, Row> completed = new ConcurrentHashMap<>();
    private final ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "call-rows");
        t.setDaemon(true);
        return t;
    });
    private volatile String failure;

    CallRows(String jdbcUrl, long siteId) throws SQLException {
        this.connection = DriverManager.getConnection(jdbcUrl);
        this.siteId = siteId;
        poller.scheduleWithFixedDelay(this::poll, POLL_MS, POLL_MS, TimeUnit.MILLISECONDS);
    }

    /** Watch for the completed row of the call from {@code callerNumber}. */
    void expect(String callerNumber) {
        pending.add(callerNumber);
    }

    Optional<Row> completed(String callerNumber) {
        return Optional.ofNullable(completed.get(callerNumber));
    }

    boolean allCompleted(Collection<String> callerNumbers) {
        return completed.keySet().containsAll(callerNumbers);
    }

    /** The rows of calls not seen completed, as they are now; a call without a row is absent. */
    Map<String, Row> current(Collection<String> callerNumbers) throws SQLException {
        synchronized (connection) {
            return query("SELECT caller_number, state, class, talk_seconds, ring_seconds, manager_id, ended_at, incomplete"
                    + " FROM call WHERE site_id = ? AND caller_number = ANY (?)", List.copyOf(callerNumbers), null);
        }
    }

    private void poll() {
        if (pending.isEmpty()) return;
        try {
            Instant now = Instant.now();
            Map<String, Row> rows;
            synchronized (connection) {
                rows = query("SELECT caller_number, state, class, talk_seconds, ring_seconds, manager_id, ended_at,"
                        + " incomplete FROM call WHERE site_id = ? AND state = 'completed' AND caller_number = ANY (?)",
                        List.copyOf(pending), now);
            }
            rows.forEach((number, row) -> {
                completed.put(number, row);
                pending.remove(number);
            });
        } catch (SQLException e) {
            failure = e.toString();
        }
    }

    /** The last error of a poll, if any: the benchmark reports it rather than counting calls as missing silently. */
    Optional<String> failure() {
        return Optional.ofNullable(failure);
    }

    private Map<String, Row> query(String sql, List<String> numbers, Instant seen) throws SQLException {
        Map<String, Row> out = new HashMap<>();
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            Array array = connection.createArrayOf("text", numbers.toArray());
            ps.setLong(1, siteId);
            ps.setArray(2, array);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Timestamp ended = rs.getTimestamp(7);
                    long manager = rs.getLong(6);
                    Long managerId = rs.wasNull() ? null : manager;
                    int talk = rs.getInt(4);
                    Integer talkSeconds = rs.wasNull() ? null : talk;
                    int ring = rs.getInt(5);
                    Integer ringSeconds = rs.wasNull() ? null : ring;
                    out.put(rs.getString(1), new Row(rs.getString(2), rs.getString(3), talkSeconds, ringSeconds,
                            managerId, ended == null ? null : ended.toInstant(), rs.getBoolean(8), seen));
                }
            }
        }
        return out;
    }

    @Override
    public void close() throws SQLException {
        poller.shutdownNow();
        synchronized (connection) {
            connection.close();
        }
    }
}
