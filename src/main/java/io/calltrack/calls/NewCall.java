package io.calltrack.calls;

import io.calltrack.tracking.Attribution;
import java.time.Instant;
import java.util.Optional;

/**
 * A call as its first writer (FastAGI at ring time, or the SIP redirect) knows it: its key ({@code linkedid}), where
 * it came in ({@code origin}: agi or sip), when, the caller (E.164; empty when anonymous or unparsable) and its
 * attribution, which names the dialled number and the visit it is credited to.
 */
public record NewCall(String linkedid, String origin, Instant startedAt, Optional<String> callerNumber,
                      Attribution attribution) {}
