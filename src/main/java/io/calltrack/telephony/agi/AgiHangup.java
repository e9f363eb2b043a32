package io.calltrack.telephony.agi;

/** Asterisk's {@code HANGUP} line: the caller is gone (sent unless the dialplan set AGISIGHUP=no). */
enum AgiHangup {
    NOTICE
}
