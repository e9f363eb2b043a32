package io.calltrack.telephony.sip;

import java.util.Optional;

/**
 * How a redirected call ended, as the PBX (or its CDR hook) reports it; {@code callId} is the SIP Call-ID of the
 * INVITE we redirected, {@code manager} the PBX's name for who answered, when it says.
 */
public record SipOutcome(String callId, boolean answered, int talkSeconds, int ringSeconds,
                         Optional<String> recordingUrl, Optional<String> manager) {}
