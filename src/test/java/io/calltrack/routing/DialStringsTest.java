package io.calltrack.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import javax.sip.SipFactory;
import javax.sip.address.AddressFactory;
import javax.sip.address.SipURI;
import org.junit.jupiter.api.Test;

class DialStringsTest {

    @Test
    void whatAsterisk22CanDialIsAccepted() {
        for (String dial : List.of("PJSIP/101", "PJSIP/+15551234567@trunk", "PJSIP/trunk/sip:+15551234567@carrier.example.com",
                "PJSIP/101/sip:101@10.0.0.5:5062;transport=tcp", "PJSIP/101/office-aor", "PJSIP/101@example.com",
                "Local/101@agents", "Local/101@agents/n", "Local/*72@features", "IAX2/peer/101", "IAX2/peer",
                "IAX2/user:secret@peer.example.com:4569/101@default", "DAHDI/1/5551234", "DAHDI/g1/5551234",
                "DAHDI/i1/101")) {
            assertEquals(dial, DialStrings.asterisk(dial), dial);
            assertEquals(Telephony.ASTERISK, DialStrings.telephonyOf(dial), dial);
        }
    }

    @Test
    void theTechnologyIsSpelledAsAsteriskNamesItsChannels() {
        // Asterisk finds technologies case-insensitively, but names channels PJSIP/101-0000002a: the spelling
        // calltrack matches answering channels against
        assertEquals("PJSIP/101", DialStrings.asterisk("pjsip/101"));
        assertEquals("Local/101@agents", DialStrings.asterisk("LOCAL/101@agents"));
        assertEquals("IAX2/peer/101", DialStrings.asterisk("iax2/peer/101"));
    }

    @Test
    void sipUrisForTheRedirectAreAcceptedAndParseAsJainSipDoes() throws Exception {
        AddressFactory addresses = SipFactory.getInstance().createAddressFactory();
        for (String uri : List.of("sip:bob@pbx.example.com", "sips:bob@pbx.example.com:5061", "sip:101@10.0.0.5",
                "sip:+15551234567@carrier.example.com;user=phone", "sip:101@10.0.0.5:5062;transport=tcp",
                "sip:ann@[2001:db8::1]:5060", "sip:pbx.example.com", "sip:ann%20lee@pbx.example.com",
                "sip:ann.lee-1_x@pbx.example.com.")) {
            assertEquals(uri, DialStrings.sipUri(uri), uri);
            assertEquals(Telephony.SIP_REDIRECT, DialStrings.telephonyOf(uri), uri);
            assertInstanceOf(SipURI.class, addresses.createURI(uri), uri);
        }
        assertEquals("sip:bob@pbx.example.com", DialStrings.sipUri("SIP:bob@pbx.example.com"));
    }

    @Test
    void eitherFormIsADestination() {
        assertEquals("PJSIP/trunk/+12125550199", DialStrings.destination("PJSIP/trunk/+12125550199"));
        assertEquals("sip:+12125550199@carrier.example.com", DialStrings.destination("sip:+12125550199@carrier.example.com"));
        assertRejected(() -> DialStrings.destination("12125550199"), "'12125550199' is neither an Asterisk dial string "
                + "(PJSIP/101, PJSIP/+15551234567@trunk, Local/101@agents) nor a SIP URI (sip:101@pbx.example.com)");
    }

    @Test
    void aSipUriIsNotWhatAsteriskDials() {
        assertRejected(() -> DialStrings.asterisk("sip:bob@pbx.example.com"), "'sip:bob@pbx.example.com' is a SIP URI; "
                + "FastAGI needs an Asterisk dial string such as PJSIP/101, or PJSIP/<endpoint>/sip:bob@pbx.example.com "
                + "to dial the URI through a PJSIP endpoint");
        assertRejected(() -> DialStrings.sipUri("PJSIP/101"), "'PJSIP/101' is an Asterisk dial string; the SIP redirect "
                + "needs a SIP URI such as sip:101@pbx.example.com");
    }

    @Test
    void chanSipIsGoneSinceAsterisk21() {
        assertRejected(() -> DialStrings.asterisk("SIP/101"), "'SIP/101': chan_sip was removed in Asterisk 21; "
                + "dial through PJSIP (PJSIP/101, or PJSIP/<trunk>/sip:user@host)");
    }

