package io.calltrack.reports.api;

import io.calltrack.platform.http.ApiException;
import io.calltrack.platform.http.ApiRequest;
import io.calltrack.platform.http.Fields;
import io.calltrack.tracking.SiteRepository;
import java.time.LocalDate;
import java.time.ZoneId;

/** Request parsing shared by the report and export routes: the site, the day range, the wanted format. */
public final class ReportRequests {
    /** Longest range one request may cover, so a typo in a year cannot scan the whole table. */
    static final int MAX_DAYS = 400;

    private ReportRequests() {}

    public record Range(LocalDate from, LocalDate to) {
        /** [from 00:00, to+1 00:00) in the site's zone. */
        public java.time.Instant start(ZoneId zone) {
            return from.atStartOfDay(zone).toInstant();
        }

        public java.time.Instant end(ZoneId zone) {
            return to.plusDays(1).atStartOfDay(zone).toInstant();
        }
    }

    /** The site's time zone; 404 when the site does not exist. */
    public static ZoneId siteZone(SiteRepository sites, long siteId) {
        return sites.find(siteId).map(s -> ZoneId.of(s.timeZone()))
                .orElseThrow(() -> ApiException.notFound("site " + siteId + " does not exist"));
    }

    /** {@code from} and {@code to} (site days, inclusive), both required. */
    public static Range range(ApiRequest r) {
        LocalDate from = day(r, "from");
        LocalDate to = day(r, "to");
        if (to.isBefore(from)) throw ApiException.badRequest("to (" + to + ") is before from (" + from + ")");
        if (from.plusDays(MAX_DAYS).isBefore(to)) {
            throw ApiException.badRequest("a range covers at most " + MAX_DAYS + " days");
        }
        return new Range(from, to);
    }

    private static LocalDate day(ApiRequest r, String name) {
        String v = r.queryParam(name).orElseThrow(() -> ApiException.badRequest(name + " is required (YYYY-MM-DD)"));
        return Fields.day(v, name);
    }

    /** CSV when {@code ?format=csv} or the client accepts text/csv (and not JSON first). */
    public static boolean wantsCsv(ApiRequest r) {
        String format = r.queryParam("format").orElse("");
        if (!format.isEmpty()) {
            if (format.equals("csv")) return true;
            if (format.equals("json")) return false;
            throw ApiException.badRequest("format must be json or csv, got '" + format + "'");
        }
        return r.header("accept").map(a -> a.contains("text/csv")).orElse(false);
    }
}
