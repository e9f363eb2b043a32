package io.calltrack.recordings.api;

import io.calltrack.access.Permission;

import io.calltrack.calls.Call;
import io.calltrack.calls.CallRepository;
import io.calltrack.platform.http.ApiException;
import io.calltrack.platform.http.ApiRequest;
import io.calltrack.platform.http.ApiResponse;
import io.calltrack.platform.http.Need;
import io.calltrack.platform.http.Route;
import io.calltrack.platform.http.RouteProvider;
import io.calltrack.platform.jobs.Job;
import io.calltrack.platform.jobs.JobKind;
import io.calltrack.platform.jobs.JobRepository;
import io.calltrack.recordings.Transcript;
import io.calltrack.recordings.TranscriptRepository;
import io.calltrack.recordings.TranscriptionSettings;
import io.calltrack.recordings.rules.SpeechRuleRepository;
import io.calltrack.recordings.rules.SpeechRules;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A call's transcript and how its job stands ({@code status}: none, pending, running, done, dead with the
 * {@code error}) with the words the site's speech rules match in it, and a site's transcription switch and language.
 */
public final class TranscriptRoutes implements RouteProvider {
    private static final Pattern LANGUAGE = Pattern.compile("[a-z]{2}");

    private final CallRepository calls;
    private final TranscriptRepository transcripts;
    private final JobRepository jobs;
    private final TranscriptionSettings settings;
    private final SpeechRuleRepository rules;

    public TranscriptRoutes(CallRepository calls, TranscriptRepository transcripts, JobRepository jobs,
                            TranscriptionSettings settings, SpeechRuleRepository rules) {
        this.calls = calls;
        this.transcripts = transcripts;
        this.jobs = jobs;
        this.settings = settings;
        this.rules = rules;
    }

    /**
     * {@code transcript} is null until the job is done; {@code error} is the last attempt's; {@code spans} the words
     * the site's speech rules match, by the rules as they are now (empty without a transcript).
     */
    public record CallTranscript(long callId, String status, String error, Transcript transcript,
                                 List<SpeechRules.Span> spans) {}

    /** A site's setting: {@code language} is a two-letter code with a model (transcription.models.*). */
    public record SiteTranscription(Boolean enabled, String language) {}

    @Override
    public List<Route> routes() {
        // what was said is as personal as the recording: the same permission
        return Route.all(List.of(Route.guarded("GET", "/v1/calls/{id}/transcript",
                        Need.entity(Permission.RECORDINGS, "call", "id", calls::siteOf), this::transcript)),
                Route.replaceable("/v1/sites/{id}/transcription", Need.site(Permission.SITE_SETTINGS, "id"),
                        SiteTranscription.class, this::site, this::setSite));
    }

    private ApiResponse transcript(ApiRequest r) {
        long id = r.pathId("id");
        Call call = calls.find(id).orElseThrow(() -> ApiException.notFound("call " + id + " not found"));
        Optional<Transcript> t = transcripts.find(id);
        Optional<Job> job = jobs.latest(id, JobKind.TRANSCRIPTION);
        String status = t.isPresent() ? "done" : job.map(j -> j.state().dbValue()).orElse("none");
        List<SpeechRules.Span> spans = t.flatMap(transcript -> call.siteId()
                .map(site -> rules.of(site).apply(transcript).spans())).orElse(List.of());
        return ApiResponse.ok(new CallTranscript(id, status, job.map(Job::lastError).orElse(null), t.orElse(null),
                spans));
    }

    private SiteTranscription site(ApiRequest r) {
        TranscriptionSettings.Site s = settings.of(r.pathId("id"));
        return new SiteTranscription(s.enabled(), s.language());
    }

    private ApiResponse setSite(ApiRequest r, SiteTranscription s) {
        long siteId = r.pathId("id");
        if (s.enabled() == null) throw ApiException.badRequest("enabled (true or false) is required");
        if (s.language() == null || !LANGUAGE.matcher(s.language()).matches()) {
            throw ApiException.badRequest("language must be a two-letter code such as en or ru");
        }
        if (!settings.set(siteId, new TranscriptionSettings.Site(s.enabled(), s.language()))) {
            throw ApiException.notFound("site " + siteId + " not found");
        }
        return ApiResponse.ok(s);
    }
}
