package io.calltrack.tracking;

import io.calltrack.platform.db.Jdbc;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.Query;
import org.jdbi.v3.core.statement.Update;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts, resumes, keeps alive and ends visitor sessions, and decides which number each visitor is shown:
 * a static channel's own number, a leased pool number, or the site's fallback number (bots, exhausted pool).
 * Time comes from the injected clock so hold-time behaviour is testable without waiting.
 */
public final class VisitorSessions {
    private static final Logger log = LoggerFactory.getLogger(VisitorSessions.class);
    /**
     * The end of both touch statements: extends the hold of the number the {@code touched} session still holds, in
     * the lease history too, and answers the session with it.
     */
    private static final String KEEP_NUMBER = """
            kept AS (
                UPDATE tracked_number t
                   SET held_until = CASE WHEN s.seen THEN :seenUntil::timestamptz ELSE :unseenUntil::timestamptz END
                  FROM touched s
                 WHERE t.id = s.number_id AND t.held_by = s.id AND t.held_until > :now
                RETURNING t.id, t.e164, t.held_until),
            history AS (
                UPDATE number_lease SET held_until = kept.held_until FROM kept
                 WHERE number_lease.id = (SELECT max(l.id) FROM number_lease l, touched s
                                           WHERE l.number_id = kept.id AND l.session_id = s.id))
            SELECT touched.*, kept.e164 AS kept_e164, kept.held_until AS kept_until
              FROM touched LEFT JOIN kept ON true""";

    /**
     * Touch-and-extend ({@link #touchSession}): marks the client's latest live session seen now, noting what the page
     * reported (a value not reported keeps the stored one; the first heartbeat's time once), and returns the columns
     * the number decision needs and the session's touches. {@code kept} moves the session's hold on its pool number
     * to {@code seenUntil} or {@code unseenUntil}, if it still holds it, along with the history row; no row when the
     * lease had run out (the number may already be someone else's).
     */
    private static final String TOUCH_BY_CLIENT = """
            WITH touched AS (
                UPDATE visitor_session
                   SET last_seen_at = :now, ended_at = NULL, current_page = coalesce(:page, current_page),
                       ga_client_id = coalesce(:gaClientId, ga_client_id),
                       ym_client_id = coalesce(:ymClientId, ym_client_id),
                       first_heartbeat_at = coalesce(first_heartbeat_at, :heartbeatAt::timestamptz)
                 WHERE id = (SELECT s.id FROM visitor_session s
                              WHERE s.site_id = :siteId AND s.client_id = :clientId AND s.last_seen_at > :liveAfter
                              ORDER BY s.last_seen_at DESC LIMIT 1)
                RETURNING id, number_id, is_bot, track_id, first_heartbeat_at IS NOT NULL AS seen,
                          (SELECT ch.id FROM channel ch
                            WHERE ch.id = visitor_session.channel_id AND ch.tracking = 'static') AS static_channel_id,
                          started_at, channel_id, utm_source, utm_medium, utm_campaign, utm_term, utm_content,
                          first_page, gclid, gbraid, wbraid, yclid, fbclid, msclkid,
                          last_touch_at, last_channel_id, last_source, last_medium, last_campaign, last_term,
                          last_content, last_page, last_gclid, last_gbraid, last_wbraid, last_yclid, last_fbclid,
                          last_msclkid),
            """ + KEEP_NUMBER;
    /** {@link #TOUCH_BY_CLIENT} for the live session with the id {@code :id}, without its touches. */
    private static final String TOUCH_BY_ID = """
            WITH touched AS (
                UPDATE visitor_session
                   SET last_seen_at = :now, ended_at = NULL, current_page = coalesce(:page, current_page),
                       ga_client_id = coalesce(:gaClientId, ga_client_id),
                       ym_client_id = coalesce(:ymClientId, ym_client_id),
                       first_heartbeat_at = coalesce(first_heartbeat_at, :heartbeatAt::timestamptz)
                 WHERE id = (SELECT s.id FROM visitor_session s
                              WHERE s.site_id = :siteId AND s.id = :id AND s.last_seen_at > :liveAfter)
                RETURNING id, number_id, is_bot, track_id, first_heartbeat_at IS NOT NULL AS seen,
                          (SELECT ch.id FROM channel ch
                            WHERE ch.id = visitor_session.channel_id AND ch.tracking = 'static') AS static_channel_id),
            """ + KEEP_NUMBER;
    /** Creates a session ({@link #insert}); the claiming one only if its Track ID is free. */
    private static final String INSERT = """
            INSERT INTO visitor_session (id, site_id, channel_id, client_id, first_page, current_page, referrer,
                utm_source, utm_medium, utm_campaign, utm_term, utm_content, user_agent, ip, track_id, is_bot,
                started_at, last_seen_at, number_id, no_number, gclid, gbraid, wbraid, yclid, fbclid, msclkid,
                ga_client_id, ym_client_id)
            SELECT :id::uuid, :site_id::bigint, :channel_id::bigint, :client_id, :page, :page, :referrer,
                :utm_source, :utm_medium, :utm_campaign, :utm_term, :utm_content, :user_agent, :ip, :track_id,
                :is_bot::boolean, :now::timestamptz, :now::timestamptz, :number_id::bigint, :no_number::boolean,
                :gclid, :gbraid, :wbraid, :yclid, :fbclid, :msclkid, :ga_client_id, :ym_client_id""";
    /** A returning visitor's new paid click becomes the session's last touch ({@link #reattribute}). */
    private static final String SET_LAST_TOUCH = """
            UPDATE visitor_session
               SET last_touch_at = :at, last_channel_id = :channelId, last_source = :source, last_medium = :medium,
                   last_campaign = :campaign, last_term = :term, last_content = :content, last_page = :page,
                   last_gclid = :gclid, last_gbraid = :gbraid, last_wbraid = :wbraid, last_yclid = :yclid,
                   last_fbclid = :fbclid, last_msclkid = :msclkid
             WHERE id = :id""";
    /**
     * The claiming insert gives the session its Track ID only if the code is free: it locks the code for the
     * transaction and checks that no live session (seen after {@code live_after}) holds it.
     */
    private static final String INSERT_CLAIMING = INSERT + """

             WHERE pg_try_advisory_xact_lock(hashtextextended('calltrack.trackid:' || :site_id || ':' || :track_id, 0))
               AND NOT EXISTS (SELECT 1 FROM visitor_session
                                WHERE site_id = :site_id AND track_id = :track_id AND last_seen_at > :live_after)""";

