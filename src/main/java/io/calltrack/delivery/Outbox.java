package io.calltrack.delivery;

import io.calltrack.calls.Call;
import io.calltrack.calls.CallRepository;
import io.calltrack.platform.jobs.Job;
import io.calltrack.platform.jobs.JobKind;
import io.calltrack.platform.jobs.JobRepository;
import io.calltrack.platform.jobs.JobState;
import io.calltrack.platform.jobs.NewJob;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A site's outgoing deliveries as jobs in the durable job queue: one job per configured target when a call
 * completes, is re-classified or is transcribed, and how they stand, in the delivery API's words.
 */
public final class Outbox {
    /** The API's name of a delivery not made because the call carries no id the target could match. */
    public static final String NOT_MATCHABLE = "not_matchable";

    private final JobRepository jobs;
    private final DeliverySettingsStore settings;
    private final CallRepository calls;
    private final List<DeliveryTarget> targets;
    private final MeterRegistry metrics;
    private final Clock clock;

    public Outbox(JobRepository jobs, DeliverySettingsStore settings, CallRepository calls,
                  List<DeliveryTarget> targets, MeterRegistry metrics, Clock clock) {
        this.jobs = jobs;
        this.settings = settings;
        this.calls = calls;
        this.targets = targets;
        this.metrics = metrics;
        this.clock = clock;
    }

    /**
     * Enqueues the call's deliveries for {@code event}: the webhook when the site has one, and on
     * {@code call.completed} alone the analytics conversions (Metrica, GA4) when configured. A call with no id the
     * analytics target can match ({@link AnalyticsMatch}) is not sent there: it is recorded as skipped instead
     * (shown as {@code notMatchable}, counted by {@code calltrack_calls_not_matchable_total}).
     * Returns how many deliveries were queued to be sent.
     */
    public int enqueueForCall(long callId, String event) {
        Optional<DeliverySettingsStore.OfSite> site = settings.forCall(callId);
        if (site.isEmpty()) return 0;
        long siteId = site.get().siteId();
        List<DeliveryTarget> on = targets.stream()
                .filter(t -> t.sends(event) && t.target(site.get().settings()).isPresent()).toList();
        if (on.isEmpty()) return 0;
        Optional<Call> call = calls.find(callId);
        if (call.isEmpty()) return 0;
        List<NewJob> queued = new ArrayList<>();
        for (DeliveryTarget t : on) {
            String target = t.target(site.get().settings()).orElseThrow();
            Optional<String> unmatchable = t.unmatchable(call.get());
            queued.add(unmatchable.isEmpty() ? NewJob.pending(t.kind(), target, siteId, callId, event)
                    : NewJob.skipped(t.kind(), target, siteId, callId, event, unmatchable.get()));
        }
        jobs.enqueue(queued, clock.instant());
        queued.stream().filter(j -> j.state() == JobState.SKIPPED).forEach(j -> Counter
                .builder("calltrack.calls.not.matchable")
                .description("completed calls not sent to an analytics target: no visitor id it can match")
                .tag("site", Long.toString(siteId)).tag("target", j.kind().dbValue()).register(metrics).increment());
        return (int) queued.stream().filter(j -> j.state() == JobState.PENDING).count();
    }

    /**
     * How a site's deliveries stand: per target (webhook, metrica, ga4), the number in each state as the API
     * names them: {@code pending} (running ones included), {@code delivered}, {@code dead}, {@code not_matchable}.
     */
    public Map<String, Map<String, Long>> status(long siteId) {
        Map<String, Map<String, Long>> out = new TreeMap<>();
        jobs.counts(siteId).forEach((kind, byState) -> byState.forEach((state, n) -> out
                .computeIfAbsent(kind.dbValue(), k -> new TreeMap<>()).merge(shownState(state), n, Long::sum)));
        return out;
    }

    static String shownState(JobState s) {
        return switch (s) {
            case PENDING, RUNNING -> "pending";
            case DONE -> "delivered";
            case DEAD -> "dead";
            case SKIPPED -> NOT_MATCHABLE;
        };
    }

    /**
     * A site's deliveries, newest first, from before the delivery {@code beforeId} (null: from the newest): the
     * jobs of the delivery targets, not the site's other jobs (transcriptions).
     */
    public List<Delivery> recent(long siteId, Long beforeId, int limit) {
        return jobs.ofSite(siteId, kinds(), beforeId, limit).stream().map(Delivery::of).toList();
    }

    /** A site's dead letters, newest first: its deliveries', not its other jobs'. */
    public List<Job> deadLetters(long siteId, int limit) {
        return jobs.dead(siteId, kinds(), limit);
    }

    private List<JobKind> kinds() {
        return targets.stream().map(DeliveryTarget::kind).toList();
    }

    /** The site of an outbox entry; empty when there is none (or it has no site). */
    public Optional<Long> siteOf(long id) {
        return jobs.siteOf(id);
    }

    public Optional<Job> find(long id) {
        return jobs.find(id);
    }

    /**
     * Puts a dead letter back in the queue as if new (fresh attempt count and age). False if it is not dead or is
     * no delivery.
     */
    public boolean resend(long id) {
        return jobs.revive(id, kinds(), clock.instant());
    }
}
