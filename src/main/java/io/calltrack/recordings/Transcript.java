package io.calltrack.recordings;

import java.time.Instant;
import java.util.List;

/** A call's stored transcript. */
public record Transcript(long callId, String language, double audioSeconds, Instant transcribedAt, List<Turn> turns) {}
