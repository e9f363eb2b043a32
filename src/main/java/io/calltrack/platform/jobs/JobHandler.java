package io.calltrack.platform.jobs;

/**
 * Runs the jobs of one {@link JobKind}. {@link #run} is called on a worker thread with no database connection held
 * by the queue, for as long as it takes: the worker renews the job's lease while it runs, so a long local job
 * (a transcription) is not claimed twice. Delivery is at least once: a worker that dies mid-job leaves the job to
 * run again when its lease runs out, with the same {@link Job#id}; a handler passes that id on where its receiver can
 * drop repeats. {@link #run} should not throw: an exception counts as a {@link JobOutcome.Retry}.
 */
public interface JobHandler {
    JobKind kind();

    JobOutcome run(Job job);
}
