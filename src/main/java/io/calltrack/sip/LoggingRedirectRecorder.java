package io.calltrack.sip;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Writes each redirected call to the log; stands in until the calls repository records SIP calls. */
public final class LoggingRedirectRecorder implements RedirectRecorder {
    private static final Logger log = LoggerFactory.getLogger(LoggingRedirectRecorder.class);

    @Override
    public void redirected(SipCallRequest request, RedirectDecision decision) {
        log.info("SIP call {} to {} from {}: {}", request.callId(), request.requestUriUser(),
                request.callerUser().orElse("anonymous"), decision);
    }
}