    @Test
    void unknownTechnologiesAndMalformedResourcesAreNamed() {
        assertRejected(() -> DialStrings.asterisk("Skype/bob"), "'Skype/bob': technology 'Skype' is not one calltrack "
                + "dials; use PJSIP, IAX2, Local or DAHDI");
        assertRejected(() -> DialStrings.asterisk("101"), "'101' is not an Asterisk dial string (TECHNOLOGY/resource "
                + "such as PJSIP/101, PJSIP/+15551234567@trunk, Local/101@agents)");
        assertRejected(() -> DialStrings.asterisk("PJSIP/"), "'PJSIP/' has no resource after 'PJSIP/'");
        assertRejected(() -> DialStrings.asterisk("Local/101"), "'Local/101' is not Local/<extension>@<context>[/options], "
                + "e.g. Local/101@agents");
        assertRejected(() -> DialStrings.asterisk("PJSIP/trunk/sip:bob@"), "'PJSIP/trunk/sip:bob@' is not "
                + "PJSIP/<endpoint>, PJSIP/<user>@<endpoint> or PJSIP/<endpoint>/<aor or sip: URI>, e.g. PJSIP/101: "
                + "'sip:bob@' has no valid host");
        assertRejected(() -> DialStrings.asterisk("PJSIP/1;01"), "'PJSIP/1;01' is not PJSIP/<endpoint>, "
                + "PJSIP/<user>@<endpoint> or PJSIP/<endpoint>/<aor or sip: URI>, e.g. PJSIP/101");
        assertRejected(() -> DialStrings.asterisk("IAX2/"), "'IAX2/' has no resource after 'IAX2/'");
        assertRejected(() -> DialStrings.asterisk("DAHDI/g1/555@x"), "'DAHDI/g1/555@x' is not "
                + "DAHDI/<channel or group>[/<number>], e.g. DAHDI/g1/5551234");
    }

    @Test
    void charactersThatBreakDialOrTheAgiCommandLineAreRefused() {
        assertRejected(() -> DialStrings.asterisk("PJSIP/101,30,tT"), "'PJSIP/101,30,tT' contains ',', which separates "
                + "Dial's arguments (calltrack adds the ring timeout itself)");
        assertRejected(() -> DialStrings.asterisk("PJSIP/101&PJSIP/102"), "'PJSIP/101&PJSIP/102' contains '&': "
                + "one phone per destination (ring_all rings a department's managers together)");
        assertRejected(() -> DialStrings.asterisk("PJSIP/101|30"), "'PJSIP/101|30' contains '|', which Asterisk "
                + "or the FastAGI command line would misread");
        assertRejected(() -> DialStrings.asterisk("PJSIP/\"101\""), "'PJSIP/\"101\"' contains '\"', which Asterisk "
                + "or the FastAGI command line would misread");
        assertRejected(() -> DialStrings.asterisk("PJSIP/'101'"), "'PJSIP/'101'' contains ''', which Asterisk "
                + "or the FastAGI command line would misread");
        assertRejected(() -> DialStrings.asterisk("PJSIP/1\\01"), "'PJSIP/1\\01' contains '\\', which Asterisk "
                + "or the FastAGI command line would misread");
        assertRejected(() -> DialStrings.asterisk("PJSIP/1 01"), "'PJSIP/1 01' contains a space");
        assertRejected(() -> DialStrings.asterisk("PJSIP/101\nHANGUP"), "'PJSIP/101?HANGUP' contains a control character");
        assertRejected(() -> DialStrings.sipUri("sip:bob@pbx.example.com\r\nVia: x"),
                "'sip:bob@pbx.example.com??Via: x' contains a control character");
        assertRejected(() -> DialStrings.asterisk(" "), "is empty");
        assertRejected(() -> DialStrings.asterisk("PJSIP/" + "1".repeat(300)),
                "'PJSIP/1111111111111111111111111111111111...' is 306 characters long, at most 255 are allowed");
    }

    @Test
    void sipUrisFollowRfc3261() {
        assertRejected(() -> DialStrings.sipUri("sip:"), "'sip:' has no valid host");
        assertRejected(() -> DialStrings.sipUri("sip:bob@"), "'sip:bob@' has no valid host");
        assertRejected(() -> DialStrings.sipUri("sip:bob@pbx_example.com"), "'sip:bob@pbx_example.com' has no valid host");
        assertRejected(() -> DialStrings.sipUri("sip:bob@999.1.1.1"), "'sip:bob@999.1.1.1' has no valid host");
        assertRejected(() -> DialStrings.sipUri("sip:bob@pbx.example.com:70000"),
                "'sip:bob@pbx.example.com:70000' has port 70000; ports are 1-65535");
        assertRejected(() -> DialStrings.sipUri("sip:bob@pbx.example.com?Subject=hi"),
                "'sip:bob@pbx.example.com?Subject=hi' carries ?headers; a Contact for a redirect must not");
        assertRejected(() -> DialStrings.sipUri("sip:bob@pbx.example.com;=x"), "'sip:bob@pbx.example.com;=x' "
                + "is not sip:[user@]host[:port][;param=value...]");
        assertRejected(() -> DialStrings.sipUri("tel:+15551234567"), "'tel:+15551234567' is not a SIP URI "
                + "(sip:101@pbx.example.com or sips:...)");
    }

    private static void assertRejected(org.junit.jupiter.api.function.Executable check, String message) {
        assertEquals(message, assertThrows(DialStrings.Invalid.class, check).getMessage());
    }
}
