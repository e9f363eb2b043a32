package io.calltrack.calls;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.calltrack.platform.db.Jdbc;
import io.calltrack.routing.RoutingRepository;
import io.calltrack.tracking.AnalyticsIds;
import io.calltrack.tracking.Attribution;
import io.calltrack.tracking.ClickIds;
import io.calltrack.tracking.CreditedVisit;
import io.calltrack.tracking.Touch;
import io.calltrack.tracking.Touches;
import io.calltrack.tracking.VisitorSession;
import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.OptionalInt;
import java.util.UUID;
import java.util.regex.Pattern;
import org.jdbi.v3.core.Handle;
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
    /** The owner of the managers: names who answered a call from the channel or contact that answered. */
    private final RoutingRepository routing;

    public CallRepository(Jdbc jdbc, ObjectMapper json, RoutingRepository routing) {
        this.jdbc = jdbc;
        this.json = json;
        this.routing = routing;
    }

    /** The caller's last call to the site before a time. */
    static final String LAST_CALL_BEFORE = """
            SELECT started_at, manager_id FROM call
             WHERE site_id = :site_id AND caller_number = :caller_number AND started_at < :started_at
             ORDER BY started_at DESC LIMIT 1""";

    /**
     * The caller's last call, and the call recorded with what it says (first-time unless the caller is anonymous or
     * called before, repeat when that call started at or after {@code repeat_since}). One statement: the lookup and
     * the insert are most of what recording a ringing call costs.
     */
    private static final String OPEN = "WITH prev AS (" + LAST_CALL_BEFORE + "),\n" + """
            opened AS (
                INSERT INTO call (linkedid, origin, started_at, site_id, number_id, called_number, caller_number,
                    attribution, session_id, client_id, ga_client_id, ym_client_id,
                    channel_id, channel_name, source, medium, campaign, keyword, landing_page, touch_at,
                    gclid, gbraid, wbraid, yclid, fbclid, msclkid,
                    first_channel_id, first_channel_name, first_source, first_medium, first_campaign, first_keyword,
                    first_landing_page, first_touch_at,
                    first_gclid, first_gbraid, first_wbraid, first_yclid, first_fbclid, first_msclkid,
                    first_time_caller, repeat_call, target_threshold_seconds)
                VALUES (:linkedid, :origin, :started_at, :site_id, :number_id, :called_number, :caller_number,
                    :attribution, :session_id, :client_id, :ga_client_id, :ym_client_id,
                    :channel_id, :channel_name, :source, :medium, :campaign, :keyword, :landing_page, :touch_at,
                    :gclid, :gbraid, :wbraid, :yclid, :fbclid, :msclkid,
                    :first_channel_id, :first_channel_name, :first_source, :first_medium, :first_campaign,
                    :first_keyword, :first_landing_page, :first_touch_at,
                    :first_gclid, :first_gbraid, :first_wbraid, :first_yclid, :first_fbclid, :first_msclkid,
                    :known_caller AND NOT EXISTS (SELECT 1 FROM prev),
                    EXISTS (SELECT 1 FROM prev WHERE started_at >= :repeat_since), :target_threshold_seconds)
                ON CONFLICT (linkedid) DO NOTHING
                RETURNING id, first_time_caller, repeat_call)
            SELECT id, first_time_caller, repeat_call, (SELECT manager_id FROM prev) AS last_manager_id FROM opened""";

    /** A Track ID keyed in after the call was recorded: the session it names takes over the call's attribution. */
    private static final String REATTRIBUTE = """
            UPDATE call SET attribution = :attribution, session_id = :session_id, client_id = :client_id,
                ga_client_id = :ga_client_id, ym_client_id = :ym_client_id,
                channel_id = :channel_id, channel_name = :channel_name, source = :source, medium = :medium,
                campaign = :campaign, keyword = :keyword, landing_page = :landing_page, touch_at = :touch_at,
                gclid = :gclid, gbraid = :gbraid, wbraid = :wbraid, yclid = :yclid, fbclid = :fbclid,
                msclkid = :msclkid,
                first_channel_id = :first_channel_id, first_channel_name = :first_channel_name,
                first_source = :first_source, first_medium = :first_medium, first_campaign = :first_campaign,
                first_keyword = :first_keyword, first_landing_page = :first_landing_page,
                first_touch_at = :first_touch_at, first_gclid = :first_gclid, first_gbraid = :first_gbraid,
                first_wbraid = :first_wbraid, first_yclid = :first_yclid, first_fbclid = :first_fbclid,
                first_msclkid = :first_msclkid
             WHERE id = :id""";

    /** The recorded call, and what the caller's earlier calls to its site said when it rang. */
    public record Opened(long callId, CallerHistory history) {}

    /**
     * Records the call with its caller's history (first-time, repeat within {@code repeatWindowDays}, who took the
     * last call). An anonymous caller (no caller number) is neither first-time nor repeat. A repeat of the same
     * linkedid returns the call already recorded (that row wins), with the history read again.
     */
    public Opened open(NewCall call, int repeatWindowDays) {
        Attribution.CalledNumber number = call.attribution().number();
        String caller = call.callerNumber().orElse(null);
        Instant repeatSince = call.startedAt().minus(repeatWindowDays, ChronoUnit.DAYS);
        return jdbc.withHandle(h -> {
            Optional<Opened> opened = h.createQuery(OPEN)
                    .bind("linkedid", call.linkedid())
                    .bind("origin", call.origin())
                    .bind("started_at", call.startedAt())
                    .bind("site_id", number.siteId().orElse(null))
                    .bind("number_id", number.numberId().orElse(null))
                    .bind("called_number", number.e164())
                    .bind("caller_number", caller)
                    .bindMap(snapshot(call.attribution()))
                    .bind("known_caller", caller != null)
                    .bind("repeat_since", repeatSince)
                    .bind("target_threshold_seconds", call.targetThresholdSeconds().isPresent()
                            ? call.targetThresholdSeconds().getAsInt() : null)
                    .map((rs, ctx) -> new Opened(rs.getLong("id"), new CallerHistory(rs.getBoolean("first_time_caller"),
                            rs.getBoolean("repeat_call"), optionalLong(rs, "last_manager_id"))))
                    .findOne();
            if (opened.isPresent()) return opened.get();
            long id = h.createQuery("SELECT id FROM call WHERE linkedid = :linkedid")
                    .bind("linkedid", call.linkedid()).mapTo(Long.class).one();
            CallerHistory history = caller == null ? CallerHistory.ANONYMOUS
                    : number.siteId().isEmpty() ? CallerHistory.FIRST_CALL
                    : CallerHistories.lastCall(h, number.siteId().get(), caller, call.startedAt(), repeatSince);
            return new Opened(id, history);
        });
    }

    /** Replaces the call's attribution snapshot (a Track ID keyed in after the call was recorded). */
    public void reattribute(long callId, Attribution a) {
        jdbc.withHandle(h -> h.createUpdate(REATTRIBUTE).bindMap(snapshot(a)).bind("id", callId).execute());
    }

    /** The named parameters of the attribution snapshot's columns: how, the visit's session, touches and ids. */
    private static Map<String, Object> snapshot(Attribution a) {
        CreditedVisit v = a.visit();
        Map<String, Object> m = new HashMap<>();
        m.put("attribution", a.kind().dbValue());
        m.put("session_id", v.sessionId().orElse(null));
        m.put("client_id", v.clientId().orElse(null));
        m.put("ga_client_id", v.analyticsIds().gaClientId().orElse(null));
        m.put("ym_client_id", v.analyticsIds().ymClientId().orElse(null));
        touch(m, "", v.touches().last());
        touch(m, "first_", v.touches().first());
        return m;
    }

    private static void touch(Map<String, Object> m, String prefix, Touch t) {
        m.put(prefix + "channel_id", t.channelId().orElse(null));
        m.put(prefix + "channel_name", t.channelName().orElse(null));
        m.put(prefix + "source", t.source().orElse(null));
        m.put(prefix + "medium", t.medium().orElse(null));
        m.put(prefix + "campaign", t.campaign().orElse(null));
        m.put(prefix + "keyword", t.keyword().orElse(null));
        m.put(prefix + "landing_page", t.landingPage().orElse(null));
        m.put(prefix + "touch_at", t.at().orElse(null));
        for (String name : ClickIds.NAMES) m.put(prefix + name, t.clickIds().get(name).orElse(null));
    }

    /** Sets (or, with null, clears) the deal amount of a call; false when there is no such call. */
    public boolean setDeal(long callId, BigDecimal amount) {
        return jdbc.withHandle(h -> h.createUpdate("UPDATE call SET deal_amount = :amount WHERE id = :id")
                .bind("amount", amount).bind("id", callId).execute()) == 1;
    }

    /** The user's note on a call; empty when it has none or there is no such call. */
    public Optional<String> note(long callId) {
        return jdbc.withHandle(h -> h.createQuery("SELECT note FROM call WHERE id = :id").bind("id", callId)
                .mapTo(String.class).findOne());
    }

    /** Sets (or, with null, clears) the note on a call; false when there is no such call. */
    public boolean setNote(long callId, String note) {
        return jdbc.withHandle(h -> h.createUpdate("UPDATE call SET note = :note WHERE id = :id")
                .bind("note", note).bind("id", callId).execute()) == 1;
    }

    /**
     * A SIP call was answered with a redirect: it ends when the PBX reports its outcome. One auto-committed statement
     * (it runs for every INVITE, after the routing decision's own three); a repeat changes nothing.
     */
    public void redirected(String linkedid, List<String> contacts, Instant at) {
        String detail = detailText(Map.of("contacts", contacts));
        jdbc.withHandle(h -> h.createUpdate("""
                        WITH redirected AS (
                            UPDATE call SET state = 'redirected' WHERE linkedid = :linkedid AND state = 'ringing'
                            RETURNING id)
                        INSERT INTO call_event (call_id, event_key, kind, occurred_at, detail)
                        SELECT id, 'redirected', 'redirected', :at, CAST(:detail AS jsonb) FROM redirected
                        ON CONFLICT (call_id, event_key) DO NOTHING""")
                .bind("linkedid", linkedid).bind("at", at).bind("detail", detail).execute());
    }

    /**
     * A call of {@code origin} by its linkedid: when it started and, once it is completed, the outcome it was given
     * (answered, talk and ring seconds), so a second report of the same call can be told from a contradicting one.
     */
    public record Reported(Instant startedAt, Optional<Outcome> outcome) {
        public record Outcome(boolean answered, int talkSeconds, int ringSeconds) {}
    }

    public Optional<Reported> reported(String linkedid, String origin) {
        return jdbc.withHandle(h -> h.createQuery("""
                        SELECT started_at, state, answered_at, talk_seconds, ring_seconds
                          FROM call WHERE linkedid = :linkedid AND origin = :origin""")
                .bind("linkedid", linkedid).bind("origin", origin)
                .map((rs, ctx) -> new Reported(rs.getTimestamp("started_at").toInstant(),
                        "completed".equals(rs.getString("state"))
                                ? Optional.of(new Reported.Outcome(rs.getTimestamp("answered_at") != null,
                                        rs.getInt("talk_seconds"), rs.getInt("ring_seconds")))
                                : Optional.empty()))
                .findOne());
    }

    public void setRecording(long callId, String path) {
        jdbc.withHandle(h -> setRecording(h, callId, path));
    }

    private static int setRecording(Handle h, long callId, String path) {
        return h.createUpdate("UPDATE call SET recording_path = :path WHERE id = :id")
                .bind("path", path).bind("id", callId).execute();
    }

    /**
     * What applying a signal did: the call it touched (empty when no call is known for it), whether it completed it,
     * and whether it changed the outcome of a call completed before (exact FastAGI facts arriving after AMI's end,
     * or a transferred call's real end).
     */
    public record Applied(Optional<Long> callId, Optional<CompletedCall> completed, boolean corrected) {
        static final Applied NO_CALL = new Applied(Optional.empty(), Optional.empty(), false);

        static Applied touched(long callId) {
            return new Applied(Optional.of(callId), Optional.empty(), false);
        }
    }

    /** Applies one lifecycle signal in one transaction; a signal already applied (same key) changes nothing. */
    public Applied apply(CallSignal s) {
        return jdbc.inHandleTransaction(h -> applyIn(h, s));
    }

    /**
     * Applies signals in order in one transaction (one commit for a burst of AMI events). If any fails, nothing of
     * the batch is written and the exception is thrown: the caller applies them one by one to find the bad one.
     */
    public List<Applied> applyAll(List<CallSignal> signals) {
        return jdbc.inHandleTransaction(h -> {
            List<Applied> out = new ArrayList<>(signals.size());
            for (CallSignal s : signals) out.add(applyIn(h, s));
            return out;
        });
    }

    private Applied applyIn(Handle h, CallSignal s) {
        Optional<CallRow> found = lockCall(h, s);
        if (found.isEmpty()) return Applied.NO_CALL;
        CallRow call = found.get();
        if (!insertEvent(h, call.id, s.key(), timelineKind(s), s.at(), detail(s))) return Applied.touched(call.id);
        switch (s.kind()) {
            case DIAL_END -> {
                if (s.dialStatus() == DialStatus.ANSWER) answer(h, call, s.at(), s.channel());
                else setDialStatus(h, call, s.dialStatus());
            }
            case DIALLED -> {
                return dialled(h, call, s);
            }
            case BRIDGED -> answer(h, call, s.at(), s.channel());
            case RECORDING -> setRecording(h, call.id, s.value());
            case ENDED -> {
                return end(h, call, s);
            }
            case CDR -> crossCheck(call, s);
            case DIAL_BEGIN, TRANSFER, OPENED -> { }
        }
        return Applied.touched(call.id);
    }

    /** The id of the newest call (0 when none): calls opened later are newer than a snapshot taken now. */
    public long newestCallId() {
        return jdbc.withHandle(h -> h.createQuery("SELECT coalesce(max(id), 0) FROM call").mapTo(Long.class).one());
    }

    /** Calls still ringing or talking with ids up to {@code upToId}: candidates for reconciliation. */
    public List<OpenCall> openCalls(long upToId) {
        return jdbc.withHandle(h -> h.createQuery("""
                        SELECT id, linkedid FROM call
                         WHERE state IN ('ringing', 'answered') AND origin = 'agi' AND id <= :up_to_id ORDER BY id""")
                .bind("up_to_id", upToId)
                .map((rs, ctx) -> new OpenCall(rs.getLong("id"), rs.getString("linkedid")))
                .list());
    }

    public record OpenCall(long id, String linkedid) {}

    /**
     * A call as re-classification reads it: what happened, the speech verdict and the class it was given.
     * {@code classified}: completed with a known class (not an outcome nobody saw, not a number of no site).
     */
    private record Classified(long id, boolean classified, boolean answered, int talkSeconds, int ringSeconds,
                              DialStatus dialStatus, OptionalInt threshold, Optional<SpeechVerdict> heard,
                              Optional<CallClass> callClass) {

        /** {@code threshold}: the one it was classified by, none for a call of no site (deleted since). */
        static final String COLUMNS = """
                id, state = 'completed' AND class IS NOT NULL AS classified, answered_at IS NOT NULL AS answered,
                talk_seconds, ring_seconds, dial_status,
                CASE WHEN site_id IS NOT NULL THEN target_threshold_seconds END AS threshold,
                speech_class, speech_reason, class""";

        static Classified read(ResultSet rs) throws SQLException {
            return new Classified(rs.getLong("id"), rs.getBoolean("classified"), rs.getBoolean("answered"),
                    rs.getInt("talk_seconds"), rs.getInt("ring_seconds"), DialStatus.of(rs.getString("dial_status")),
                    presentInt(rs, "threshold"), speechVerdict(rs),
                    CallClass.of(rs.getString("class")));
        }

        Classification by(int thresholdSeconds, Optional<SpeechVerdict> verdict) {
            return Classification.of(answered, talkSeconds, ringSeconds, dialStatus, thresholdSeconds, verdict);
        }
    }

    private static void setClass(Handle h, long callId, Classification k) {
        h.createUpdate("UPDATE call SET class = :class, class_reason = :class_reason WHERE id = :id")
                .bind("class", k.callClass().map(CallClass::value).orElse(null))
                .bind("class_reason", k.reason()).bind("id", callId).execute();
    }

    /**
     * Gives the site's calls its new threshold (calls still in progress are classified by it when they end) and
     * re-classifies its completed calls by it (an answered call with a speech verdict keeps the verdict's class);
     * returns the calls whose class changed.
     */
    public List<Long> reclassify(long siteId, int thresholdSeconds) {
        return jdbc.inHandleTransaction(h -> {
            List<Classified> completed = h.createQuery("SELECT " + Classified.COLUMNS + """
                             FROM call WHERE site_id = :site_id AND state = 'completed' AND class IS NOT NULL
                            FOR UPDATE""")
                    .bind("site_id", siteId).map((rs, ctx) -> Classified.read(rs)).list();
            List<Long> changed = new ArrayList<>();
            for (Classified c : completed) {
                Classification k = c.by(thresholdSeconds, c.heard());
                if (k.callClass().equals(c.callClass())) continue;
                setClass(h, c.id(), k);
                changed.add(c.id());
            }
            h.createUpdate("""
                            UPDATE call SET target_threshold_seconds = :threshold
                             WHERE site_id = :site_id AND target_threshold_seconds IS DISTINCT FROM :threshold""")
                    .bind("threshold", thresholdSeconds).bind("site_id", siteId).execute();
            return changed;
        });
    }

    /**
     * Stores what the speech rules made of the call ({@code verdict}; empty: no verdict) and classifies the call
     * again with it, by its site's threshold. A call whose outcome is unknown or that belongs to no site keeps its
     * (lack of) class, with the verdict stored. True when the call's class changed; false also when there is no such
     * call.
     */
    public boolean judgeBySpeech(long callId, Optional<SpeechVerdict> verdict) {
        return jdbc.inHandleTransaction(h -> {
            Optional<Classified> call = h.createQuery("SELECT " + Classified.COLUMNS + " FROM call WHERE id = :id FOR UPDATE")
                    .bind("id", callId).map((rs, ctx) -> Classified.read(rs)).findOne();
            if (call.isEmpty()) return false;
            h.createUpdate("UPDATE call SET speech_class = :class, speech_reason = :reason WHERE id = :id")
                    .bind("class", verdict.map(v -> v.callClass().value()).orElse(null))
                    .bind("reason", verdict.map(SpeechVerdict::reason).orElse(null)).bind("id", callId).execute();
            Classified c = call.get();
            if (!c.classified() || c.threshold().isEmpty()) return false;
            Classification k = c.by(c.threshold().getAsInt(), verdict);
            setClass(h, callId, k); // the reason too: a target by talk time may now be one by what was said
            return !k.callClass().equals(c.callClass());
        });
    }

    // ---- reads: the calls API, exports, deliveries ----

    /** The call's site, for authorising a request about it; empty when there is no such call or it has no site. */
    public Optional<Long> siteOf(long callId) {
        return jdbc.withHandle(h -> h.createQuery("SELECT site_id FROM call WHERE id = :id").bind("id", callId)
                .mapTo(Long.class).findOne());
    }

    /** A call of one visitor, as their session's page lists it ({@code class}, as the call log's filter names it). */
    public record VisitorCall(long id, Instant startedAt, @JsonProperty("class") Optional<CallClass> callClass) {}

    /**
     * The calls of a site credited to any session of the visitor {@code clientId} (calltrack's cookie), newest first,
     * at most {@code limit}: the visitor's history as the site saw it (a call no session explains is nobody's).
     */
    public List<VisitorCall> ofVisitor(long siteId, String clientId, int limit) {
        return jdbc.withHandle(h -> h.createQuery("""
                        SELECT c.id, c.started_at, c.class FROM call c
                          JOIN visitor_session s ON s.id = c.session_id
                         WHERE s.site_id = :siteId AND s.client_id = :clientId AND c.site_id = :siteId
                         ORDER BY c.started_at DESC, c.id DESC
                         LIMIT :limit""")
                .bind("siteId", siteId).bind("clientId", clientId).bind("limit", limit)
                .map((rs, ctx) -> new VisitorCall(rs.getLong("id"), rs.getTimestamp("started_at").toInstant(),
                        text(rs, "class").flatMap(CallClass::of)))
                .list());
    }

    public Optional<Call> find(long id) {
        return jdbc.withHandle(h -> h.createQuery("SELECT * FROM call WHERE id = :id").bind("id", id)
                .map((rs, ctx) -> call(rs)).findOne());
    }

    /** The completed calls of a site that started in [from, to), oldest first. */
    public List<Call> completed(long siteId, Instant from, Instant to) {
        return jdbc.withHandle(h -> h.createQuery("""
                        SELECT * FROM call
                         WHERE site_id = :site AND started_at >= :from AND started_at < :to AND state = 'completed'
                         ORDER BY started_at, id""")
                .bind("site", siteId).bind("from", from).bind("to", to).map((rs, ctx) -> call(rs)).list());
    }

    /** One entry of a call's timeline: what happened ({@code kind}) and when, with its details. */
    public record CallEvent(String eventKey, String kind, Instant occurredAt, JsonNode detail) {}

    public List<CallEvent> events(long callId) {
        return jdbc.withHandle(h -> h.createQuery("""
                        SELECT event_key, kind, occurred_at, detail::text AS detail FROM call_event
                         WHERE call_id = :call ORDER BY occurred_at, id""")
                .bind("call", callId)
                .map((rs, ctx) -> new CallEvent(rs.getString("event_key"), rs.getString("kind"),
                        rs.getTimestamp("occurred_at").toInstant(), detailJson(rs.getString("detail"))))
                .list());
    }

    private JsonNode detailJson(String detail) {
        try {
            return json.readTree(detail);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("call_event.detail is not JSON", e);
        }
    }

    /** The call of a row of {@code call} (all its columns); {@link CallLog} reads its rows with it too. */
    static Call call(ResultSet rs) throws SQLException {
        Optional<String> classReason = text(rs, "class_reason");
        Optional<Classification> classification = classReason.isEmpty() ? Optional.empty()
                : Optional.of(new Classification(text(rs, "class").map(c -> CallClass.of(c).orElseThrow()),
                        classReason.get()));
        Call.Outcome outcome = new Call.Outcome(optionalInt(rs, "ring_seconds"), optionalInt(rs, "talk_seconds"),
                optionalInstant(rs, "talk_ended_at"), text(rs, "dial_status").map(DialStatus::of), classification,
                rs.getBoolean("incomplete"), optionalInt(rs, "hangup_cause"), text(rs, "hangup_cause_text"));
        CreditedVisit visit = new CreditedVisit(Optional.ofNullable(rs.getObject("session_id", UUID.class)),
                new Touches(touch(rs, "first_"), touch(rs, "")), text(rs, "client_id"),
                new AnalyticsIds(text(rs, "ga_client_id"), text(rs, "ym_client_id")));
        return new Call(rs.getLong("id"), rs.getString("linkedid"), rs.getString("origin"),
                optionalLong(rs, "site_id"), optionalLong(rs, "number_id"), rs.getString("called_number"),
                text(rs, "caller_number"), Attribution.Kind.of(rs.getString("attribution")), visit,
                rs.getBoolean("first_time_caller"), rs.getBoolean("repeat_call"),
                Call.State.of(rs.getString("state")), rs.getTimestamp("started_at").toInstant(),
                optionalInstant(rs, "answered_at"), optionalInstant(rs, "ended_at"), optionalLong(rs, "manager_id"),
                outcome, text(rs, "recording_path"), Optional.ofNullable(rs.getBigDecimal("deal_amount")));
    }

    private static Touch touch(ResultSet rs, String prefix) throws SQLException {
        Map<String, String> ids = new HashMap<>();
        for (String name : ClickIds.NAMES) ids.put(name, rs.getString(prefix + name));
        return new Touch(optionalInstant(rs, prefix + "touch_at"), optionalLong(rs, prefix + "channel_id"),
                text(rs, prefix + "channel_name"),
                new VisitorSession.Utm(text(rs, prefix + "source"), text(rs, prefix + "medium"),
                        text(rs, prefix + "campaign"), text(rs, prefix + "keyword"), Optional.empty()),
                text(rs, prefix + "landing_page"), ClickIds.of(ids::get));
    }

    /** The verdict of columns {@code speech_class} and {@code speech_reason}. */
    private static Optional<SpeechVerdict> speechVerdict(ResultSet rs) throws SQLException {
        Optional<CallClass> heard = text(rs, "speech_class").flatMap(CallClass::of);
        return heard.isEmpty() ? Optional.empty() : Optional.of(new SpeechVerdict(heard.get(), rs.getString("speech_reason")));
    }

    private static Optional<String> text(ResultSet rs, String column) throws SQLException {
        return Optional.ofNullable(rs.getString(column));
    }

    private static Optional<Long> optionalLong(ResultSet rs, String column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? Optional.empty() : Optional.of(v);
    }

    private static Optional<Integer> optionalInt(ResultSet rs, String column) throws SQLException {
        int v = rs.getInt(column);
        return rs.wasNull() ? Optional.empty() : Optional.of(v);
    }

    private static OptionalInt presentInt(ResultSet rs, String column) throws SQLException {
        int v = rs.getInt(column);
        return rs.wasNull() ? OptionalInt.empty() : OptionalInt.of(v);
    }

    private static Optional<Instant> optionalInstant(ResultSet rs, String column) throws SQLException {
        Timestamp t = rs.getTimestamp(column);
        return t == null ? Optional.empty() : Optional.of(t.toInstant());
    }

    // ---- internals ----

    private static final class CallRow {
        long id;
        Long siteId;
        Instant startedAt;
        Instant answeredAt;
        Instant talkEndedAt;
        Instant endedAt;
        DialStatus dialStatus;
        String state;
        boolean transferred;
        boolean recorded;
        Integer talkSeconds;
        /** the outcome as stored when the row was locked: a correction that changes none of it is no news */
        CallOutcome stored;
        /** the site's target threshold; empty for a number of no site */
        OptionalInt threshold;
        /** what the speech rules made of the call, if they were applied and gave a verdict */
        Optional<SpeechVerdict> heard;

        boolean completed() {
            return "completed".equals(state);
        }
    }

    /** The call the signal is for, locked for this transaction; empty when no call is recorded for it. */
    private static Optional<CallRow> lockCall(Handle h, CallSignal s) {
        String where = s.callId() != null ? "id = :key" : "linkedid = :key";
        return h.createQuery("""
                        SELECT id, site_id, started_at, answered_at, talk_ended_at, ended_at, dial_status, state,
                               talk_seconds, ring_seconds, class, class_reason, incomplete, target_threshold_seconds,
                               speech_class, speech_reason, recording_path IS NOT NULL AS recorded,
                               EXISTS (SELECT 1 FROM call_event e WHERE e.call_id = call.id AND e.kind = 'transfer')
                                   AS transferred
                          FROM call WHERE %s FOR UPDATE""".formatted(where))
                .bind("key", s.callId() != null ? s.callId() : s.linkedid())
                .map((rs, ctx) -> callRow(rs))
                .findOne();
    }

    private static CallRow callRow(ResultSet rs) throws SQLException {
        CallRow r = new CallRow();
        r.id = rs.getLong("id");
        r.siteId = optionalLong(rs, "site_id").orElse(null);
        r.startedAt = rs.getTimestamp("started_at").toInstant();
        r.answeredAt = optionalInstant(rs, "answered_at").orElse(null);
        r.talkEndedAt = optionalInstant(rs, "talk_ended_at").orElse(null);
        r.endedAt = optionalInstant(rs, "ended_at").orElse(null);
        r.dialStatus = DialStatus.of(rs.getString("dial_status"));
        r.state = rs.getString("state");
        r.talkSeconds = optionalInt(rs, "talk_seconds").orElse(null);
        r.transferred = rs.getBoolean("transferred");
        r.recorded = rs.getBoolean("recorded");
        r.stored = new CallOutcome(r.endedAt, optionalInt(rs, "ring_seconds").orElse(null), r.talkSeconds,
                new Classification(text(rs, "class").flatMap(CallClass::of), rs.getString("class_reason")),
                rs.getBoolean("incomplete"));
        // a call whose site was deleted belongs to no site: nothing to judge it by
        r.threshold = r.siteId == null ? OptionalInt.empty() : presentInt(rs, "target_threshold_seconds");
        r.heard = speechVerdict(rs);
        return r;
    }

    /**
     * An answer seen by AMI (DialEnd ANSWER, a bridge): the first one wins, and a later bridge (transfer target) is
     * on the timeline but does not change who took the call. The FastAGI session's exact answer outranks it.
     */
    private void answer(Handle h, CallRow call, Instant seenAt, String channel) {
        if (call.answeredAt != null || call.completed()) return;
        Instant at = seenAt.isBefore(call.startedAt) ? call.startedAt : seenAt;
        setAnswered(h, call, at, null, channel, null, null);
    }

    /**
     * Stores who answered and when. {@code talkEndedAt} and {@code talkSeconds}: what the FastAGI session measured;
     * null from AMI, which keeps what the session stored. A completed call stays completed (exact facts arriving after
     * its end). The manager is the one named, else the one whose dial string (or SIP contact) answered, else the one
     * stored.
     */
    private void setAnswered(Handle h, CallRow call, Instant at, Long managerId, String channel,
                             Instant talkEndedAt, Integer talkSeconds) {
        if (talkEndedAt != null) {
            call.talkEndedAt = talkEndedAt;
            call.talkSeconds = talkSeconds;
        }
        call.answeredAt = at;
        call.dialStatus = DialStatus.ANSWER;
        Long manager = managerId != null ? managerId : managerAt(h, call, channel).orElse(null);
        h.createUpdate("""
                        UPDATE call SET state = :state, answered_at = :answered_at, dial_status = :dial_status,
                            talk_ended_at = :talk_ended_at, talk_seconds = :talk_seconds,
                            manager_id = coalesce(:manager_id, manager_id)
                         WHERE id = :id""")
                .bind("state", call.completed() ? "completed" : "answered")
                .bind("answered_at", at)
                .bind("dial_status", DialStatus.ANSWER.name())
                .bind("talk_ended_at", call.talkEndedAt)
                .bind("talk_seconds", call.talkSeconds)
                .bind("manager_id", manager)
                .bind("id", call.id)
                .execute();
    }

    /**
     * The call's site's manager that {@code channel} reached: an Asterisk channel names the dial string it came
     * from, a SIP outcome names the contact we sent. Empty for a call of no site.
     */
    private Optional<Long> managerAt(Handle h, CallRow call, String channel) {
        if (channel == null || call.siteId == null) return Optional.empty();
        return routing.managerReachedAt(h, call.siteId, CHANNEL_SUFFIX.matcher(channel).replaceFirst(""), channel);
    }

    /** The status the call is classified by, until it is answered or over: a CANCEL after the hangup changes nothing. */
    private static void setDialStatus(Handle h, CallRow call, DialStatus status) {
        if (call.answeredAt != null || call.completed()) return;
        call.dialStatus = status;
        h.createUpdate("UPDATE call SET dial_status = :dial_status WHERE id = :id")
                .bind("dial_status", status.name()).bind("id", call.id).execute();
    }

    /**
     * One dial attempt of the FastAGI session. An answer carries exact times: the bridge ended when Dial returned,
     * and began ANSWEREDTIME_MS before, unless something answered the caller before this Dial (then ANSWEREDTIME
     * counts from that earlier answer, and AMI's answer time, or at worst the dial's start, is the best known).
     */
    private Applied dialled(Handle h, CallRow call, CallSignal s) {
        CallSignal.Dialled d = s.dialled();
        if (d.status() != DialStatus.ANSWER) {
            setDialStatus(h, call, d.status());
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
        setAnswered(h, call, answeredAt.isBefore(call.startedAt) ? call.startedAt : answeredAt, d.managerId(),
                d.answeredBy(), s.at(), talk);
        if (!call.completed()) return Applied.touched(call.id);
        // AMI ended the call before these facts were written: settle it again with them
        return settle(h, call, CallOutcome.ended(facts(call), call.endedAt), true, null);
    }

    /**
     * The caller's hangup, seen by the FastAGI session or AMI, or inferred by reconciliation. The first end completes
     * the call; a later one only adds the hangup cause, unless the call was transferred: then the caller talked on
     * after the first bridge, and the last end counts.
     */
    private Applied end(Handle h, CallRow call, CallSignal s) {
        if (call.completed()) {
            if (s.cause() != null) {
                h.createUpdate("""
                                UPDATE call SET hangup_cause = :hangup_cause, hangup_cause_text = :hangup_cause_text
                                 WHERE id = :id AND hangup_cause IS NULL""")
                        .bind("hangup_cause", s.cause()).bind("hangup_cause_text", s.text()).bind("id", call.id)
                        .execute();
            }
            if (!s.incomplete() && call.transferred && call.endedAt != null && s.at().isAfter(call.endedAt)) {
                return settle(h, call, CallOutcome.ended(facts(call), s.at()), true, null);
            }
            return Applied.touched(call.id);
        }
        CallOutcome outcome = s.incomplete()
                ? CallOutcome.endedUnseen(facts(call), s.text())
                : CallOutcome.ended(facts(call), s.at());
        return settle(h, call, outcome, false, s);
    }

    private static CallOutcome.Facts facts(CallRow call) {
        boolean agiSawTalk = call.talkEndedAt != null && call.talkSeconds != null;
        return new CallOutcome.Facts(call.startedAt, Optional.ofNullable(call.answeredAt),
                agiSawTalk ? Optional.of(call.talkSeconds) : Optional.empty(),
                Optional.ofNullable(call.talkEndedAt), call.transferred, call.dialStatus, call.threshold, call.heard);
    }

    /**
     * Stores the outcome; {@code correction}: the call was completed before, and listeners hear of a change.
     * {@code end}: the signal that ended the call, whose hangup cause is stored with it (null for a correction).
     */
    private Applied settle(Handle h, CallRow call, CallOutcome o, boolean correction, CallSignal end) {
        if (correction && o.equals(call.stored)) return Applied.touched(call.id);
        Integer cause = end == null ? null : end.cause();
        h.createUpdate("""
                UPDATE call SET state = 'completed', ended_at = :ended_at, ring_seconds = :ring_seconds,
                    talk_seconds = :talk_seconds, class = :class, class_reason = :class_reason, incomplete = :incomplete,
                    hangup_cause = coalesce(:hangup_cause, hangup_cause),
                    hangup_cause_text = coalesce(:hangup_cause_text, hangup_cause_text)
                WHERE id = :id""")
                .bind("ended_at", o.endedAt())
                .bind("ring_seconds", o.ringSeconds())
                .bind("talk_seconds", o.talkSeconds())
                .bind("class", o.classification().callClass().map(CallClass::value).orElse(null))
                .bind("class_reason", o.classification().reason())
                .bind("incomplete", o.incomplete())
                .bind("hangup_cause", cause)
                .bind("hangup_cause_text", cause == null ? null : end.text())
                .bind("id", call.id)
                .execute();
        call.state = "completed";
        call.endedAt = o.endedAt();
        call.talkSeconds = o.talkSeconds();
        return correction ? new Applied(Optional.of(call.id), Optional.empty(), true)
                : new Applied(Optional.of(call.id),
                        Optional.of(new CompletedCall(call.id, Optional.ofNullable(call.siteId), call.recorded)), false);
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
            d.put("status", a.status());
            if (a.managerId() != null) d.put("managerId", a.managerId());
            if (a.talkMillis() != null) d.put("talkMs", a.talkMillis());
            if (a.answeredBy() != null) d.put("answeredBy", a.answeredBy());
            return d;
        }
        if (s.channel() != null) d.put("channel", s.channel());
        if (s.value() != null) d.put("value", s.value());
        if (s.dialStatus() != null) d.put("value", s.dialStatus()); // the timeline's name for DialEnd's status
        if (s.cause() != null) d.put("cause", s.cause());
        if (s.text() != null) d.put("text", s.text());
        if (s.incomplete()) d.put("incomplete", true);
        return d;
    }

    private boolean insertEvent(Handle h, long callId, String key, String kind, Instant at, Map<String, ?> detail) {
        return h.createUpdate("""
                        INSERT INTO call_event (call_id, event_key, kind, occurred_at, detail)
                        VALUES (:call_id, :event_key, :kind, :occurred_at, CAST(:detail AS jsonb))
                        ON CONFLICT (call_id, event_key) DO NOTHING""")
                .bind("call_id", callId).bind("event_key", key).bind("kind", kind).bind("occurred_at", at)
                .bind("detail", detailText(detail))
                .execute() == 1;
    }

    private String detailText(Map<String, ?> detail) {
        try {
            return json.writeValueAsString(detail);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException("event detail is not serialisable", e);
        }
    }

    // ---- personal data: recordings' retention, a caller's data erased on request ----

    /** A call's recording as stored ({@code recording_path}, relative to {@code recording.dir}). */
    public record StoredRecording(long callId, String path) {}

    /** Recordings of the site's calls that started before {@code before}, oldest first, at most {@code limit}. */
    public List<StoredRecording> recordingsBefore(long siteId, Instant before, int limit) {
        return jdbc.withHandle(h -> h.createQuery("""
                        SELECT id, recording_path FROM call
                         WHERE site_id = :site AND started_at < :before AND recording_path IS NOT NULL
                         ORDER BY started_at, id LIMIT :limit""")
                .bind("site", siteId).bind("before", before).bind("limit", limit)
                .map((rs, ctx) -> new StoredRecording(rs.getLong(1), rs.getString(2))).list());
    }

    /** Forgets the call's recording if it is still {@code path}; false when another instance did it first. */
    public boolean clearRecording(long callId, String path) {
        return jdbc.withHandle(h -> h.createUpdate(
                        "UPDATE call SET recording_path = NULL WHERE id = :id AND recording_path = :path")
                .bind("id", callId).bind("path", path).execute()) == 1;
    }

    /**
     * A caller's calls (on one site, or on all): their ids and recordings, and the visitor sessions they are credited
     * to that no other caller's call is.
     */
    public record CallerCalls(List<Long> callIds, List<StoredRecording> recordings, List<UUID> sessionIds) {}

    public CallerCalls callerCalls(String callerNumber, Optional<Long> siteId) {
        return jdbc.withHandle(h -> {
            List<Long> ids = new ArrayList<>();
            List<StoredRecording> recordings = new ArrayList<>();
            h.createQuery("""
                            SELECT id, recording_path FROM call
                             WHERE caller_number = :caller AND (CAST(:site AS bigint) IS NULL OR site_id = :site)""")
                    .bind("caller", callerNumber).bind("site", siteId.orElse(null))
                    .map((rs, ctx) -> new StoredRecording(rs.getLong(1), rs.getString(2)))
                    .forEach(r -> {
                        ids.add(r.callId());
                        if (r.path() != null) recordings.add(r);
                    });
            List<UUID> sessions = h.createQuery("""
                            SELECT DISTINCT session_id FROM call c
                             WHERE c.id = ANY(:ids) AND c.session_id IS NOT NULL
                               AND NOT EXISTS (SELECT 1 FROM call o WHERE o.session_id = c.session_id
                                                                      AND NOT o.id = ANY(:ids))""")
                    .bind("ids", ids.toArray(Long[]::new)).mapTo(UUID.class).list();
            return new CallerCalls(List.copyOf(ids), List.copyOf(recordings), sessions);
        });
    }

    /** Deletes calls for good, their timelines and jobs with them (foreign keys cascade). How many. */
    public int delete(List<Long> callIds) {
        if (callIds.isEmpty()) return 0;
        return jdbc.withHandle(h -> h.createUpdate("DELETE FROM call WHERE id = ANY(:ids)")
                .bind("ids", callIds.toArray(Long[]::new)).execute());
    }
}
