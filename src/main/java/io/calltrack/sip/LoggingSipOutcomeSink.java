package io.calltrack.sip;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Writes outcomes to the log; stands in until the calls repository stores SIP outcomes. */
public final class LoggingSipOutcomeSink implements SipOutcomeSink {
    private static final Logger log = LoggerFactory.getLogger(LoggingSipOutcomeSink.class);

    @Override
    public boolean outcome(SipOutcome outcome) {
        log.info("SIP call outcome {}", outcome);
        return true;
    }
}