    /**
     * What the visitor's page reports when it loads: {@code utm} and {@code clickIds} come from its URL,
     * {@code analyticsIds} from the analytics tags' cookies.
     */
    public record Visit(String clientId, Optional<String> page, Optional<String> referrer, VisitorSession.Utm utm,
                        ClickIds clickIds, AnalyticsIds analyticsIds, Optional<String> userAgent, Optional<String> ip) {
        Touch arrival(Instant at) {
            return Touch.arrival(at, page, utm, clickIds);
        }
    }

    /**
     * What a heartbeat may bring: {@code page}, a page view of a single-page application (a navigation without a
     * page load); {@code analyticsIds}, cookies an analytics tag set after the page's session start.
     */
    public record Heartbeat(Optional<String> page, AnalyticsIds analyticsIds) {
        public static final Heartbeat NONE = new Heartbeat(Optional.empty(), AnalyticsIds.NONE);
    }

    /** Where the shown number came from. */
    public enum NumberSource { POOL, STATIC, FALLBACK }

    /**
     * The number a session shows and until when it is guaranteed to the visitor without a heartbeat
     * ({@code expiresAt}, {@code held} from now): the site's hold, or for a pool number of a session that never
     * heartbeat the shorter unseen-lease hold.
     */
    public record Shown(UUID sessionId, String e164, NumberSource source, Optional<Long> numberId,
                        Optional<String> trackId, Instant expiresAt, Duration held, boolean resumed) {}

