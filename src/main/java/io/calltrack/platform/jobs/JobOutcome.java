package io.calltrack.platform.jobs;

/** What one run of a job came to. */
public sealed interface JobOutcome {
    record Done() implements JobOutcome {}

    /** Worth another attempt after the back-off (5xx, 429, timeout, connection refused, interrupted). */
    record Retry(String error) implements JobOutcome {}

    /** Will never succeed as it is (4xx, the call is gone, the target was removed): straight to the dead jobs. */
    record Failed(String error) implements JobOutcome {}
}
