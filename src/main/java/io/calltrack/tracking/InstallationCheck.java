package io.calltrack.tracking;

import io.calltrack.platform.db.Jdbc;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Is the snippet installed? A read of {@code visitor_session} (written by {@link VisitorSessions}): the sessions the
 * snippet started or kept alive in the last {@link #WINDOW}, by the origin and the landing page (without query or
 * fragment) they reported. A session exists only when the visitor API accepted the page's origin, so any session
 * proves the snippet called in from an allowed origin (or from no browser origin at all: a script).
 */
public final class InstallationCheck {
    public static final Duration WINDOW = Duration.ofHours(24);
    private static final int MAX_PAGES = 20;
    private static final int MAX_ORIGINS = 50;
    /** the scheme and authority of a URL, e.g. https://shop.example.com:8443 */
    private static final String ORIGIN_OF_PAGE = "substring(first_page from '^[A-Za-z][A-Za-z0-9+.-]*://[^/?#]*')";
    private static final String PAGE_WITHOUT_QUERY = "split_part(split_part(first_page, '#', 1), '?', 1)";

    private final Jdbc jdbc;
    private final Clock clock;

    public InstallationCheck(Jdbc jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /** Sessions seen from one origin or on one landing page, and the last time one was seen. */
    public record Seen(String value, long sessions, Instant lastSeenAt) {}

    /** What the last {@link #WINDOW} shows; {@code origins} and {@code pages} busiest first. */
    public record Report(Instant since, long sessions, Optional<Instant> lastSeenAt, List<Seen> origins,
                         List<Seen> pages) {}

    public Report of(long siteId) {
        Instant since = clock.instant().minus(WINDOW);
        // a session seen in the window started at most a window earlier unless it lasted a day: bounded on the index
        String recent = " FROM visitor_session WHERE site_id = :site AND started_at >= :started AND last_seen_at >= :since";
        return jdbc.withHandle(h -> {
            var totals = h.createQuery("SELECT count(*) AS n, max(last_seen_at) AS last" + recent)
                    .bind("site", siteId).bind("started", since.minus(WINDOW)).bind("since", since)
                    .map((rs, ctx) -> new Object[] {rs.getLong("n"), rs.getTimestamp("last")}).one();
            List<Seen> origins = grouped(h, ORIGIN_OF_PAGE, recent, siteId, since, MAX_ORIGINS);
            List<Seen> pages = grouped(h, PAGE_WITHOUT_QUERY, recent, siteId, since, MAX_PAGES);
            java.sql.Timestamp last = (java.sql.Timestamp) totals[1];
            return new Report(since, (Long) totals[0], Optional.ofNullable(last).map(java.sql.Timestamp::toInstant),
                    origins, pages);
        });
    }

    private static List<Seen> grouped(org.jdbi.v3.core.Handle h, String key, String recent, long siteId,
                                      Instant since, int limit) {
        return h.createQuery("SELECT " + key + " AS k, count(*) AS n, max(last_seen_at) AS last" + recent
                        + " AND first_page IS NOT NULL GROUP BY 1 HAVING " + key + " IS NOT NULL"
                        + " ORDER BY n DESC, last DESC LIMIT " + limit)
                .bind("site", siteId).bind("started", since.minus(WINDOW)).bind("since", since)
                .map((rs, ctx) -> new Seen(rs.getString("k"), rs.getLong("n"), rs.getTimestamp("last").toInstant()))
                .list();
    }
}