    private final Jdbc jdbc;
    private final NumberLeases leases;
    private final TrackIds trackIds;
    private final ChannelRecognizer recognizer = new ChannelRecognizer();
    private final BotDetector bots;
    private final MeterRegistry metrics;
    private final Clock clock;
    private final Map<Long, Instant> lastExhaustedWarning = new ConcurrentHashMap<>();
    private final int poolLeasesPerIp;
    private final Duration unseenLeaseHold;

    /** Pool numbers a client address holds on a site now (leases whose holder is a session from it). */
    private static final String LEASES_OF_IP = """
            SELECT count(*) FROM visitor_session s
              JOIN tracked_number t ON t.id = s.number_id AND t.kind = 'pool' AND t.held_by = s.id
                                   AND t.held_until > :now
             WHERE s.site_id = :siteId AND s.ip = :ip AND s.number_id IS NOT NULL""";

    /**
     * {@code leases}: the pool numbers' leases (one per process: it keeps each site's pool order);
     * {@code poolLeasesPerIp}: pool numbers one client address may hold at once (tracking.pool-leases-per-ip);
     * {@code unseenLeaseHold}: how long a session that never heartbeat holds its pool number
     * (tracking.unseen-lease-hold; the site's hold when that is shorter).
     */
    public VisitorSessions(Jdbc jdbc, NumberLeases leases, BotDetector bots, TrackIds trackIds, MeterRegistry metrics,
                           Clock clock, int poolLeasesPerIp, Duration unseenLeaseHold) {
        this.poolLeasesPerIp = poolLeasesPerIp;
        this.unseenLeaseHold = unseenLeaseHold;
        this.jdbc = jdbc;
        this.leases = leases;
        this.trackIds = trackIds;
        this.bots = bots;
        this.metrics = metrics;
        this.clock = clock;
    }

    /**
     * Resumes the client's live session on this site (same number, same Track ID) or starts a new one.
     * A session is live while its last heartbeat is less than the site's hold time ago, ended or not:
     * "end" fires on every page change, and the next page must keep the number.
     */
    public Shown start(Site site, Visit visit) {
        Instant now = clock.instant();
        boolean bot = bots.isBot(visit.userAgent());
        Touch arrival = visit.arrival(now);
        return jdbc.inHandleTransaction(h -> {
            Optional<Touched> live = touchLiveSessionOf(h, site, visit, now);
            if (live.isPresent()) {
                SessionRow s = live.get().row();
                // a new paid click of a returning visitor: the session keeps its number, the click gets its calls
                if (arrival.replaces(live.get().touches().last())) reattribute(h, site, s.id(), arrival, visit);
                return show(h, site, s, now);
            }
            // only a new session needs the site's channels: which one brought the visitor
            Optional<Channel> channel = recognise(h, site, arrival, visit);
            // a new session's number is chosen first and written with the row: no second version of it
            UUID id = UUID.randomUUID();
            Optional<Long> staticChannel = channel.filter(ch -> ch.tracking() == Channel.Tracking.STATIC)
                    .map(Channel::id);
            SessionRow row = new SessionRow(id, staticChannel, Optional.empty(), Optional.empty(), Optional.empty(), bot,
                    Optional.empty(), false);
            // one address (a scraper, a script) may hold only so many of the pool's numbers: the rest see the fallback
            Choice number = row.showsPool() && holdsItsShare(h, site, visit.ip(), now) ? capped(site, visit.ip().get())
                    : choose(h, site, row, now, false);
            NewRow created = new NewRow(id, site, channel, visit, arrival, bot, number.numberId(), now);
            Optional<String> trackId = bot ? Optional.empty()
                    : trackIds.assign(code -> insert(h, created, Optional.of(code)));
            if (trackId.isEmpty()) insert(h, created, Optional.empty());
            return number.shown(site, id, trackId, now, false);
        });
    }

