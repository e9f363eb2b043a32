package io.calltrack.reports.delivery;

import io.calltrack.db.Jdbc;
import io.calltrack.calls.Call;
import io.calltrack.calls.CallRepository;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The durable outbox (table outbox): every outgoing delivery is a row before anything is sent, so a receiver
 * that is down, or a restart, loses nothing. Rows are claimed with FOR UPDATE SKIP LOCKED, so two instances
 * never send the same row at once, and a delivered row is never picked again.
 */
public final class Outbox {
    private static final Logger log = LoggerFactory.getLogger(Outbox.class);
    /** The state of a delivery not made because the call carries no id the target could match. */
    static final String NOT_MATCHABLE = "not_matchable";

    private final Jdbc jdbc;
    private final CallRepository calls;
    private final MeterRegistry metrics;
    private final Clock clock;

    public Outbox(Jdbc jdbc, CallRepository calls, MeterRegistry metrics, Clock clock) {
        this.jdbc = jdbc;
        this.calls = calls;
        this.metrics = metrics;
        this.clock = clock;
    }

    /** Which deliveries the site of a call has configured. */
    private record Targets(long siteId, boolean webhook, boolean metrica, boolean ga4) {}

    /** One outbox row to write: pending, or a record that the target could not match the call. */
    private record Queued(String kind, String state, String reason) {}

    /**
     * Enqueues the call's deliveries for {@code event}: the webhook when the site has one, and on
     * {@code call.completed} the analytics conversions (Metrica, GA4) when configured. A call with no id the
     * analytics target can match ({@link AnalyticsMatch}) is not sent there: it is recorded as not matchable
     * instead (state {@code not_matchable}, counted by {@code calltrack_calls_not_matchable_total}).
     * Returns how many deliveries were queued to be sent.
     */
    public int enqueueForCall(long callId, String event) {
        Optional<Targets> configured = targets(callId);
        if (configured.isEmpty()) return 0;
        Targets t = configured.get();
        List<Queued> rows = new ArrayList<>();
        if (t.webhook()) rows.add(new Queued("webhook", "pending", null));
        if (WebhookEvents.COMPLETED.equals(event) && (t.metrica() || t.ga4())) {
            Optional<Call> call = calls.find(callId);
            if (call.isPresent()) {
                if (t.metrica()) rows.add(analytics("metrica", AnalyticsMatch.metrica(call.get()).isPresent(),
                        AnalyticsMatch.METRICA_UNMATCHABLE));
                if (t.ga4()) rows.add(analytics("ga4", AnalyticsMatch.ga4(call.get()).isPresent(),
                        AnalyticsMatch.GA4_UNMATCHABLE));
            }
        }
        if (rows.isEmpty()) return 0;
        insert(t.siteId(), callId, event, rows);
        for (Queued q : rows) {
            if (!q.state().equals(NOT_MATCHABLE)) continue;
            Counter.builder("calltrack.calls.not.matchable")
                    .description("completed calls not sent to an analytics target: no visitor id it can match")
                    .tag("site", Long.toString(t.siteId())).tag("target", q.kind()).register(metrics).increment();
        }
        return (int) rows.stream().filter(q -> q.state().equals("pending")).count();
    }

    private static Queued analytics(String kind, boolean matchable, String reason) {
        return matchable ? new Queued(kind, "pending", null) : new Queued(kind, NOT_MATCHABLE, reason);
    }

