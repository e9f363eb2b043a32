package io.calltrack.tracking;

import io.calltrack.platform.db.Jdbc;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Answers "where did this call come from" for the call side (AGI, SIP). A static number names its channel; a
 * pool number names the session that held it at the call's time, including the hold time after the visitor's
 * last heartbeat. Several candidates are {@code AMBIGUOUS}: the call is never credited to a guess.
 */
public final class CallAttributor {
    private final Jdbc jdbc;
    private final SiteRepository sites;
    private final PhoneNumbers numbers;

    public CallAttributor(Jdbc jdbc, SiteRepository sites, PhoneNumbers numbers) {
        this.jdbc = jdbc;
        this.sites = sites;
        this.numbers = numbers;
    }

    /** Attribution of a call to {@code calledNumberRaw} (as the PBX wrote it) ringing at {@code at}. */
    public Attribution attribute(String calledNumberRaw, Instant at) {
        return origin(calledNumberRaw, at).attribution();
    }

    /** An attribution and the site it belongs to (empty for a number no site knows). */
    public record CallOrigin(Attribution attribution, Optional<Site> site) {}

    /**
     * Like {@link #attribute}, with the site read in the same query: the number, its site, and the sessions that
     * held it at {@code at} arrive in one round trip, which is most of what a ringing call costs the database.
     */
    public CallOrigin origin(String calledNumberRaw, Instant at) {
        Optional<String> e164 = numbers.toE164(calledNumberRaw);
        if (e164.isEmpty()) return new CallOrigin(unknown(calledNumberRaw == null ? "" : calledNumberRaw.trim()),
                Optional.empty());
        Optional<NumberAtTime> found = numberAt(e164.get(), at);
        if (found.isEmpty()) {
            return sites.byFallbackNumber(e164.get())
                    .map(site -> new CallOrigin(Attribution.withoutVisit(Attribution.Kind.UNATTRIBUTED,
                            new Attribution.CalledNumber(Optional.of(site.id()), Optional.empty(), e164.get(), false,
                                    site.trackIdOnUnattributed())), Optional.of(site)))
                    .orElseGet(() -> new CallOrigin(unknown(e164.get()), Optional.empty()));
        }
        NumberRow n = found.get().number();
        Site site = found.get().site();
        Attribution.CalledNumber called = new Attribution.CalledNumber(Optional.of(n.siteId), Optional.of(n.id),
                n.e164, n.trackIdEntry, site.trackIdOnUnattributed());
        if (n.isStatic) {
            return new CallOrigin(new Attribution(Attribution.Kind.STATIC, called,
                    CreditedVisit.ofChannel(n.channelId, n.channelName)), Optional.of(site));
        }
        List<SessionRow> holders = found.get().holders();
        if (holders.size() == 1) {
            return new CallOrigin(new Attribution(Attribution.Kind.DYNAMIC, called, holders.get(0).visit()),
                    Optional.of(site));
        }
        Attribution.Kind kind = holders.isEmpty() ? Attribution.Kind.UNATTRIBUTED : Attribution.Kind.AMBIGUOUS;
        return new CallOrigin(Attribution.withoutVisit(kind, called), Optional.of(site));
    }

    /**
     * The site's session that showed {@code trackId} and was live at {@code at} (started by then, last heartbeat
     * within the hold time): {@code TRACK_ID}, or {@code AMBIGUOUS} if several were; empty when none.
     * The caller's called number is not known here: {@code numberId} is empty and {@code calledE164} is ""
     * (take both from {@link #attribute}).
     */
    public Optional<Attribution> byTrackId(long siteId, String trackId, Instant at) {
        List<TrackIdHolder> holders = jdbc.withHandle(h -> h.createQuery(TRACK_ID_HOLDERS)
                .bind("siteId", siteId).bind("trackId", trackId).bind("at", at)
                .map((rs, ctx) -> new TrackIdHolder(sessionRow(rs).orElseThrow(),
                        rs.getBoolean("trackid_on_unattributed")))
                .list());
        if (holders.isEmpty()) return Optional.empty();
        Attribution.CalledNumber called = new Attribution.CalledNumber(Optional.of(siteId), Optional.empty(), "",
                false, holders.get(0).siteAsksTrackId());
        if (holders.size() > 1) return Optional.of(Attribution.withoutVisit(Attribution.Kind.AMBIGUOUS, called));
        return Optional.of(new Attribution(Attribution.Kind.TRACK_ID, called, holders.get(0).session().visit()));
    }

    /** A session live with the Track ID, and whether its site asks callers for one. */
    private record TrackIdHolder(SessionRow session, boolean siteAsksTrackId) {}

    /**
     * The site's sessions that showed {@code :trackId} and were live at {@code :at}, with what a call's snapshot
     * takes from them ({@link #sessionRow}); two at the most, as a second one already makes the call ambiguous.
     */
    private static final String TRACK_ID_HOLDERS = """
            SELECT s.id AS s_id, s.started_at, s.channel_id, s.utm_source, s.utm_medium, s.utm_campaign, s.utm_term,
                   s.utm_content, s.first_page, s.gclid, s.gbraid, s.wbraid, s.yclid, s.fbclid, s.msclkid,
                   s.last_touch_at, s.last_channel_id, s.last_source, s.last_medium, s.last_campaign, s.last_term,
                   s.last_content, s.last_page, s.last_gclid, s.last_gbraid, s.last_wbraid, s.last_yclid,
                   s.last_fbclid, s.last_msclkid, fch.name AS first_channel_name, lch.name AS last_channel_name,
                   s.client_id, s.ga_client_id, s.ym_client_id, site.trackid_on_unattributed
              FROM visitor_session s
              JOIN site ON site.id = s.site_id
              LEFT JOIN channel fch ON fch.id = s.channel_id
              LEFT JOIN channel lch ON lch.id = s.last_channel_id
             WHERE s.site_id = :siteId AND s.track_id = :trackId AND s.started_at <= :at
               AND s.last_seen_at + make_interval(secs => site.session_hold_seconds) > :at
             LIMIT 2""";

