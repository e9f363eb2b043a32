package io.calltrack.telephony.sip;

import java.time.Instant;
import java.util.Optional;

/**
 * An INVITE as the routing side needs it: the dialled number (Request-URI user part, as the PBX wrote it,
 * E.164 or national), the caller's user part from the From header when there is one, the SIP Call-ID
 * (the key the PBX later posts outcomes under) and when it arrived.
 */
public record SipCallRequest(String requestUriUser, Optional<String> callerUser, String callId, Instant at) {}
