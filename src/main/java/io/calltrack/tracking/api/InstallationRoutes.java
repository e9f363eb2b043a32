package io.calltrack.tracking.api;

import io.calltrack.access.Permission;

import io.calltrack.platform.http.ApiException;
import io.calltrack.platform.http.ApiResponse;
import io.calltrack.platform.http.Need;
import io.calltrack.platform.http.Route;
import io.calltrack.platform.http.RouteProvider;
import io.calltrack.tracking.InstallationCheck;
import io.calltrack.tracking.Site;
import io.calltrack.tracking.SiteRepository;
import java.time.Instant;
import java.util.List;

/**
 * {@code GET /v1/sites/{id}/installation}: has the snippet called in during the last 24 h, from which origins (each
 * marked allowed or not by the site's allowedOrigins as they are now) and landing pages. Requests from an origin the
 * site does not allow are refused with a 403 and start no session, so they are not counted here.
 */
public final class InstallationRoutes implements RouteProvider {
    private final SiteRepository sites;
    private final InstallationCheck check;

    public InstallationRoutes(SiteRepository sites, InstallationCheck check) {
        this.sites = sites;
        this.check = check;
    }

    @Override
    public List<Route> routes() {
        return List.of(Route.guarded("GET", "/v1/sites/{id}/installation", Need.site(Permission.SITE_READ, "id"), r -> {
            long id = r.pathId("id");
            Site site = sites.find(id).orElseThrow(() -> ApiException.notFound("site " + id + " does not exist"));
            return ApiResponse.ok(answer(site, check.of(site.id())));
        }));
    }

    /** {@code installed}: at least one session in the window. */
    public record Answer(long siteId, boolean installed, Instant since, long sessions, Instant lastSeenAt,
                         List<Origin> origins, List<InstallationCheck.Seen> pages, List<String> allowedOrigins) {}

    /** An origin the snippet reported pages from; {@code allowed} by the site's allowedOrigins now. */
    public record Origin(String origin, boolean allowed, long sessions, Instant lastSeenAt) {}

    private static Answer answer(Site site, InstallationCheck.Report report) {
        List<Origin> origins = report.origins().stream().map(o -> new Origin(o.value(),
                site.allowedOrigins().contains("*") || site.allowedOrigins().contains(o.value()), o.sessions(),
                o.lastSeenAt())).toList();
        return new Answer(site.id(), report.sessions() > 0, report.since(), report.sessions(),
                report.lastSeenAt().orElse(null), origins, report.pages(), site.allowedOrigins());
    }
}
