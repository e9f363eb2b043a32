package io.calltrack.telephony.agi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.LineBasedFrameDecoder;
import io.netty.handler.codec.TooLongFrameException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class AgiCodecTest {
    /** A header block as Asterisk 22 sends it for a Local channel, bare \n line ends. */
    static final String HEADER_BLOCK = """
            agi_network: yes
            agi_network_script: incoming?site=7
            agi_request: agi://10.0.0.5:4573/incoming?site=7
            agi_channel: Local/1000@from-test-00000003;2
            agi_language: en
            agi_type: Local
            agi_uniqueid: 1795382012.7
            agi_version: 22.10.1
            agi_callerid: unknown
            agi_calleridname: unknown
            agi_callingpres: 67
            agi_callingani2: 0
            agi_callington: 0
            agi_callingtns: 0
            agi_dnid: unknown
            agi_rdnis: unknown
            agi_context: from-test
            agi_extension: 1000
            agi_priority: 2
            agi_enhanced: 0.0
            agi_accountcode:\s
            agi_threadid: 140536457201408
            agi_arg_1: first arg
            agi_arg_2: (x)

            """;

    private static EmbeddedChannel decoder() {
        return new EmbeddedChannel(new LineBasedFrameDecoder(256, true, true), new AgiDecoder(40));
    }

    private static void feed(EmbeddedChannel ch, String text) {
        ch.writeInbound(Unpooled.copiedBuffer(text, StandardCharsets.UTF_8));
    }

    private static AgiRequest request(EmbeddedChannel ch) {
        feed(ch, HEADER_BLOCK);
        return assertInstanceOf(AgiRequest.class, ch.readInbound());
    }

    @Test
    void headerBlockBecomesRequestWithEveryFieldAsSent() {
        AgiRequest r = request(decoder());
        assertEquals("yes", r.network());
        assertEquals("incoming?site=7", r.networkScript());
        assertEquals("incoming", r.scriptPath());
        assertEquals("sales/incoming", AgiRequest.of(Map.of("agi_network_script", "//sales/incoming/?x=1")).scriptPath());
        assertEquals("", AgiRequest.of(Map.of("agi_network_script", "/")).scriptPath());
        assertEquals("Local/1000@from-test-00000003;2", r.channel());
        assertEquals("1795382012.7", r.uniqueId());
        assertEquals("22.10.1", r.version());
        assertEquals("unknown", r.callerId());
        assertEquals("unknown", r.dnid());
        assertEquals(Optional.empty(), AgiRequest.known(r.dnid()));
        assertEquals(Optional.of("1000"), AgiRequest.known(r.extension()));
        assertEquals("67", r.callingPres());
        assertEquals("from-test", r.context());
        assertEquals("2", r.priority());
        assertEquals("", r.accountCode());
        assertEquals("140536457201408", r.threadId());
        assertEquals(List.of("first arg", "(x)"), r.args());
        assertEquals(Optional.of("Local"), r.header("agi_type"));
    }

    @Test
    void crlfLineEndsAreTolerated() {
        EmbeddedChannel ch = decoder();
        feed(ch, HEADER_BLOCK.replace("\n", "\r\n"));
        AgiRequest r = assertInstanceOf(AgiRequest.class, ch.readInbound());
        assertEquals("Local/1000@from-test-00000003;2", r.channel());
        feed(ch, "200 result=1 (x)\r\n");
        assertEquals(Optional.of("x"), ((AgiReply) ch.readInbound()).data());
    }

    @Test
    void headerBlockArrivingInPiecesIsOneRequest() {
        EmbeddedChannel ch = decoder();
        int half = HEADER_BLOCK.length() / 2;
        feed(ch, HEADER_BLOCK.substring(0, half));
        assertNull(ch.readInbound());
        feed(ch, HEADER_BLOCK.substring(half));
        assertInstanceOf(AgiRequest.class, ch.readInbound());
    }

    @Test
    void repliesAfterTheHeaderIncludingHangupAndUsageBlock() {
        EmbeddedChannel ch = decoder();
        request(ch);
        feed(ch, "200 result=1 (Local/1000@from-test-00000003;2)\nHANGUP\n511 Command Not Permitted on a dead channel or intercept routine\n"
                + "520-Invalid command syntax.  Proper usage follows:\n Usage: SET VARIABLE <variablename> <value>\n\n520 End of proper usage.\n");
        assertEquals(Optional.of("Local/1000@from-test-00000003;2"), ((AgiReply) ch.readInbound()).data());
        assertEquals(AgiHangup.NOTICE, ch.readInbound());
        assertTrue(((AgiReply) ch.readInbound()).deadChannel());
        AgiReply usage = ch.readInbound();
        assertEquals(AgiReply.USAGE, usage.status());
        assertEquals(List.of("Invalid command syntax.  Proper usage follows:",
                " Usage: SET VARIABLE <variablename> <value>", ""), usage.usage());
        assertNull(ch.readInbound());
    }

    @Test
    void replyLinesParse() {
        AgiReply unset = AgiReply.parse("200 result=0");
        assertEquals(0, unset.resultCode());
        assertEquals(Optional.empty(), unset.data());

        AgiReply nested = AgiReply.parse("200 result=1 (Dial(PJSIP/101) (ringing) done)");
        assertEquals(Optional.of("Dial(PJSIP/101) (ringing) done"), nested.data());

        AgiReply stream = AgiReply.parse("200 result=0 endpos=16000");
        assertEquals(OptionalLong.of(16000), stream.endpos());
        assertEquals(Optional.empty(), stream.data());

        AgiReply both = AgiReply.parse("200 result=35 (a b) endpos=8000");
        assertEquals(35, both.resultCode());
        assertEquals(Optional.of("a b"), both.data());
        assertEquals(OptionalLong.of(8000), both.endpos());

        AgiReply timeout = AgiReply.parse("200 result= (timeout)");
        assertTrue(timeout.timedOut());
        assertEquals("", timeout.result());
        AgiReply partial = AgiReply.parse("200 result=12 (timeout)");
        assertTrue(partial.timedOut());
        assertEquals("12", partial.result());
        AgiReply digits = AgiReply.parse("200 result=1234");
        assertFalse(digits.timedOut());
        assertEquals("1234", digits.result());

        assertEquals(-2, AgiReply.parse("200 result=-2").resultCode());
        assertEquals(AgiReply.INVALID_COMMAND, AgiReply.parse("510 Invalid or unknown command").status());
        assertEquals(AgiReply.USAGE, AgiReply.parse("520 Invalid command syntax.  Proper usage not available.").status());
        assertThrows(AgiProtocolException.class, () -> AgiReply.parse("OK fine"));
        assertThrows(AgiProtocolException.class, () -> AgiReply.parse("200 result=1 trailing junk"));
    }

    /** Found by AgiFuzzTest: an endpos beyond a long was a NumberFormatException, logged as an internal error. */
    @Test
    void anEndposBeyondALongIsAProtocolError() {
        AgiProtocolException e = assertThrows(AgiProtocolException.class,
                () -> AgiReply.parse("200 result=0 endpos=99999999999999999999"));
        assertTrue(e.getMessage().contains("endpos"), e.getMessage());
    }

    @Test
    void malformedHeaderInputIsAProtocolError() {
        assertProtocolError("GET / HTTP/1.1\n", "is not 'agi_name: value'");
        assertProtocolError("agi_Network: yes\n", "is not 'agi_name: value'");
        assertProtocolError("agi_: yes\n", "is not 'agi_name: value'");
        assertProtocolError("agi_net work: yes\n", "is not 'agi_name: value'");
        assertProtocolError("\n", "empty line before any agi_ header");
        assertProtocolError("agi_network: yes\nagi_request: agi://x/incoming\n\n", "without agi_channel");
        assertProtocolError("agi_network: yes\n\u0000\u0001\u00ff\n", "control character");
        StringBuilder many = new StringBuilder();
        for (int i = 0; i < 41; i++) {
            many.append("agi_arg_").append(i + 1).append(": x\n");
        }
        assertProtocolError(many.toString(), "more than 40 header lines");
    }

    @Test
    void binaryJunkIsAProtocolError() {
        EmbeddedChannel ch = decoder();
        DecoderException e = assertThrows(DecoderException.class,
                () -> ch.writeInbound(Unpooled.wrappedBuffer(new byte[] {(byte) 0xc3, (byte) 0x28, 'a', '\n'})));
        assertTrue(e.getCause().getMessage().contains("binary data"), e.getCause().getMessage());
    }

    @Test
    void overLongLineIsRefused() {
        EmbeddedChannel ch = decoder();
        assertThrows(TooLongFrameException.class, () -> feed(ch, "agi_network: " + "y".repeat(300) + "\n"));
    }

    @Test
    void garbageAfterTheHeaderIsAProtocolError() {
        EmbeddedChannel ch = decoder();
        request(ch);
        DecoderException e = assertThrows(DecoderException.class, () -> feed(ch, "hello there\n"));
        assertInstanceOf(AgiProtocolException.class, e.getCause());
    }

    private static void assertProtocolError(String input, String expected) {
        EmbeddedChannel ch = decoder();
        DecoderException e = assertThrows(DecoderException.class, () -> feed(ch, input));
        assertInstanceOf(AgiProtocolException.class, e.getCause());
        assertTrue(e.getCause().getMessage().contains(expected), e.getCause().getMessage());
    }
}