    private Optional<Targets> targets(long callId) {
        return jdbc.withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement("""
                    SELECT c.site_id, d.webhook_url IS NOT NULL, d.metrica_url IS NOT NULL, d.ga4_url IS NOT NULL
                      FROM call c JOIN site_delivery_settings d ON d.site_id = c.site_id WHERE c.id = ?""")) {
                ps.setLong(1, callId);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(new Targets(rs.getLong(1), rs.getBoolean(2), rs.getBoolean(3),
                            rs.getBoolean(4))) : Optional.empty();
                }
            }
        });
    }

    private void insert(long siteId, long callId, String event, List<Queued> rows) {
        Timestamp now = Timestamp.from(clock.instant());
        String values = String.join(", ", Collections.nCopies(rows.size(), "(?, ?, ?, ?, ?, ?, ?, ?)"));
        jdbc.withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO outbox (site_id, call_id, kind, event, state, "
                    + "created_at, next_attempt_at, last_error) VALUES " + values)) {
                int i = 0;
                for (Queued q : rows) {
                    ps.setLong(++i, siteId);
                    ps.setLong(++i, callId);
                    ps.setString(++i, q.kind());
                    ps.setString(++i, event);
                    ps.setString(++i, q.state());
                    ps.setTimestamp(++i, now);
                    ps.setTimestamp(++i, now);
                    ps.setString(++i, q.reason());
                }
                return ps.executeUpdate();
            }
        });
    }

    /** How a site's deliveries stand: per target (webhook, metrica, ga4), the number of rows in each state. */
    public Map<String, Map<String, Long>> status(long siteId) {
        return jdbc.withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT kind, state, count(*) FROM outbox WHERE site_id = ? GROUP BY kind, state")) {
                ps.setLong(1, siteId);
                Map<String, Map<String, Long>> out = new TreeMap<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.computeIfAbsent(rs.getString(1), k -> new TreeMap<>())
                                .put(rs.getString(2), rs.getLong(3));
                    }
                }
                return out;
            }
        });
    }

    /** What one attempt came to. */
    public sealed interface Outcome {
        record Delivered() implements Outcome {}

        /** Worth retrying later (5xx, 429, timeout, connection refused). */
        record Retry(String error) implements Outcome {}

        /** Will never succeed as it is (4xx, call gone, settings removed): straight to the dead letters. */
        record Permanent(String error) implements Outcome {}
    }

    @FunctionalInterface
    public interface Sender {
        Outcome send(OutboxEntry entry);
    }

    /**
     * Claims one due row, sends it while holding its row lock, records the outcome, commits. Empty when nothing
     * is due (or every due row is being sent by another worker).
     */
    public Optional<Outcome> deliverNext(Sender sender, OutboxPolicy policy) {
        Instant now = clock.instant();
        return jdbc.inTransaction(c -> {
            Optional<OutboxEntry> due = claimDue(c, now);
            if (due.isEmpty()) return Optional.empty();
            OutboxEntry e = due.get();
            Outcome outcome = sender.send(e);
            record(c, e, outcome, policy, clock.instant());
            return Optional.of(outcome);
        });
    }

    private static Optional<OutboxEntry> claimDue(Connection c, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(SELECT
                + " WHERE state = 'pending' AND next_attempt_at <= ? ORDER BY next_attempt_at, id LIMIT 1"
                + " FOR UPDATE SKIP LOCKED")) {
            ps.setTimestamp(1, Timestamp.from(now));
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(read(rs)) : Optional.empty();
            }
        }
    }

    private static void record(Connection c, OutboxEntry e, Outcome outcome, OutboxPolicy policy, Instant now)
            throws SQLException {
        int attempts = e.attempts() + 1;
        String state;
        Instant next = e.nextAttemptAt();
        String error = null;
        if (outcome instanceof Outcome.Delivered) {
            state = "delivered";
        } else if (outcome instanceof Outcome.Permanent p) {
            state = "dead";
            error = p.error();
        } else {
            error = ((Outcome.Retry) outcome).error();
            next = now.plus(policy.backoffAfter(attempts));
            boolean tooOld = next.isAfter(e.createdAt().plus(policy.maxAge()));
            state = attempts >= policy.maxAttempts() || tooOld ? "dead" : "pending";
        }
        if (state.equals("dead")) {
            log.warn("{} {} for call {} (site {}) gave up after {} attempt(s): {}; re-send with POST /v1/outbox/{}/resend",
                    e.kind(), e.event(), e.callId(), e.siteId(), attempts, error, e.id());
        } else if (error != null) {
            log.info("{} {} for call {} failed (attempt {}): {}; next try at {}", e.kind(), e.event(), e.callId(),
                    attempts, error, next);
        }
        try (PreparedStatement ps = c.prepareStatement("""
                UPDATE outbox SET state = ?, attempts = ?, next_attempt_at = ?, last_error = ?, delivered_at = ?
                 WHERE id = ?""")) {
            ps.setString(1, state);
            ps.setInt(2, attempts);
            ps.setTimestamp(3, Timestamp.from(next));
            ps.setString(4, error);
            ps.setTimestamp(5, state.equals("delivered") ? Timestamp.from(now) : null);
            ps.setLong(6, e.id());
            ps.executeUpdate();
        }
    }

    /**
     * Forgets deliveries that succeeded, and the records of calls no analytics target could match, from before
     * {@code keep} ago; returns how many. Dead letters stay.
     */
    public int purgeDelivered(Duration keep) {
        Timestamp cutoff = Timestamp.from(clock.instant().minus(keep));
        return jdbc.withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "DELETE FROM outbox WHERE state = 'delivered' AND delivered_at < ?");
                 PreparedStatement unmatched = c.prepareStatement(
                    "DELETE FROM outbox WHERE state = 'not_matchable' AND created_at < ?")) {
                ps.setTimestamp(1, cutoff);
                unmatched.setTimestamp(1, cutoff);
                return ps.executeUpdate() + unmatched.executeUpdate();
            }
        });
    }

    /** A site's dead letters, newest first. */
    public List<OutboxEntry> deadLetters(long siteId, int limit) {
        return jdbc.withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement(SELECT
                    + " WHERE state = 'dead' AND site_id = ? ORDER BY id DESC LIMIT ?")) {
                ps.setLong(1, siteId);
                ps.setInt(2, limit);
                List<OutboxEntry> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) out.add(read(rs));
                }
                return out;
            }
        });
    }

    public Optional<OutboxEntry> find(long id) {
        return jdbc.withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement(SELECT + " WHERE id = ?")) {
                ps.setLong(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(read(rs)) : Optional.empty();
                }
            }
        });
    }

    /** Puts a dead letter back in the queue as if new (fresh attempt count and age). False if it is not dead. */
    public boolean resend(long id) {
        Instant now = clock.instant();
        return jdbc.withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement("""
                    UPDATE outbox SET state = 'pending', attempts = 0, created_at = ?, next_attempt_at = ?
                     WHERE id = ? AND state = 'dead'""")) {
                ps.setTimestamp(1, Timestamp.from(now));
                ps.setTimestamp(2, Timestamp.from(now));
                ps.setLong(3, id);
                return ps.executeUpdate() == 1;
            }
        });
    }

    private static final String SELECT = """
            SELECT id, site_id, call_id, kind, event, state, attempts, created_at, next_attempt_at, delivered_at,
                   last_error FROM outbox""";

    private static OutboxEntry read(ResultSet rs) throws SQLException {
        return new OutboxEntry(rs.getLong("id"), (Long) rs.getObject("site_id"), (Long) rs.getObject("call_id"),
                rs.getString("kind"), rs.getString("event"), rs.getString("state"), rs.getInt("attempts"),
                ts(rs, "created_at"), ts(rs, "next_attempt_at"), ts(rs, "delivered_at"), rs.getString("last_error"));
    }

    private static Instant ts(ResultSet rs, String col) throws SQLException {
        Timestamp t = rs.getTimestamp(col);
        return t == null ? null : t.toInstant();
    }
}
