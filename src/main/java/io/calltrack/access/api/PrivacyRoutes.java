package io.calltrack.access.api;

import io.calltrack.access.Permission;

import io.calltrack.access.CallerNumbers;
import io.calltrack.access.PersonalDataEraser;
import io.calltrack.access.SitePrivacy;
import io.calltrack.access.SitePrivacyStore;
import io.calltrack.platform.http.ApiException;
import io.calltrack.platform.http.ApiRequest;
import io.calltrack.platform.http.ApiResponse;
import io.calltrack.platform.http.Need;
import io.calltrack.platform.http.Route;
import io.calltrack.platform.http.RouteProvider;
import io.calltrack.tracking.PhoneNumbers;
import io.calltrack.tracking.SiteRepository;
import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * A site's personal-data settings ({@code GET/PUT/PATCH /v1/sites/{id}/privacy}, audited as every change is) and
 * the erasure of a caller's data on request ({@code POST /v1/personal-data/erase}, owners and admins). The answer
 * names the number masked, never in clear, with what was deleted: the audit log keeps it as it keeps every POST's.
 */
public final class PrivacyRoutes implements RouteProvider {
    private final SitePrivacyStore privacy;
    private final SiteRepository sites;
    private final PersonalDataEraser eraser;
    private final CallerNumbers callerNumbers;
    private final PhoneNumbers phoneNumbers;

    public PrivacyRoutes(SitePrivacyStore privacy, SiteRepository sites, PersonalDataEraser eraser,
                         CallerNumbers callerNumbers, PhoneNumbers phoneNumbers) {
        this.privacy = privacy;
        this.sites = sites;
        this.eraser = eraser;
        this.callerNumbers = callerNumbers;
        this.phoneNumbers = phoneNumbers;
    }

    @Override
    public List<Route> routes() {
        return Route.all(List.of(
                        Route.guarded("GET", "/v1/sites/{id}/privacy", Need.site(Permission.SITE_READ, "id"),
                                r -> ApiResponse.ok(current(r))),
                        Route.guarded("POST", "/v1/personal-data/erase", Need.of(Permission.PERSONAL_DATA_ERASE), this::erase)),
                // needs: SITE_SETTINGS
                Route.replaceable("/v1/sites/{id}/privacy", Need.site(Permission.SITE_SETTINGS, "id"), SitePrivacy.class, this::current, this::put));
    }

    private SitePrivacy current(ApiRequest r) {
        return privacy.get(site(r));
    }

    private ApiResponse put(ApiRequest r, SitePrivacy sent) {
        long siteId = site(r);
        try {
            privacy.put(siteId, sent.validated());
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(e.getMessage());
        }
        return ApiResponse.ok(privacy.get(siteId));
    }

    private long site(ApiRequest r) {
        long id = r.pathId("id");
        if (sites.find(id).isEmpty()) throw ApiException.notFound("site " + id + " does not exist");
        return id;
    }

    /** {"callerNumber": "+79161234567", "siteId": 3}; without siteId, on every site. */
    public record EraseRequest(String callerNumber, Long siteId) {}

    /** What an erasure deleted; {@code siteId} null: on every site. */
    record ErasedAnswer(String callerNumber, Long siteId, int calls, int recordings, int visitorSessions) {}

    private ApiResponse erase(ApiRequest r) throws IOException {
        EraseRequest req = r.bodyAs(EraseRequest.class);
        String caller = phoneNumbers.toE164(req.callerNumber()).orElseThrow(() -> ApiException.badRequest(
                "callerNumber must be the caller's phone number such as +79161234567, got '" + req.callerNumber() + "'"));
        Optional<Long> siteId = Optional.ofNullable(req.siteId());
        if (siteId.isPresent() && sites.find(siteId.get()).isEmpty()) {
            throw ApiException.notFound("site " + siteId.get() + " does not exist");
        }
        PersonalDataEraser.Erased erased = eraser.erase(caller, siteId);
        return ApiResponse.ok(new ErasedAnswer(callerNumbers.mask(caller), siteId.orElse(null), erased.calls(),
                erased.recordings(), erased.visitorSessions()));
    }
}
