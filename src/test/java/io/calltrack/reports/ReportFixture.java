package io.calltrack.reports;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.UUID;
import javax.sql.DataSource;

/** Inserts sites, channels, numbers, sessions, leases and calls with plain SQL, as the tracking and call code would. */
public final class ReportFixture {
    private final DataSource ds;
    private int serial;

    public ReportFixture(DataSource ds) {
        this.ds = ds;
    }

    public long site(String timeZone) {
        return insertReturningId("INSERT INTO site (name, public_key, time_zone, fallback_number) VALUES (?, ?, ?, ?)",
                "site" + (++serial), "pk" + serial + UUID.randomUUID(), timeZone, "+12125550100");
    }

    public long channel(long siteId, String name, String tracking) {
        return insertReturningId("INSERT INTO channel (site_id, name, tracking) VALUES (?, ?, ?)", siteId, name, tracking);
    }

    public long number(long siteId, String e164, String kind, Long channelId) {
        return insertReturningId("INSERT INTO tracked_number (site_id, e164, kind, channel_id) VALUES (?, ?, ?, ?)",
                siteId, e164, kind, channelId);
    }

    public void cost(long siteId, long channelId, String campaign, String day, String amount) {
        execute("INSERT INTO ad_cost (site_id, channel_id, campaign, day, amount) VALUES (?, ?, ?, ?::date, ?)",
                siteId, channelId, campaign, day, new BigDecimal(amount));
    }

    public void lease(long numberId, UUID sessionId, String from, String until) {
        execute("INSERT INTO number_lease (number_id, session_id, leased_at, held_until) VALUES (?, ?, ?, ?)",
                numberId, sessionId, ts(from), ts(until));
    }

    public SessionBuilder session(long siteId) {
        return new SessionBuilder(siteId);
    }

    /** A manager in a department of its own, for calls that name who took them. */
    public long manager(long siteId, String name) {
        long department = insertReturningId("INSERT INTO department (site_id, name) VALUES (?, ?)", siteId,
                "department of " + name);
        return insertReturningId("INSERT INTO manager (department_id, name, dial_string) VALUES (?, ?, ?)",
                department, name, "PJSIP/" + name);
    }

    public CallBuilder call(long siteId) {
        return new CallBuilder(siteId);
    }

    /** The transcript of a call in {@code language}, its turns left empty: {@code text} is what search reads. */
    public void transcript(long callId, String language, String text) {
        execute("INSERT INTO transcript (call_id, language, turns, text, audio_seconds, transcribed_at) "
                + "VALUES (?, ?, '[]'::jsonb, ?, 60, now())", callId, language, text);
    }

    public final class SessionBuilder {
        private final long siteId;
        private Long channelId;
        private String campaign;
        private String keyword;
        private String landing;
        private Long numberId;
        private boolean noNumber;
        private boolean bot;
        private String clientId = "cid-" + UUID.randomUUID();
        private Instant started = Instant.parse("2026-03-01T12:00:00Z");
        private Instant lastSeen;
        private Instant lastTouchAt;
        private Long lastChannelId;
        private String lastCampaign;

        SessionBuilder(long siteId) {
            this.siteId = siteId;
        }

        public SessionBuilder channel(long id) { channelId = id; return this; }
        public SessionBuilder campaign(String c) { campaign = c; return this; }
        public SessionBuilder keyword(String k) { keyword = k; return this; }
        public SessionBuilder landing(String l) { landing = l; return this; }
        public SessionBuilder number(long id) { numberId = id; return this; }
        public SessionBuilder noNumber() { noNumber = true; return this; }
        public SessionBuilder bot() { bot = true; return this; }
        public SessionBuilder clientId(String c) { clientId = c; return this; }
        public SessionBuilder at(String start) { started = Instant.parse(start); return this; }
        public SessionBuilder lastSeen(String t) { lastSeen = Instant.parse(t); return this; }

        /** A later paid click of the visitor, {@code minutes} after the start: the session's last touch. */
        public SessionBuilder clickedLater(long channel, String campaign, int minutes) {
            lastChannelId = channel;
            lastCampaign = campaign;
            lastTouchAt = started.plusSeconds(60L * minutes);
            return this;
        }

