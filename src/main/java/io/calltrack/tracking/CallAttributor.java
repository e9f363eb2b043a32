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
    private final PhoneNumbers numbers;

    public CallAttributor(Jdbc jdbc, PhoneNumbers numbers) {
        this.jdbc = jdbc;
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
            return siteByFallbackNumber(e164.get())
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
        List<UUID> ids = jdbc.withHandle(h -> h.createQuery("""
                        SELECT s.id FROM visitor_session s JOIN site ON site.id = s.site_id
                         WHERE s.site_id = :siteId AND s.track_id = :trackId AND s.started_at <= :at
                           AND s.last_seen_at + make_interval(secs => site.session_hold_seconds) > :at""")
                .bind("siteId", siteId).bind("trackId", trackId).bind("at", at)
                .mapTo(UUID.class).list());
        if (ids.isEmpty()) return Optional.empty();
        Attribution.CalledNumber called = new Attribution.CalledNumber(Optional.of(siteId), Optional.empty(), "",
                false, siteAsksTrackId(siteId));
        if (ids.size() > 1) return Optional.of(Attribution.withoutVisit(Attribution.Kind.AMBIGUOUS, called));
        return Optional.of(new Attribution(Attribution.Kind.TRACK_ID, called, sessions(ids).get(0).visit()));
    }

    private record NumberRow(long id, long siteId, String e164, boolean isStatic, Optional<Long> channelId,
                             Optional<String> channelName, boolean trackIdEntry) {}

    /** What a call's snapshot takes from the session: its touches and the visitor's ids. */
    private record SessionRow(UUID id, Touches touches, String clientId, AnalyticsIds analyticsIds) {
        CreditedVisit visit() {
            return new CreditedVisit(Optional.of(id), touches, Optional.of(clientId), analyticsIds);
        }
    }

    /** The session columns {@link #sessionRow} reads (alias {@code s}, with the touches' channel joins). */
    private static final String SESSION_COLUMNS = "s.id AS s_id, "
            + SessionTouchColumns.columns("s") + ", " + SessionTouchColumns.CHANNEL_NAMES
            + ", s.client_id, s.ga_client_id, s.ym_client_id";

    /** The session of the row, or empty when the row has none (a pool number nobody held). */
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

    private static final String NUMBER_AT_TIME = """
            SELECT n.id AS n_id, n.site_id AS n_site_id, n.e164 AS n_e164, n.kind AS n_kind,
                   n.channel_id AS n_channel_id, nch.name AS n_channel_name, n.trackid_entry AS n_trackid_entry,
                   %s,
                   %s
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
              %s
             WHERE n.e164 = :e164
             ORDER BY l.id""".formatted(SiteRepository.columns("site"), SESSION_COLUMNS,
            SessionTouchColumns.CHANNEL_JOINS);

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

    /** Visitors are shown the fallback number when the pool is exhausted: a call to it belongs to its site. */
    private Optional<Site> siteByFallbackNumber(String e164) {
        List<Site> found = jdbc.withHandle(h -> h.createQuery(
                        "SELECT " + SiteRepository.columns("site") + " FROM site WHERE fallback_number = :e164 LIMIT 2")
                .bind("e164", e164).map((rs, ctx) -> SiteRepository.map(rs)).list());
        // shared by several sites: which one cannot be told
        return found.size() == 1 ? Optional.of(found.get(0)) : Optional.empty();
    }

    private boolean siteAsksTrackId(long siteId) {
        return jdbc.withHandle(h -> h.createQuery("SELECT trackid_on_unattributed FROM site WHERE id = :siteId")
                .bind("siteId", siteId).mapTo(Boolean.class).findOne().orElse(false));
    }

    private List<SessionRow> sessions(List<UUID> ids) {
        return jdbc.withHandle(h -> h.createQuery("SELECT " + SESSION_COLUMNS + " FROM visitor_session s "
                        + SessionTouchColumns.CHANNEL_JOINS + " WHERE s.id = ANY(:ids)")
                .bindArray("ids", UUID.class, ids)
                .map((rs, ctx) -> sessionRow(rs)).list().stream().flatMap(Optional::stream).toList());
    }
}