    /**
     * Keeps a live session's number, and notes what the page reported with it; empty when the session is unknown or
     * its hold time has passed.
     */
    public Optional<Shown> heartbeat(Site site, UUID sessionId, Heartbeat beat) {
        Instant now = clock.instant();
        // the usual heartbeat only moves the hold on (and notes a page or late cookies): one auto-committed statement
        Optional<SessionRow> touched = jdbc.withHandle(h -> touchLiveSession(h, site, sessionId, now, beat));
        if (touched.isEmpty()) return Optional.empty();
        SessionRow s = touched.get();
        // a static channel's visitor or a bot: its number is read again, the channel's may have changed
        if (!s.showsPool()) return Optional.of(jdbc.withHandle(h -> show(h, site, s, now)));
        if (s.keptE164().isPresent()) return Optional.of(Choice.kept(s).shown(site, s.id(), s.trackId(), now, true));
        // its pool number lapsed: lease again with the row locked, so two tabs cannot take two numbers
        return jdbc.inHandleTransaction(h -> {
            Optional<SessionRow> live = touchLiveSession(h, site, sessionId, now, beat);
            return live.isEmpty() ? Optional.<Shown>empty() : Optional.of(show(h, site, live.get(), now));
        });
    }

    /** The channel that brought a visit: its campaign parameters (a click id's network included) and referrer. */
    private Optional<Channel> recognise(Handle h, Site site, Touch arrival, Visit visit) {
        return recognizer.recognise(ChannelRepository.ofSite(h, site.id()),
                new ChannelRecognizer.Visit(visit.referrer(), arrival.utm()));
    }

    /** Makes {@code arrival} the session's last touch; its first touch and its number stay as they are. */
    private void reattribute(Handle h, Site site, UUID sessionId, Touch arrival, Visit visit) {
        Touch last = arrival.withChannel(recognise(h, site, arrival, visit));
        Update update = h.createUpdate(SET_LAST_TOUCH)
                .bind("id", sessionId)
                .bind("at", last.at().orElseThrow())
                .bind("channelId", last.channelId().orElse(null))
                .bind("source", last.utm().source().orElse(null))
                .bind("medium", last.utm().medium().orElse(null))
                .bind("campaign", last.utm().campaign().orElse(null))
                .bind("term", last.utm().term().orElse(null))
                .bind("content", last.utm().content().orElse(null))
                .bind("page", last.landingPage().orElse(null));
        for (String name : ClickIds.NAMES) update.bind(name, last.clickIds().get(name).orElse(null));
        update.execute();
    }

    /**
     * Marks the page closed. The number is not released early: a call often comes minutes after the visitor
     * left, so it stays bound for the hold time after the last heartbeat. False when the session is unknown.
     */
    public boolean end(Site site, UUID sessionId) {
        Instant now = clock.instant();
        return jdbc.withHandle(h -> h.createUpdate(
                        "UPDATE visitor_session SET ended_at = :now WHERE id = :id AND site_id = :siteId")
                .bind("now", now).bind("id", sessionId).bind("siteId", site.id())
                .execute() == 1);
    }

    /** The session's site, for authorising a request about it; empty when there is no such session. */
    public Optional<Long> siteOf(UUID id) {
        return jdbc.withHandle(h -> h.createQuery("SELECT site_id FROM visitor_session WHERE id = :id").bind("id", id)
                .mapTo(Long.class).findOne());
    }

    /** A session as stored, live or not. */
    public Optional<VisitorSession> find(UUID id) {
        return jdbc.withHandle(h -> h.createQuery("SELECT * FROM visitor_session WHERE id = :id").bind("id", id)
                .map((rs, ctx) -> session(id, rs)).findOne());
    }

    private static VisitorSession session(UUID id, ResultSet rs) throws SQLException {
        Touches touches = SessionTouchColumns.read(rs, false);
        Touch first = touches.first();
        return new VisitorSession(id, rs.getLong("site_id"), first.channelId(), rs.getString("client_id"),
                first.landingPage(), Rows.string(rs, "current_page"), Rows.string(rs, "referrer"), first.utm(),
                first.clickIds(), Rows.optionalInstant(rs, "last_touch_at").map(at -> touches.last()),
                SessionTouchColumns.analyticsIds(rs), Rows.string(rs, "user_agent"), Rows.string(rs, "track_id"),
                Rows.id(rs, "number_id"), rs.getBoolean("no_number"), rs.getBoolean("is_bot"),
                Rows.instant(rs, "started_at"), Rows.instant(rs, "last_seen_at"), Rows.optionalInstant(rs, "ended_at"));
    }

