package io.calltrack.recordings.rules;

import io.calltrack.platform.jobs.Job;
import io.calltrack.platform.jobs.JobHandler;
import io.calltrack.platform.jobs.JobKind;
import io.calltrack.platform.jobs.JobOutcome;
import io.calltrack.platform.jobs.JobRepository;
import io.calltrack.platform.jobs.NewJob;
import io.calltrack.recordings.TranscriptRepository;
import java.time.Clock;
import java.util.List;
import java.util.Set;

/**
 * A site's changed speech rules, applied again to its transcribed calls: one {@link JobKind#SPEECH_RULES} job per
 * call on the durable queue (a restart resumes them, the request that changed the rules does not wait), each
 * applying the rules as they are when it runs, so rules changed twice in a row end in the latest.
 */
public final class RuleReapplication implements JobHandler {
    /** One target per site: a site's re-application takes at most outbox.per-target-concurrency workers. */
    static String target(long siteId) {
        return "speech rules site " + siteId;
    }

    static final String EVENT = "speech-rules.changed";

    private final TranscriptRepository transcripts;
    private final RuleApplier applier;
    private final JobRepository jobs;
    private final Clock clock;

    public RuleReapplication(TranscriptRepository transcripts, RuleApplier applier, JobRepository jobs, Clock clock) {
        this.transcripts = transcripts;
        this.applier = applier;
        this.jobs = jobs;
        this.clock = clock;
    }

    /**
     * Queues the re-application to each of the site's transcribed calls; returns how many will be re-applied. A call
     * whose re-application still waits to start is not queued twice: that job reads the rules as they are by then.
     */
    public int queue(long siteId) {
        Set<Long> waiting = jobs.waitingCalls(siteId, JobKind.SPEECH_RULES);
        List<Long> calls = transcripts.transcribedCalls(siteId);
        List<NewJob> each = calls.stream().filter(callId -> !waiting.contains(callId))
                .map(callId -> NewJob.pending(JobKind.SPEECH_RULES, target(siteId), siteId, callId, EVENT)).toList();
        jobs.enqueue(each, clock.instant());
        return calls.size();
    }

    @Override
    public JobKind kind() {
        return JobKind.SPEECH_RULES;
    }

    /** A call whose transcript is gone since (erased) has nothing to apply the rules to: done. */
    @Override
    public JobOutcome run(Job job) {
        transcripts.find(job.callId()).ifPresent(t -> applier.apply(job.siteId(), t));
        return new JobOutcome.Done();
    }
}
