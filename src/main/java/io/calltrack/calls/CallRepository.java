package io.calltrack.calls;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.calltrack.db.Jdbc;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The call table and its event timeline. Every write is idempotent: a call is keyed by linkedid, an event by
 * (call, event key), so FastAGI, AMI and replays from the spool may all write the same facts twice.
 */
public final class CallRepository {
    private static final Logger log = LoggerFactory.getLogger(CallRepository.class);
    /**
     * Asterisk appends "-<hex sequence>" to the endpoint (and ";1"/";2" to Local channel halves):
     * PJSIP/101-0000002a is a channel of PJSIP/101, Local/101@agents-00000007;1 one of Local/101@agents.
     */
    private static final Pattern CHANNEL_SUFFIX = Pattern.compile("-[0-9a-fA-F]+(;[12])?$");

    private final Jdbc jdbc;
    private final ObjectMapper json;

    public CallRepository(Jdbc jdbc, ObjectMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    /** The caller's last call to the site before a time: {@code site_id, caller_number, started_at} parameters. */
    private static final String LAST_CALL_BEFORE = """
            SELECT started_at, manager_id FROM call
             WHERE site_id = ? AND caller_number = ? AND started_at < ?
             ORDER BY started_at DESC LIMIT 1""";

    /** The recorded call, and what the caller's earlier calls to its site said when it rang. */
    public record Opened(long callId, CallerHistory history) {}

    /**
     * Records the call with its caller's history (first-time, repeat within {@code repeatWindowDays}, who took the
     * last call) in one statement: the lookup and the insert are most of what recording a ringing call costs.
     * An anonymous caller (no caller number) is neither first-time nor repeat. A repeat of the same linkedid returns
     * the call already recorded (that row wins), with the history read again.
     */
    public Opened open(NewCall call, int repeatWindowDays) {
        return jdbc.withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement("""
                    WITH prev AS (%s),
                    opened AS (
                        INSERT INTO call (linkedid, site_id, number_id, called_number, caller_number, attribution,
                            session_id, %s, origin, started_at, first_time_caller, repeat_call)
                        SELECT ?,?,?,?,?,?,?,%s,?,?,
                               ? AND NOT EXISTS (SELECT 1 FROM prev),
                               EXISTS (SELECT 1 FROM prev WHERE started_at >= ?)
                        ON CONFLICT (linkedid) DO NOTHING
                        RETURNING id, first_time_caller, repeat_call)
                    SELECT id, first_time_caller, repeat_call, (SELECT manager_id FROM prev) FROM opened"""
                    .formatted(LAST_CALL_BEFORE, CallSnapshotColumns.NAMES, CallSnapshotColumns.PLACEHOLDERS))) {
                int i = 0;
                ps.setObject(++i, call.siteId(), Types.BIGINT);
                ps.setString(++i, call.callerNumber());
                ps.setTimestamp(++i, Timestamp.from(call.startedAt()));
                ps.setString(++i, call.linkedid());
                ps.setObject(++i, call.siteId(), Types.BIGINT);
                ps.setObject(++i, call.numberId(), Types.BIGINT);
                ps.setString(++i, call.calledNumber());
                ps.setString(++i, call.callerNumber());
                ps.setString(++i, call.attribution());
                ps.setObject(++i, call.sessionId());
                i = CallSnapshotColumns.bind(ps, i + 1, call) - 1;
                ps.setString(++i, call.origin() == null ? "agi" : call.origin());
                ps.setTimestamp(++i, Timestamp.from(call.startedAt()));
                ps.setBoolean(++i, call.callerNumber() != null);
                ps.setTimestamp(++i, Timestamp.from(call.startedAt().minus(repeatWindowDays, ChronoUnit.DAYS)));
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        return new Opened(rs.getLong(1), new CallerHistory(rs.getBoolean(2), rs.getBoolean(3),
                                optionalLong(rs, 4)));
                    }
                }
            }
            long id = idByLinkedid(c, call.linkedid()).orElseThrow();
            CallerHistory history = call.callerNumber() == null ? CallerHistory.ANONYMOUS
                    : call.siteId() == null ? CallerHistory.FIRST_CALL
                    : history(c, call.siteId(), call.callerNumber(), call.startedAt(), repeatWindowDays);
            return new Opened(id, history);
        });
    }

    /** The caller's past calls to this site before {@code at}: first-time, repeat within the window, last manager. */
    private static CallerHistory history(Connection c, long siteId, String callerE164, Instant at,
                                         int repeatWindowDays) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(LAST_CALL_BEFORE)) {
            ps.setLong(1, siteId);
            ps.setString(2, callerE164);
            ps.setTimestamp(3, Timestamp.from(at));
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) return CallerHistory.FIRST_CALL;
                Instant last = rs.getTimestamp(1).toInstant();
                boolean repeat = !last.isBefore(at.minus(repeatWindowDays, ChronoUnit.DAYS));
                return new CallerHistory(false, repeat, optionalLong(rs, 2));
            }
        }
    }

    /** The column as a long, empty when it is null (the last call's manager). */
    private static Optional<Long> optionalLong(ResultSet rs, int column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? Optional.empty() : Optional.of(v);
    }

    /** Replaces the call's attribution snapshot (a Track ID keyed in after the call was recorded). */
    public void reattribute(long callId, NewCall a) {
        jdbc.withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE call SET attribution = ?, session_id = ?, "
                    + CallSnapshotColumns.SET + " WHERE id = ?")) {
                ps.setString(1, a.attribution());
                ps.setObject(2, a.sessionId());
                ps.setLong(CallSnapshotColumns.bind(ps, 3, a), callId);
                return ps.executeUpdate();
            }
        });
    }

    /**
     * A SIP call was answered with a redirect: it ends when the PBX reports its outcome. One auto-committed statement
     * (it runs for every INVITE, after the routing decision's own three); a repeat changes nothing.
     */
    public void redirected(String linkedid, List<String> contacts, Instant at) {
        jdbc.withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement("""
                    WITH redirected AS (
                        UPDATE call SET state = 'redirected' WHERE linkedid = ? AND state = 'ringing' RETURNING id)
                    INSERT INTO call_event (call_id, event_key, kind, occurred_at, detail)
                    SELECT id, 'redirected', 'redirected', ?, ?::jsonb FROM redirected
                    ON CONFLICT (call_id, event_key) DO NOTHING""")) {
                ps.setString(1, linkedid);
                ps.setTimestamp(2, Timestamp.from(at));
                ps.setString(3, json.writeValueAsString(Map.of("contacts", contacts)));
                return ps.executeUpdate();
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IllegalArgumentException("event detail is not serialisable", e);
            }
        });
    }

    /**
     * A call of {@code origin} by its linkedid: when it started and, once it is completed, the outcome it was given
     * (answered, talk and ring seconds), so a second report of the same call can be told from a contradicting one.
     */
    public record Reported(Instant startedAt, Optional<Outcome> outcome) {
        public record Outcome(boolean answered, int talkSeconds, int ringSeconds) {}
    }

    public Optional<Reported> reported(String linkedid, String origin) {
        return jdbc.withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement("""
                    SELECT started_at, state = 'completed', answered_at IS NOT NULL, coalesce(talk_seconds, 0),
                           coalesce(ring_seconds, 0)
                    FROM call WHERE linkedid = ? AND origin = ?""")) {
                ps.setString(1, linkedid);
                ps.setString(2, origin);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) return Optional.empty();
                    Optional<Reported.Outcome> outcome = rs.getBoolean(2)
                            ? Optional.of(new Reported.Outcome(rs.getBoolean(3), rs.getInt(4), rs.getInt(5)))
                            : Optional.empty();
                    return Optional.of(new Reported(rs.getTimestamp(1).toInstant(), outcome));
                }
            }
        });
    }

    public void setRecording(long callId, String path) {
        jdbc.withConnection(c -> update(c, "UPDATE call SET recording_path = ? WHERE id = ?", path, callId));
    }

    /** Appends to the call's timeline; false when an event with this key was already there. */
    public boolean appendEvent(long callId, String eventKey, String kind, Instant at, Map<String, ?> detail) {
        return jdbc.withConnection(c -> insertEvent(c, callId, eventKey, kind, at, detail));
    }

    /**
     * What applying a signal did: the call it touched (empty when no call is known for it), whether it completed it,
     * and whether it changed the outcome of a call completed before (exact FastAGI facts arriving after AMI's end,
     * or a transferred call's real end).
     */
    public record Applied(Optional<Long> callId, boolean completed, boolean corrected) {
        static final Applied NO_CALL = new Applied(Optional.empty(), false, false);

        static Applied touched(long callId) {
            return new Applied(Optional.of(callId), false, false);
        }
    }

    /** Applies one lifecycle signal in one transaction; a signal already applied (same key) changes nothing. */
    public Applied apply(CallSignal s) {
        return jdbc.inTransaction(c -> applyIn(c, s));
    }

    /**
     * Applies signals in order in one transaction (one commit for a burst of AMI events). If any fails, nothing of
     * the batch is written and the exception is thrown: the caller applies them one by one to find the bad one.
     */
    public List<Applied> applyAll(List<CallSignal> signals) {
        return jdbc.inTransaction(c -> {
            List<Applied> out = new ArrayList<>(signals.size());
            for (CallSignal s : signals) out.add(applyIn(c, s));
            return out;
        });
    }

    private Applied applyIn(Connection c, CallSignal s) throws SQLException {
        Optional<CallRow> found = lockCall(c, s);
        if (found.isEmpty()) return Applied.NO_CALL;
        CallRow call = found.get();
        if (!insertEvent(c, call.id, s.key(), timelineKind(s), s.at(), detail(s))) return Applied.touched(call.id);
        switch (s.kind()) {
            case DIAL_END -> {
                if ("ANSWER".equals(s.value())) answer(c, call, s.at(), s.channel());
                else if (call.answeredAt == null && !call.completed()) {
                    // the status the call is classified by; a CANCEL after the caller's hangup must not change it
                    update(c, "UPDATE call SET dial_status = ? WHERE id = ?", s.value(), call.id);
                }
            }
            case DIALLED -> {
                return dialled(c, call, s);
            }
            case BRIDGED -> answer(c, call, s.at(), s.channel());
            case RECORDING -> update(c, "UPDATE call SET recording_path = ? WHERE id = ?", s.value(), call.id);
            case ENDED -> {
                return end(c, call, s);
            }
            case CDR -> crossCheck(call, s);
            case DIAL_BEGIN, TRANSFER, OPENED -> { }
        }
        return Applied.touched(call.id);
    }

    /** The id of the newest call (0 when none): calls opened later are newer than a snapshot taken now. */
    public long newestCallId() {
        return jdbc.withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT coalesce(max(id), 0) FROM call");
                 ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }

    /** Calls still ringing or talking with ids up to {@code upToId}: candidates for reconciliation. */
    public List<OpenCall> openCalls(long upToId) {
        return jdbc.withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT id, linkedid FROM call WHERE state IN ('ringing', 'answered') AND origin = 'agi' AND id <= ? ORDER BY id")) {
                ps.setLong(1, upToId);
                List<OpenCall> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) out.add(new OpenCall(rs.getLong(1), rs.getString(2)));
                }
                return out;
            }
        });
    }

    public record OpenCall(long id, String linkedid) {}

    /** Re-classifies the site's completed calls with its current threshold; returns the calls whose class changed. */
    public List<Long> reclassify(long siteId) {
        return jdbc.inTransaction(c -> {
            int threshold = threshold(c, siteId);
            List<Long> changed = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("""
                    SELECT id, answered_at IS NOT NULL, coalesce(talk_seconds, 0), coalesce(ring_seconds, 0), dial_status,
                           class, class_reason
                    FROM call WHERE site_id = ? AND state = 'completed' AND class IS NOT NULL FOR UPDATE""")) {
                ps.setLong(1, siteId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        Classification k = Classification.of(rs.getBoolean(2), rs.getInt(3), rs.getInt(4), DialStatus.of(rs.getString(5)), threshold);
                        if (!k.callClass().equals(rs.getString(6))) {
                            update(c, "UPDATE call SET class = ?, class_reason = ? WHERE id = ?", k.callClass(),
                                    k.reason(),
                                    rs.getLong(1));
                            changed.add(rs.getLong(1));
                        }
                    }
                }
            }
            return changed;
        });
    }

    // ---- reads for the calls API ----

    /** Filters of the calls list; null = any. Results are newest first, paged by id ({@code before} = the cursor). */
    public record CallFilter(Long siteId, Instant from, Instant to, String callClass, Long channelId, String campaign,
                             Long managerId, String caller) {}

    public List<Map<String, Object>> list(CallFilter f, int limit, Long before) {
        StringBuilder sql = new StringBuilder("SELECT * FROM call WHERE true");
        List<Object> args = new ArrayList<>();
        condition(sql, args, "site_id = ?", f.siteId());
        condition(sql, args, "started_at >= ?", f.from() == null ? null : Timestamp.from(f.from()));
        condition(sql, args, "started_at < ?", f.to() == null ? null : Timestamp.from(f.to()));
        condition(sql, args, "class = ?", f.callClass());
        condition(sql, args, "channel_id = ?", f.channelId());
        condition(sql, args, "campaign = ?", f.campaign());
        condition(sql, args, "manager_id = ?", f.managerId());
        condition(sql, args, "caller_number = ?", f.caller());
        condition(sql, args, "id < ?", before);
        sql.append(" ORDER BY id DESC LIMIT ").append(limit);
        return jdbc.withConnection(c -> rows(c, sql.toString(), args.toArray()));
    }

    public Optional<Map<String, Object>> find(long id) {
        return jdbc.withConnection(c -> rows(c, "SELECT * FROM call WHERE id = ?", id)).stream().findFirst();
    }

    public List<Map<String, Object>> events(long callId) {
        List<Map<String, Object>> events = jdbc.withConnection(c -> rows(c,
                "SELECT event_key, kind, occurred_at, detail::text AS detail FROM call_event WHERE call_id = ? ORDER BY occurred_at, id",
                callId));
        for (Map<String, Object> e : events) {
            try {
                e.put("detail", json.readTree((String) e.get("detail")));
            } catch (com.fasterxml.jackson.core.JsonProcessingException ex) {
                throw new IllegalStateException("call_event.detail is not JSON", ex);
            }
        }
        return events;
    }

    // ---- internals ----

    private static final class CallRow {
        long id;
        Long siteId;
        Instant startedAt;
        Instant answeredAt;
        Instant talkEndedAt;
        Instant endedAt;
        String dialStatus;
        String state;
        boolean transferred;
        Integer talkSeconds;
        /** the outcome as stored when the row was locked: a correction that changes none of it is no news */
        CallOutcome stored;
        /** the site's target threshold; empty for a number of no site */
        OptionalInt threshold;

        boolean completed() {
            return "completed".equals(state);
        }
    }

    private Optional<CallRow> lockCall(Connection c, CallSignal s) throws SQLException {
        String where = s.callId() != null ? "id = ?" : "linkedid = ?";
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT id, site_id, started_at, answered_at, talk_ended_at, ended_at, dial_status, state, talk_seconds,
                       EXISTS (SELECT 1 FROM call_event e WHERE e.call_id = call.id AND e.kind = 'transfer'),
                       ring_seconds, class, class_reason, incomplete,
                       (SELECT target_threshold_seconds FROM site WHERE id = call.site_id)
                FROM call WHERE %s FOR UPDATE""".formatted(where))) {
            if (s.callId() != null) ps.setLong(1, s.callId());
            else ps.setString(1, s.linkedid());
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) return Optional.empty();
                CallRow r = new CallRow();
                r.id = rs.getLong(1);
                long site = rs.getLong(2);
                r.siteId = rs.wasNull() ? null : site;
                r.startedAt = rs.getTimestamp(3).toInstant();
                r.answeredAt = instant(rs.getTimestamp(4));
                r.talkEndedAt = instant(rs.getTimestamp(5));
                r.endedAt = instant(rs.getTimestamp(6));
                r.dialStatus = rs.getString(7);
                r.state = rs.getString(8);
                int talk = rs.getInt(9);
                r.talkSeconds = rs.wasNull() ? null : talk;
                r.transferred = rs.getBoolean(10);
                int ring = rs.getInt(11);
                r.stored = new CallOutcome(r.endedAt, rs.wasNull() ? null : ring, r.talkSeconds,
                        new Classification(rs.getString(12), rs.getString(13)), rs.getBoolean(14));
                int threshold = rs.getInt(15);
                r.threshold = rs.wasNull() ? OptionalInt.empty() : OptionalInt.of(threshold);
                return Optional.of(r);
            }
        }
    }

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }

    /**
     * An answer seen by AMI (DialEnd ANSWER, a bridge): the first one wins, and a later bridge (transfer target) is
     * on the timeline but does not change who took the call. The FastAGI session's exact answer outranks it.
     */
    private void answer(Connection c, CallRow call, Instant seenAt, String channel) throws SQLException {
        if (call.answeredAt != null || call.completed()) return;
        Instant at = seenAt.isBefore(call.startedAt) ? call.startedAt : seenAt;
        setAnswered(c, call, at, null, channel, null, null);
    }

    /** {@code talkEndedAt} and {@code talkSeconds}: what the FastAGI session measured; null from AMI. */
    private void setAnswered(Connection c, CallRow call, Instant at, Long managerId, String channel,
                             Instant talkEndedAt, Integer talkSeconds) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                UPDATE call SET state = CASE WHEN state = 'completed' THEN state ELSE 'answered' END, answered_at = ?,
                    dial_status = 'ANSWER', talk_ended_at = coalesce(?, talk_ended_at),
                    talk_seconds = CASE WHEN ?::timestamptz IS NULL THEN talk_seconds ELSE ? END,
                    manager_id = coalesce(?, (SELECT m.id FROM manager m JOIN department d ON d.id = m.department_id
                                  WHERE d.site_id = ? AND (m.dial_string = ? OR m.sip_uri = ?) ORDER BY m.id LIMIT 1),
                                  manager_id)
                WHERE id = ?""")) {
            Timestamp talkEnd = talkEndedAt == null ? null : Timestamp.from(talkEndedAt);
            ps.setTimestamp(1, Timestamp.from(at));
            ps.setTimestamp(2, talkEnd);
            ps.setTimestamp(3, talkEnd);
            ps.setObject(4, talkSeconds, Types.INTEGER);
            ps.setObject(5, managerId, Types.BIGINT);
            ps.setObject(6, call.siteId, Types.BIGINT);
            // an Asterisk channel names the dial string it came from; a SIP outcome names the contact we sent
            ps.setString(7, channel == null ? null : CHANNEL_SUFFIX.matcher(channel).replaceFirst(""));
            ps.setString(8, channel);
            ps.setLong(9, call.id);
            ps.executeUpdate();
        }
        call.answeredAt = at;
        if (talkEndedAt != null) {
            call.talkEndedAt = talkEndedAt;
            call.talkSeconds = talkSeconds;
        }
    }

    /**
     * One dial attempt of the FastAGI session. An answer carries exact times: the bridge ended when Dial returned,
     * and began ANSWEREDTIME_MS before, unless something answered the caller before this Dial (then ANSWEREDTIME
     * counts from that earlier answer, and AMI's answer time, or at worst the dial's start, is the best known).
     */
    private Applied dialled(Connection c, CallRow call, CallSignal s) throws SQLException {
        CallSignal.Dialled d = s.dialled();
        if (d.status() != DialStatus.ANSWER) {
            if (call.answeredAt == null && !call.completed()) {
                update(c, "UPDATE call SET dial_status = ? WHERE id = ?", d.status().name(), call.id);
            }
            return Applied.touched(call.id);
        }
        Long talkMillis = d.talkMillis();
        Instant answeredAt;
        if (d.callerUpSince() != null) {
            // ANSWEREDTIME ran from that earlier answer: AMI's answer time splits ring from talk when it is there,
            // otherwise all of this Dial counts as talk (an upper bound, never more than the Dial lasted)
            Instant amiAnswer = call.answeredAt != null && !call.answeredAt.isBefore(d.dialledAt()) ? call.answeredAt : null;
            answeredAt = amiAnswer != null ? amiAnswer : d.dialledAt();
            talkMillis = Math.max(0, s.at().toEpochMilli() - answeredAt.toEpochMilli());
        } else if (talkMillis != null) {
            answeredAt = s.at().minusMillis(talkMillis);
        } else {
            answeredAt = call.answeredAt != null ? call.answeredAt : d.dialledAt();
        }
        Integer talk = talkMillis == null ? null : (int) (talkMillis / 1000);
        setAnswered(c, call, answeredAt.isBefore(call.startedAt) ? call.startedAt : answeredAt, d.managerId(),
                d.answeredBy(), s.at(), talk);
        if (!call.completed()) return Applied.touched(call.id);
        // AMI ended the call before these facts were written: settle it again with them
        return settle(c, call, CallOutcome.ended(facts(call), call.endedAt), true, null);
    }

    /**
     * The caller's hangup, seen by the FastAGI session or AMI, or inferred by reconciliation. The first end completes
     * the call; a later one only adds the hangup cause, unless the call was transferred: then the caller talked on
     * after the first bridge, and the last end counts.
     */
    private Applied end(Connection c, CallRow call, CallSignal s) throws SQLException {
        if (call.completed()) {
            if (s.cause() != null) {
                update(c, "UPDATE call SET hangup_cause = ?, hangup_cause_text = ? WHERE id = ? AND hangup_cause IS NULL",
                        s.cause(), s.text(), call.id);
            }
            if (!s.incomplete() && call.transferred && call.endedAt != null && s.at().isAfter(call.endedAt)) {
                return settle(c, call, CallOutcome.ended(facts(call), s.at()), true, null);
            }
            return Applied.touched(call.id);
        }
        CallOutcome outcome = s.incomplete()
                ? CallOutcome.endedUnseen(facts(call), s.text())
                : CallOutcome.ended(facts(call), s.at());
        return settle(c, call, outcome, false, s);
    }

    private static CallOutcome.Facts facts(CallRow call) {
        boolean agiSawTalk = call.talkEndedAt != null && call.talkSeconds != null;
        return new CallOutcome.Facts(call.startedAt, Optional.ofNullable(call.answeredAt),
                agiSawTalk ? Optional.of(call.talkSeconds) : Optional.empty(),
                Optional.ofNullable(call.talkEndedAt), call.transferred, DialStatus.of(call.dialStatus), call.threshold);
    }

    /**
     * Stores the outcome; {@code correction}: the call was completed before, and listeners hear of a change.
     * {@code end}: the signal that ended the call, whose hangup cause is stored with it (null for a correction).
     */
    private Applied settle(Connection c, CallRow call, CallOutcome o, boolean correction, CallSignal end)
            throws SQLException {
        if (correction && o.equals(call.stored)) return Applied.touched(call.id);
        try (PreparedStatement ps = c.prepareStatement("""
                UPDATE call SET state = 'completed', ended_at = ?, ring_seconds = ?, talk_seconds = ?, class = ?,
                    class_reason = ?, incomplete = ?, hangup_cause = coalesce(?, hangup_cause),
                    hangup_cause_text = coalesce(?, hangup_cause_text)
                WHERE id = ?""")) {
            ps.setTimestamp(1, o.endedAt() == null ? null : Timestamp.from(o.endedAt()));
            ps.setObject(2, o.ringSeconds(), Types.INTEGER);
            ps.setObject(3, o.talkSeconds(), Types.INTEGER);
            ps.setString(4, o.classification().callClass());
            ps.setString(5, o.classification().reason());
            ps.setBoolean(6, o.incomplete());
            ps.setObject(7, end == null ? null : end.cause(), Types.INTEGER);
            ps.setString(8, end == null || end.cause() == null ? null : end.text());
            ps.setLong(9, call.id);
            ps.executeUpdate();
        }
        call.state = "completed";
        call.endedAt = o.endedAt();
        call.talkSeconds = o.talkSeconds();
        return new Applied(Optional.of(call.id), !correction, correction);
    }

    /** Asterisk's billed seconds against ours: a difference is worth an admin's look, never silently "fixed". */
    private static void crossCheck(CallRow call, CallSignal cdr) {
        if (call.talkSeconds == null || cdr.value() == null || cdr.channel() == null || cdr.channel().isEmpty()) return;
        try {
            int billed = Integer.parseInt(cdr.value().trim());
            if (Math.abs(billed - call.talkSeconds) > 1) {
                log.info("call {}: Asterisk billed {} s to {} (Cdr), calltrack recorded {} s of talk", call.id, billed,
                        cdr.channel(), call.talkSeconds);
            }
        } catch (NumberFormatException notANumber) {
            log.debug("call {}: Cdr BillableSeconds '{}' is not a number", call.id, cdr.value());
        }
    }

    private static int threshold(Connection c, long siteId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT target_threshold_seconds FROM site WHERE id = ?")) {
            ps.setLong(1, siteId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getInt(1) : 0;
            }
        }
    }

    /** The timeline's name for the signal; a FastAGI dial attempt keeps the name the API has always shown. */
    private static String timelineKind(CallSignal s) {
        return s.kind() == CallSignal.Kind.DIALLED ? "routed" : s.kind().name().toLowerCase(Locale.ROOT);
    }

    private Map<String, Object> detail(CallSignal s) {
        Map<String, Object> d = new LinkedHashMap<>();
        if (s.dialled() != null) {
            CallSignal.Dialled a = s.dialled();
            d.put("attempt", a.attempt());
            d.put("destination", a.destination());
            d.put("status", a.status().name());
            if (a.managerId() != null) d.put("manager_id", a.managerId());
            if (a.talkMillis() != null) d.put("talk_ms", a.talkMillis());
            if (a.answeredBy() != null) d.put("answered_by", a.answeredBy());
            return d;
        }
        if (s.channel() != null) d.put("channel", s.channel());
        if (s.value() != null) d.put("value", s.value());
        if (s.cause() != null) d.put("cause", s.cause());
        if (s.text() != null) d.put("text", s.text());
        if (s.incomplete()) d.put("incomplete", true);
        return d;
    }

    private boolean insertEvent(Connection c, long callId, String key, String kind, Instant at, Map<String, ?> detail)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                INSERT INTO call_event (call_id, event_key, kind, occurred_at, detail) VALUES (?,?,?,?,?::jsonb)
                ON CONFLICT (call_id, event_key) DO NOTHING""")) {
            ps.setLong(1, callId);
            ps.setString(2, key);
            ps.setString(3, kind);
            ps.setTimestamp(4, Timestamp.from(at));
            ps.setString(5, json.writeValueAsString(detail));
            return ps.executeUpdate() == 1;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException("event detail is not serialisable", e);
        }
    }

    private static Optional<Long> idByLinkedid(Connection c, String linkedid) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT id FROM call WHERE linkedid = ?")) {
            ps.setString(1, linkedid);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getLong(1)) : Optional.empty();
            }
        }
    }

    private static int update(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) ps.setObject(i + 1, args[i]);
            return ps.executeUpdate();
        }
    }

    private static void condition(StringBuilder sql, List<Object> args, String condition, Object value) {
        if (value == null) return;
        sql.append(" AND ").append(condition);
        args.add(value);
    }

    private static List<Map<String, Object>> rows(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) ps.setObject(i + 1, args[i]);
            try (ResultSet rs = ps.executeQuery()) {
                ResultSetMetaData md = rs.getMetaData();
                List<Map<String, Object>> out = new ArrayList<>();
                while (rs.next()) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    for (int i = 1; i <= md.getColumnCount(); i++) {
                        Object v = rs.getObject(i);
                        if (v instanceof Timestamp t) v = t.toInstant();
                        row.put(md.getColumnLabel(i), v);
                    }
                    out.add(row);
                }
                return out;
            }
        }
    }
}