    /**
     * The session columns the number decision needs; {@code staticChannelId}: it came by a static channel;
     * {@code numberId}: the number it shows or last showed; {@code keptE164}: its pool number, still held and just
     * extended until {@code keptUntil}; {@code seen}: it heartbeat at least once (a page of it was visible).
     */
    private record SessionRow(UUID id, Optional<Long> staticChannelId, Optional<Long> numberId,
                              Optional<String> keptE164, Optional<Instant> keptUntil, boolean bot,
                              Optional<String> trackId, boolean seen) {
        /** Shows a pool number: neither a static channel's visitor nor a bot. */
        boolean showsPool() {
            return staticChannelId.isEmpty() && !bot;
        }
    }

    /**
     * The number a session shows and where it came from; the fallback number when {@code numberId} is empty.
     * {@code heldUntil}: a pool lease's end; a static or fallback number is shown while the session is live.
     */
    private record Choice(Optional<Long> numberId, Optional<String> e164, NumberSource source,
                          Optional<Instant> heldUntil) {
        static final Choice FALLBACK = new Choice(Optional.empty(), Optional.empty(), NumberSource.FALLBACK,
                Optional.empty());

        static Choice of(NumberLeases.Leased n, NumberSource source, Optional<Instant> heldUntil) {
            return new Choice(Optional.of(n.numberId()), Optional.of(n.e164()), source, heldUntil);
        }

        /** The pool number the session's touch found still held and extended. */
        static Choice kept(SessionRow s) {
            return new Choice(s.numberId(), s.keptE164(), NumberSource.POOL, s.keptUntil());
        }

        Shown shown(Site site, UUID sessionId, Optional<String> trackId, Instant now, boolean resumed) {
            Instant until = heldUntil.orElse(now.plus(site.hold()));
            return new Shown(sessionId, e164.orElse(site.fallbackNumber()), source, numberId, trackId, until,
                    Duration.between(now, until), resumed);
        }
    }

    /** A live session's number: kept, re-leased, or now the static/fallback one. */
    private Shown show(Handle h, Site site, SessionRow s, Instant now) {
        return choose(h, site, s, now, true).shown(site, s.id(), s.trackId(), now, true);
    }

    /**
     * Decides the session's number. For a session that {@code exists}, a change is written to its row here; a new
     * session's row is written afterwards with the choice (a pool lease's history row may precede it: the foreign
     * key to the session is checked at commit).
     */
    private Choice choose(Handle h, Site site, SessionRow s, Instant now, boolean exists) {
        if (!s.showsPool()) {
            // combined tracking: a static channel's visitors see its own number; bots never take a pool number
            Optional<NumberLeases.Leased> fixed = s.staticChannelId().isPresent()
                    ? staticNumberOf(h, s.staticChannelId().get()) : Optional.empty();
            if (exists) setNumber(h, s.id(), fixed.map(NumberLeases.Leased::numberId), fixed.isEmpty());
            return fixed.map(n -> Choice.of(n, NumberSource.STATIC, Optional.empty())).orElse(Choice.FALLBACK);
        }
        if (s.keptE164().isPresent()) return Choice.kept(s);
        Instant until = heldUntil(site, s.seen(), now);
        Optional<NumberLeases.Leased> leased = leases.lease(h, site.id(), s.id(), s.numberId(), now, until);
        if (leased.isPresent()) return Choice.of(leased.get(), NumberSource.POOL, Optional.of(until));
        if (!exists) poolExhausted(site, now);
        return Choice.FALLBACK;
    }

