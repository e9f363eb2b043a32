package io.calltrack.calls;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.calltrack.Json;
import org.junit.jupiter.api.Test;

/** What Asterisk writes as a dial status, read into the enum: every value has a constant, none is refused. */
class DialStatusTest {

    @Test
    void dialEndsOwnStatusesAreKnownAndAGotoIsOneWhereverItWent() {
        assertEquals(DialStatus.ABORT, DialStatus.of("ABORT"));
        assertEquals(DialStatus.CONTINUE, DialStatus.of("CONTINUE"));
        assertEquals(DialStatus.GOTO, DialStatus.of("GOTO:from-internal,s,1"));
        assertEquals(DialStatus.NOANSWER, DialStatus.of("NOANSWER"));
    }

    @Test
    void anythingElseIsUnknownNeverAnError() {
        assertEquals(DialStatus.UNKNOWN, DialStatus.of(null));
        assertEquals(DialStatus.UNKNOWN, DialStatus.of(""));
        assertEquals(DialStatus.UNKNOWN, DialStatus.of("answer"), "Asterisk writes them in capitals");
        assertEquals(DialStatus.UNKNOWN, DialStatus.of("SOMETHING_A_LATER_ASTERISK_ADDS"));
    }

    /** A spooled signal with a status this version does not know still replays (as unknown) instead of being skipped. */
    @Test
    void aSpooledSignalWithAStatusNotKnownHereIsRead() throws Exception {
        CallSignal s = Json.mapper().readValue("""
                {"linkedid":"L1","callId":null,"key":"dialend/x","kind":"DIAL_END","at":"2026-11-02T10:00:20Z",
                 "channel":null,"value":null,"dialStatus":"SOMETHING_NEW","cause":null,"text":null,
                 "incomplete":false,"dialled":null}""", CallSignal.class);
        assertEquals(DialStatus.UNKNOWN, s.dialStatus());
        assertEquals(s, Json.mapper().readValue(Json.mapper().writeValueAsString(s), CallSignal.class));
    }
}