    private record NumberRow(long id, long siteId, String e164, boolean isStatic, Optional<Long> channelId,
                             Optional<String> channelName, boolean trackIdEntry) {}

    /** What a call's snapshot takes from the session: its touches and the visitor's ids. */
    private record SessionRow(UUID id, Touches touches, String clientId, AnalyticsIds analyticsIds) {
        CreditedVisit visit() {
            return new CreditedVisit(Optional.of(id), touches, Optional.of(clientId), analyticsIds);
        }
    }

    /**
     * The session of the row, or empty when the row has none (a pool number nobody held): its id as {@code s_id},
     * its touch columns with their channels' names, and the visitor's ids.
     */
    private static Optional<SessionRow> sessionRow(ResultSet rs) throws SQLException {
        UUID session = rs.getObject("s_id", UUID.class);
        if (session == null) return Optional.empty();
        return Optional.of(new SessionRow(session, SessionTouchColumns.read(rs, true),
                rs.getString("client_id"), SessionTouchColumns.analyticsIds(rs)));
    }

    private static Attribution unknown(String called) {
        return Attribution.withoutVisit(Attribution.Kind.UNKNOWN_NUMBER, Attribution.CalledNumber.unknown(called));
    }

    /** A tracked number, its site, and the sessions holding it at the call's time (pool numbers only). */
    private record NumberAtTime(NumberRow number, Site site, List<SessionRow> holders) {}

    /**
     * The number {@code :e164} (columns {@code n_*}), its site (the columns {@link SiteRepository#map} reads), and the
     * sessions that held it at {@code :at} (as {@link #TRACK_ID_HOLDERS} reads them; none for a static number).
     */
    private static final String NUMBER_AT_TIME = """
            SELECT n.id AS n_id, n.site_id AS n_site_id, n.e164 AS n_e164, n.kind AS n_kind,
                   n.channel_id AS n_channel_id, nch.name AS n_channel_name, n.trackid_entry AS n_trackid_entry,
                   site.id, site.name, site.public_key, site.time_zone, site.target_threshold_seconds,
                   site.repeat_window_days, site.session_hold_seconds, site.fallback_number, site.allowed_origins,
                   site.trackid_on_unattributed, site.closed_hours_destination,
                   s.id AS s_id, s.started_at, s.channel_id, s.utm_source, s.utm_medium, s.utm_campaign, s.utm_term,
                   s.utm_content, s.first_page, s.gclid, s.gbraid, s.wbraid, s.yclid, s.fbclid, s.msclkid,
                   s.last_touch_at, s.last_channel_id, s.last_source, s.last_medium, s.last_campaign, s.last_term,
                   s.last_content, s.last_page, s.last_gclid, s.last_gbraid, s.last_wbraid, s.last_yclid,
                   s.last_fbclid, s.last_msclkid, fch.name AS first_channel_name, lch.name AS last_channel_name,
                   s.client_id, s.ga_client_id, s.ym_client_id
              FROM tracked_number n
              JOIN site ON site.id = n.site_id
              LEFT JOIN channel nch ON nch.id = n.channel_id
              LEFT JOIN LATERAL (
                   -- a number's leases follow one another, so whoever held it at the call's time is among its two
                   -- latest leases begun by then; a second one still held means overlapping history: ambiguous.
                   -- Bounded, however long the number's history grows.
                   SELECT recent.id, recent.session_id FROM (
                       SELECT id, session_id, held_until FROM number_lease
                        WHERE number_id = n.id AND leased_at <= :at ORDER BY leased_at DESC LIMIT 2) recent
                    WHERE recent.held_until > :at) l ON n.kind = 'pool'
              LEFT JOIN visitor_session s ON s.id = l.session_id
              LEFT JOIN channel fch ON fch.id = s.channel_id
              LEFT JOIN channel lch ON lch.id = s.last_channel_id
             WHERE n.e164 = :e164
             ORDER BY l.id""";

    private Optional<NumberAtTime> numberAt(String e164, Instant at) {
        return jdbc.withHandle(h -> h.createQuery(NUMBER_AT_TIME).bind("at", at).bind("e164", e164)
                .scanResultSet((results, ctx) -> {
                    ResultSet rs = results.get();
                    if (!rs.next()) return Optional.<NumberAtTime>empty();
                    NumberRow n = new NumberRow(rs.getLong("n_id"), rs.getLong("n_site_id"), rs.getString("n_e164"),
                            "static".equals(rs.getString("n_kind")), Rows.id(rs, "n_channel_id"),
                            Rows.string(rs, "n_channel_name"), rs.getBoolean("n_trackid_entry"));
                    Site site = SiteRepository.map(rs);
                    List<SessionRow> holders = new ArrayList<>();
                    do {
                        sessionRow(rs).ifPresent(holders::add);
                    } while (rs.next());
                    return Optional.of(new NumberAtTime(n, site, holders));
                }));
    }
}