    /**
     * Until when a session holds a pool number from {@code now}: the site's hold once it heartbeat (the snippet
     * heartbeats only from a visible page), before that only the unseen-lease hold, so sessions that are started and
     * never looked at (a script, a prerendered page nobody opened) give their numbers back early.
     */
    private Instant heldUntil(Site site, boolean seen, Instant now) {
        Duration hold = site.hold();
        return now.plus(seen || unseenLeaseHold.compareTo(hold) >= 0 ? hold : unseenLeaseHold);
    }

    private boolean holdsItsShare(Handle h, Site site, Optional<String> ip, Instant now) {
        if (ip.isEmpty()) return false;
        return h.createQuery(LEASES_OF_IP).bind("now", now).bind("siteId", site.id()).bind("ip", ip.get())
                .mapTo(Long.class).one() >= poolLeasesPerIp;
    }

    /** A new visitor from an address that holds its share of the pool: the fallback, counted apart from exhaustion. */
    private Choice capped(Site site, String ip) {
        Counter.builder("calltrack.pool.capped")
                .description("new visitors shown the fallback number because their address already holds "
                        + "tracking.pool-leases-per-ip pool numbers")
                .tag("site", Long.toString(site.id())).register(metrics).increment();
        log.debug("site {}: {} holds {} pool numbers already; showing the fallback", site.id(), ip, poolLeasesPerIp);
        return Choice.FALLBACK;
    }

    /** Counts each new visitor shown the fallback; warns at most once a minute per site, not once per visitor. */
    private void poolExhausted(Site site, Instant now) {
        Counter.builder("calltrack.pool.exhausted")
                .description("new visitors shown the fallback number because every pool number was held")
                .tag("site", Long.toString(site.id())).register(metrics).increment();
        Instant last = lastExhaustedWarning.get(site.id());
        if (last == null || last.isBefore(now.minusSeconds(60))) {
            lastExhaustedWarning.put(site.id(), now);
            log.warn("site {} ({}): number pool exhausted, new visitors see the fallback number {}; add pool numbers "
                    + "or shorten the hold time", site.id(), site.name(), site.fallbackNumber());
        }
    }

    /** A session the start of a returning visitor touched, with its touches (is the visit a new click?). */
    private record Touched(SessionRow row, Touches touches) {}

    private Optional<Touched> touchLiveSessionOf(Handle h, Site site, Visit visit, Instant now) {
        Query touch = h.createQuery(TOUCH_BY_CLIENT).bind("clientId", visit.clientId());
        return touchSession(touch, site, now, new Heartbeat(visit.page(), visit.analyticsIds()), false, true);
    }

    private Optional<SessionRow> touchLiveSession(Handle h, Site site, UUID id, Instant now, Heartbeat beat) {
        return touchSession(h.createQuery(TOUCH_BY_ID).bind("id", id), site, now, beat, true, false)
                .map(Touched::row);
    }

    /**
     * Marks the live session seen now (noting what {@code beat} brings), keeps its pool number for another hold time
     * if it still holds it, and loads it, in one statement ({@code touch}: which session, {@link #TOUCH_BY_CLIENT}
     * or {@link #TOUCH_BY_ID}). {@code heartbeat}: the touch is the session's heartbeat, which proves a visible page
     * (a resumed start does not). {@code withTouches}: the statement returns the session's touches. The update
     * locks the row until the transaction ends: two page views of one visitor at once must not lease two numbers.
     */
    private Optional<Touched> touchSession(Query touch, Site site, Instant now, Heartbeat beat, boolean heartbeat,
                                           boolean withTouches) {
        return touch.bind("now", now)
                .bind("page", beat.page().orElse(null))
                .bind("gaClientId", beat.analyticsIds().gaClientId().orElse(null))
                .bind("ymClientId", beat.analyticsIds().ymClientId().orElse(null))
                .bind("heartbeatAt", heartbeat ? now : null)
                .bind("siteId", site.id())
                .bind("liveAfter", now.minus(site.hold()))
                .bind("seenUntil", heldUntil(site, true, now))
                .bind("unseenUntil", heldUntil(site, false, now))
                .map((rs, ctx) -> {
                    Optional<Long> numberId = Rows.id(rs, "number_id");
                    Optional<String> kept = Rows.string(rs, "kept_e164");
                    Optional<Instant> keptUntil = Rows.optionalInstant(rs, "kept_until");
                    if (kept.isPresent()) leases.extended(site.id(), numberId.orElseThrow(), keptUntil.orElseThrow());
                    SessionRow row = new SessionRow(rs.getObject("id", UUID.class), Rows.id(rs, "static_channel_id"),
                            numberId, kept, keptUntil, rs.getBoolean("is_bot"), Rows.string(rs, "track_id"),
                            rs.getBoolean("seen"));
                    return new Touched(row, withTouches ? SessionTouchColumns.read(rs, false) : Touches.NONE);
                })
                .findOne();
    }

