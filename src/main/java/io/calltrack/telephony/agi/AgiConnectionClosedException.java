package io.calltrack.telephony.agi;

/** The FastAGI connection ended (Asterisk went away, or the script already ended) before a reply arrived. */
public final class AgiConnectionClosedException extends RuntimeException {
    public AgiConnectionClosedException(String message) {
        super(message);
    }
}
