package io.calltrack.calls;

import io.calltrack.tracking.Attribution;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A call as its first writer (FastAGI at ring time, or the SIP redirect) knows it: its key ({@code linkedid}), where
 * it came in ({@code origin}: agi or sip), when, the caller (E.164; empty when anonymous or unparsable) and its
 * attribution, which names the dialled number and the visit it is credited to. {@code targetThresholdSeconds}: the
 * threshold of the number's site, which the call is classified by (empty for a number of no site).
 */
public record NewCall(String linkedid, String origin, Instant startedAt, Optional<String> callerNumber,
                      Attribution attribution, OptionalInt targetThresholdSeconds) {}