    /** The channel's static number (the first, if an admin bound several). */
    private static Optional<NumberLeases.Leased> staticNumberOf(Handle h, long channelId) {
        return h.createQuery("""
                        SELECT id, e164 FROM tracked_number
                         WHERE channel_id = :channelId AND kind = 'static' ORDER BY id LIMIT 1""")
                .bind("channelId", channelId)
                .map((rs, ctx) -> new NumberLeases.Leased(rs.getLong("id"), rs.getString("e164"))).findOne();
    }

    /** A session about to be created, with the number it was given (none: it shows the fallback). */
    private record NewRow(UUID id, Site site, Optional<Channel> channel, Visit visit, Touch arrival, boolean bot,
                          Optional<Long> numberId, Instant now) {}

    /** Creates the session; with a Track ID only if that code is free ({@link #INSERT_CLAIMING}). */
    private static boolean insert(Handle h, NewRow r, Optional<String> trackId) {
        Visit v = r.visit();
        VisitorSession.Utm utm = r.arrival().utm();
        Update insert = h.createUpdate(trackId.isPresent() ? INSERT_CLAIMING : INSERT)
                .bind("id", r.id())
                .bind("site_id", r.site().id())
                .bind("channel_id", r.channel().map(Channel::id).orElse(null))
                .bind("client_id", v.clientId())
                .bind("page", v.page().orElse(null))
                .bind("referrer", v.referrer().orElse(null))
                .bind("utm_source", utm.source().orElse(null))
                .bind("utm_medium", utm.medium().orElse(null))
                .bind("utm_campaign", utm.campaign().orElse(null))
                .bind("utm_term", utm.term().orElse(null))
                .bind("utm_content", utm.content().orElse(null))
                .bind("user_agent", v.userAgent().orElse(null))
                .bind("ip", v.ip().orElse(null))
                .bind("track_id", trackId.orElse(null))
                .bind("is_bot", r.bot())
                .bind("now", r.now())
                .bind("number_id", r.numberId().orElse(null))
                .bind("no_number", r.numberId().isEmpty())
                .bind("ga_client_id", v.analyticsIds().gaClientId().orElse(null))
                .bind("ym_client_id", v.analyticsIds().ymClientId().orElse(null));
        for (String name : ClickIds.NAMES) insert.bind(name, r.arrival().clickIds().get(name).orElse(null));
        if (trackId.isPresent()) insert.bind("live_after", r.now().minus(r.site().hold()));
        return insert.execute() == 1;
    }

    private static void setNumber(Handle h, UUID id, Optional<Long> numberId, boolean noNumber) {
        h.createUpdate("UPDATE visitor_session SET number_id = :numberId, no_number = :noNumber WHERE id = :id")
                .bind("numberId", numberId.orElse(null)).bind("noNumber", noNumber).bind("id", id).execute();
    }

    /**
     * Deletes sessions for good (a caller's personal data erased on request); their leases go with them, and a pool
     * number they held is free when its hold ends. How many were deleted.
     */
    public int erase(java.util.Collection<UUID> ids) {
        if (ids.isEmpty()) return 0;
        return jdbc.withHandle(h -> h.createUpdate("DELETE FROM visitor_session WHERE id = ANY(:ids)")
                .bind("ids", ids.toArray(UUID[]::new)).execute());
    }
}
