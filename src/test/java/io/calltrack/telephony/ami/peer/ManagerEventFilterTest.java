package io.calltrack.telephony.ami.peer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The peer's filter must decide as Asterisk does: these are Asterisk 22's own cases (main/manager.c tests). */
class ManagerEventFilterTest {

    @Test
    void includeAndExcludeFiltersAsInAsterisksEventfilterTestMatching() {
        ManagerEventFilter f = new ManagerEventFilter()
                .add("eventfilter(name(VarSet),method(none))", "")
                .add("eventfilter(name(Newchannel),method(regex))", "X[XYZ]X")
                .add("eventfilter(name(Newchannel),method(regex))", "X[abc]X")
                .add("eventfilter(name(Newchannel),header(Someheader),method(regex))", "ZZZ")
                .add("eventfilter(action(exclude),name(Newchannel),method(regex))", "X[a]X")
                .add("eventfilter(action(exclude),name(Newchannel),method(regex))", "X[Z]X")
                .add("eventfilter(action(exclude),name(VarSet),header(Channel),method(regex))", "YYY");
        assertTrue(f.passes("Newchannel", "Event: Newchannel\r\nChannel: XXX\r\nSomeheader: YYY\r\n"));
        assertEquals(false, f.passes("Newchannel", "Event: Newchannel\r\nChannel: XZX\r\nSomeheader: YYY\r\n"));
        assertEquals(false, f.passes("Newchannel", "Event: Newchannel\r\nChannel: XaX\r\nSomeheader: YYY\r\n"));
        assertTrue(f.passes("Newchannel", "Event: Newchannel\r\nChannel: XbX\r\nSomeheader: YYY\r\n"));
        assertTrue(f.passes("Newchannel", "Event: Newchannel\r\nChannel: XcX\r\nSomeheader: YYY\r\n"));
        assertEquals(false, f.passes("Newchannel", "Event: Newchannel\r\nChannel: YYY\r\nSomeheader: YYY\r\n"));
        assertTrue(f.passes("Newchannel", "Event: Newchannel\r\nChannel: YYY\r\nSomeheader: ZZZ\r\n"));
        assertTrue(f.passes("VarSet", "Event: VarSet\r\nChannel: XXX\r\nSomeheader: YYY\r\n"));
        assertEquals(false, f.passes("VarSet", "Event: VarSet\r\nChannel: YYY\r\nSomeheader: YYY\r\n"));
        assertEquals(false, f.passes("Hangup", "Event: Hangup\r\nChannel: XXX\r\n"), "includes make a whitelist");
    }

    @Test
    void legacyLinesAreRegexesOverTheWholeEventAndNoLinesSendEverything() {
        assertTrue(new ManagerEventFilter().passes("Newexten", "Event: Newexten\r\n"));
        ManagerEventFilter legacy = new ManagerEventFilter().add("eventfilter", "!Event: Newexten");
        assertEquals(false, legacy.passes("Newexten", "Event: Newexten\r\nChannel: PJSIP/1-1\r\n"));
        assertTrue(legacy.passes("Hangup", "Event: Hangup\r\nChannel: PJSIP/1-1\r\n"), "exclude only: the rest passes");
    }

    @Test
    void linesAsteriskRefusesAreRefused() {
        // the FILTER_FORMAT_ERROR rows of Asterisk's eventfilter_test_creation
        for (String[] line : new String[][] {{"eventfilter(action(include)", ""}, {"eventfilter(action(inlude))", ""},
                {"eventfilter(nnnn(yyy))", "XXX"}, {"eventfilter(method(coains))", "XXX"},
                {"eventfilter(method(yyy))", "XXX"}, {"eventfilter", ""}, {"eventfilter", "!"},
                {"eventfilter()", "XXX"}, {"eventfilter(name(Hangup),method(exact))", ""},
                {"eventfilter(name(Hangup))", "XXX"}}) {
            assertThrows(IllegalArgumentException.class, () -> new ManagerEventFilter().add(line[0], line[1]),
                    line[0] + " = " + line[1]);
        }
    }
}
