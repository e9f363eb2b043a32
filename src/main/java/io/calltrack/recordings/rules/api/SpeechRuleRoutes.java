package io.calltrack.recordings.rules.api;

import io.calltrack.access.Permission;
import io.calltrack.platform.http.ApiException;
import io.calltrack.platform.http.ApiRequest;
import io.calltrack.platform.http.ApiResponse;
import io.calltrack.platform.http.Need;
import io.calltrack.platform.http.Route;
import io.calltrack.platform.http.RouteProvider;
import io.calltrack.recordings.rules.RuleReapplication;
import io.calltrack.recordings.rules.SpeechRule;
import io.calltrack.recordings.rules.SpeechRuleRepository;
import io.calltrack.recordings.rules.SpeechRuleRepository.Document;
import io.calltrack.recordings.rules.SpeechRules;
import java.util.List;

/**
 * A site's speech rules: {@code GET}, and {@code PUT}/{@code PATCH} of the whole document (a 400 names the field),
 * which queues their re-application to the site's transcribed calls and answers with how many.
 */
public final class SpeechRuleRoutes implements RouteProvider {
    private static final String PATH = "/v1/sites/{id}/speech-rules";

    /** The rules as stored, and how many transcribed calls they are being applied to again. */
    record Changed(List<SpeechRule> rules, int reapplying) {}

    private final SpeechRuleRepository rules;
    private final RuleReapplication reapplication;

    public SpeechRuleRoutes(SpeechRuleRepository rules, RuleReapplication reapplication) {
        this.rules = rules;
        this.reapplication = reapplication;
    }

    @Override
    public List<Route> routes() {
        Need need = Need.site(Permission.SITE_SETTINGS, "id");
        return Route.all(List.of(Route.guarded("GET", PATH, need, r -> ApiResponse.ok(current(r)))),
                Route.replaceable(PATH, need, Document.class, this::current, this::set));
    }

    private Document current(ApiRequest r) {
        return new Document(rules.of(r.pathId("id")).rules());
    }

    private ApiResponse set(ApiRequest r, Document d) {
        long siteId = r.pathId("id");
        SpeechRules checked = SpeechRules.of(d == null ? null : d.rules());
        if (!rules.set(siteId, checked)) throw ApiException.notFound("site " + siteId + " not found");
        return ApiResponse.ok(new Changed(checked.rules(), reapplication.queue(siteId)));
    }
}