        public UUID insert() {
            UUID id = UUID.randomUUID();
            execute("""
                    INSERT INTO visitor_session (id, site_id, channel_id, client_id, first_page, utm_campaign, utm_term,
                           number_id, no_number, is_bot, started_at, last_seen_at, last_touch_at, last_channel_id,
                           last_campaign)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                    id, siteId, channelId, clientId, landing, campaign, keyword, numberId, noNumber, bot,
                    Timestamp.from(started), Timestamp.from(lastSeen == null ? started.plusSeconds(60) : lastSeen),
                    lastTouchAt == null ? null : Timestamp.from(lastTouchAt), lastChannelId, lastCampaign);
            return id;
        }
    }

    public final class CallBuilder {
        private final long siteId;
        private Long channelId;
        private Long numberId;
        private UUID sessionId;
        private String attribution = "static";
        private String caller;
        private String campaign;
        private String keyword;
        private String landing;
        private String clientId;
        private String gaClientId;
        private String ymClientId;
        private String yclid;
        private Long firstChannelId;
        private String firstCampaign;
        private boolean firstTouchGiven;
        private boolean firstTime = true;
        private boolean repeat;
        private String state = "completed";
        private Instant started = Instant.parse("2026-03-01T12:00:00Z");
        private Integer ring;
        private Integer talk;
        private String callClass;
        private BigDecimal deal;
        private String recording;
        private String calledNumber = "+12125550199";
        private Long managerId;
        private boolean open;

        CallBuilder(long siteId) {
            this.siteId = siteId;
        }

        public CallBuilder channel(long id) { channelId = id; return this; }
        public CallBuilder number(long id) { numberId = id; return this; }
        public CallBuilder session(UUID id) { sessionId = id; return this; }
        public CallBuilder attribution(String a) { attribution = a; return this; }
        public CallBuilder caller(String c) { caller = c; return this; }
        public CallBuilder campaign(String c) { campaign = c; return this; }
        public CallBuilder keyword(String k) { keyword = k; return this; }
        public CallBuilder landing(String l) { landing = l; return this; }
        public CallBuilder clientId(String c) { clientId = c; return this; }
        public CallBuilder gaClientId(String c) { gaClientId = c; return this; }
        public CallBuilder ymClientId(String c) { ymClientId = c; return this; }
        public CallBuilder yclid(String c) { yclid = c; return this; }

        /** The visit's first touch, when it differs from the last (the call's channel and campaign). */
        public CallBuilder firstTouch(Long channel, String campaign) {
            firstChannelId = channel;
            firstCampaign = campaign;
            firstTouchGiven = true;
            return this;
        }
        public CallBuilder repeat() { repeat = true; firstTime = false; return this; }
        public CallBuilder state(String s) { state = s; return this; }
        public CallBuilder at(String start) { started = Instant.parse(start); return this; }
        public CallBuilder recording(String path) { recording = path; return this; }
        public CallBuilder deal(String amount) { deal = new BigDecimal(amount); return this; }
        public CallBuilder calledNumber(String e164) { calledNumber = e164; return this; }
        public CallBuilder manager(long id) { managerId = id; return this; }

        /** Still in progress: ringing, or talking since {@code answered} when given (no end, no class). */
        public CallBuilder inProgress(Integer ringSeconds) {
            open = true;
            state = ringSeconds == null ? "ringing" : "answered";
            ring = ringSeconds;
            talk = null;
            callClass = null;
            return this;
        }

        /** Answered after {@code ringSeconds}, talked {@code talkSeconds}, classified {@code callClass}. */
        public CallBuilder answered(int ringSeconds, int talkSeconds, String callClass) {
            ring = ringSeconds;
            talk = talkSeconds;
            this.callClass = callClass;
            return this;
        }

        public CallBuilder unanswered(int ringSeconds) {
            ring = ringSeconds;
            talk = null;
            callClass = "unanswered";
            return this;
        }

        public long insert() {
            Instant answered = talk == null && !(open && ring != null) ? null : started.plusSeconds(ring);
            Instant ended = open ? null : started.plusSeconds((ring == null ? 0 : ring) + (talk == null ? 0 : talk));
            // as calltrack writes a call: both touches always, the first equal to the last unless given
            return insertReturningId("""
                    INSERT INTO call (linkedid, site_id, number_id, called_number, caller_number, attribution, session_id,
                           channel_id, campaign, keyword, landing_page, client_id, first_time_caller, repeat_call,
                           recording_path, state, started_at, answered_at, ended_at, ring_seconds, talk_seconds, class, class_reason,
                           deal_amount, ga_client_id, ym_client_id, yclid, first_channel_id, first_campaign,
                           first_keyword, first_landing_page, manager_id)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,
                            ?, ?, ?, ?, ?, ?)""",
                    "linked-" + UUID.randomUUID(), siteId, numberId, calledNumber, caller, attribution, sessionId, channelId, campaign,
                    keyword, landing, clientId, firstTime, repeat, recording, state, Timestamp.from(started),
                    answered == null ? null : Timestamp.from(answered), ended == null ? null : Timestamp.from(ended), ring, talk, callClass,
                    callClass == null ? null : "classified " + callClass + " by the fixture", deal,
                    gaClientId, ymClientId, yclid, firstTouchGiven ? firstChannelId : channelId,
                    firstTouchGiven ? firstCampaign : campaign, keyword, landing, managerId);
        }
    }

    static Timestamp ts(String instant) {
        return Timestamp.from(Instant.parse(instant));
    }

    private long insertReturningId(String sql, Object... args) {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql + " RETURNING id")) {
            bind(ps, args);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    public void execute(String sql, Object... args) {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, args);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void bind(PreparedStatement ps, Object... args) throws SQLException {
        for (int i = 0; i < args.length; i++) ps.setObject(i + 1, args[i]);
    }
}
