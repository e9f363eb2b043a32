package io.calltrack.platform.jobs;

import java.time.Instant;

/** How a claimed job stands after one run: its new state, when it is due next, the error, when it was done. */
public record Settlement(JobState state, Instant nextAttemptAt, String error, Instant doneAt) {}
