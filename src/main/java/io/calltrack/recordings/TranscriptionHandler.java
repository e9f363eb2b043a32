package io.calltrack.recordings;

import io.calltrack.calls.Call;
import io.calltrack.calls.CallRepository;
import io.calltrack.calls.RecordingFiles;
import io.calltrack.platform.jobs.Job;
import io.calltrack.platform.jobs.JobHandler;
import io.calltrack.platform.jobs.JobKind;
import io.calltrack.platform.jobs.JobOutcome;
import io.calltrack.recordings.rules.RuleApplier;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a transcription job: the call's recording through the {@link Transcriber}, the dialogue into
 * {@link TranscriptRepository}, and the site's speech rules tag and judge the call ({@link RuleApplier}); then the
 * {@link TranscriptListener} is told (the webhook's {@code call.transcribed}). A
 * recording that is missing or unreadable, or a language without a model, is a failed job whose error says why
 * (shown by {@code GET /v1/calls/{id}/transcript}); a database error, or a recording MixMonitor is still writing, is
 * a retry.
 */
public final class TranscriptionHandler implements JobHandler {
    private static final Logger log = LoggerFactory.getLogger(TranscriptionHandler.class);

    private final CallRepository calls;
    private final TranscriptionSettings settings;
    private final Transcriber transcriber;
    private final TranscriptRepository transcripts;
    private final RecordingFiles recordings;
    private final RuleApplier rules;
    private final TranscriptListener listener;
    private final Clock clock;
    private final Timer timer;

    public TranscriptionHandler(CallRepository calls, TranscriptionSettings settings, Transcriber transcriber,
                                TranscriptRepository transcripts, RecordingFiles recordings, RuleApplier rules,
                                TranscriptListener listener, MeterRegistry metrics, Clock clock) {
        this.calls = calls;
        this.settings = settings;
        this.transcriber = transcriber;
        this.transcripts = transcripts;
        this.recordings = recordings;
        this.rules = rules;
        this.listener = listener;
        this.clock = clock;
        this.timer = Timer.builder("calltrack.transcription.duration")
                .description("time to transcribe one call's recording").register(metrics);
    }

    @Override
    public JobKind kind() {
        return JobKind.TRANSCRIPTION;
    }

    @Override
    public JobOutcome run(Job job) {
        Optional<Call> call = calls.find(job.callId());
        if (call.isEmpty()) return new JobOutcome.Failed("call " + job.callId() + " no longer exists");
        String stored = call.get().recordingPath().orElse(null);
        Optional<Path> file;
        try {
            file = recordings.resolve(stored);
        } catch (IOException e) {
            return new JobOutcome.Retry("the recording directory is unreadable: " + e);
        }
        if (file.isEmpty()) {
            return new JobOutcome.Failed("recording " + stored + " is not a file in the recording directory");
        }
        String language = settings.of(job.siteId()).language();
        long began = System.nanoTime();
        try {
            Transcriber.Result r = transcriber.transcribe(file.get(), language);
            Instant at = clock.instant();
            // stored before the rules read it: a change of the rules meanwhile then finds this call among the
            // transcribed ones and re-applies itself, where the other order would keep the old rules' tags for good
            transcripts.save(job.callId(), language, r.audioSeconds(), r.dialogue(), at);
            rules.apply(job.siteId(), new Transcript(job.callId(), language, r.audioSeconds(), at, r.dialogue().turns()));
            listener.transcribed(job.callId());
            long nanos = System.nanoTime() - began;
            timer.record(java.time.Duration.ofNanos(nanos));
            log.debug("call {}: {} s of audio transcribed in {} ms", job.callId(), r.audioSeconds(), nanos / 1_000_000);
            return new JobOutcome.Done();
        } catch (RecordingStillOpen e) {
            return new JobOutcome.Retry(e.getMessage());
        } catch (UnreadableRecording | SpeechEngine.NoModel e) {
            log.warn("call {}: not transcribed: {}", job.callId(), e.getMessage());
            return new JobOutcome.Failed(e.getMessage());
        }
    }
}
