package io.calltrack.telephony.sip;

import gov.nist.javax.sip.message.SIPMessage;
import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.parser.MessageParser;
import gov.nist.javax.sip.parser.MessageParserFactory;
import gov.nist.javax.sip.parser.StringMsgParser;
import gov.nist.javax.sip.stack.SIPTransactionStack;
import gov.nist.javax.sip.stack.UDPMessageChannel;
import java.text.ParseException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * JAIN-SIP's parser, made to say what the peer really sent:
 * <ul>
 * <li>It reads any {@code SIP/x.y} request line as {@code SIP/2.0} (its version check builds an exception and never
 * throws it), so the stack's own {@code 505 Version Not Supported} never fires. The version the peer wrote goes back
 * on the request line; the stack then answers 505 on UDP and TCP alike.</li>
 * <li>A datagram that filled the stack's read buffer ({@link SipEndpoint#READ_LIMIT}) was cut there. Parsed as it is,
 * it fails on its body's length, or loses the header before the cut line (the parser keeps a header until the next
 * line ends), so the peer hears 400 for the wrong cause or nothing. Its complete header lines alone are parsed and
 * its size set to what was read, more than {@link SipEndpoint#MAX_MESSAGE_SIZE}: the server answers 513 Message Too
 * Large.</li>
 * <li>A datagram it cannot parse is dropped. The stack would answer it with a 400 of its own that is no SIP: the
 * peer's broken line, CR LF and all, in the reason phrase, and an empty line before Content-Length. So is a request
 * without Via, Call-ID or CSeq, which no response can answer: the stack failed on it with a NullPointerException
 * logged as an error.</li>
 * </ul>
 * Named by class in {@code gov.nist.javax.sip.MESSAGE_PARSER_FACTORY}, hence public with a no-argument constructor.
 */
public final class FaithfulParserFactory implements MessageParserFactory {

    @Override
    public MessageParser createMessageParser(SIPTransactionStack stack) {
        StringMsgParser parser = new StringMsgParser();
        return (bytes, readBody, strict, listener) -> {
            boolean cut = bytes.length >= SipEndpoint.READ_LIMIT;
            SIPMessage message;
            try {
                message = parser.parseSIPMessage(cut ? completeHeaderLines(bytes) : bytes, readBody && !cut, strict,
                        listener);
            } catch (ParseException e) {
                if (listener instanceof UDPMessageChannel) return null; // dropped, see the class comment
                throw e; // TCP: the stack drops it
            }
            if (message == null) return null;
            if (listener instanceof UDPMessageChannel && !answerable(message)) return null; // see the class comment
            if (cut) message.setSize(bytes.length);
            if (message instanceof SIPRequest request) keepVersion(request, bytes);
            return message;
        };
    }

    /** Whether a response could reach the peer and name the transaction: RFC 3261 8.1.1's Via, Call-ID and CSeq. */
    private static boolean answerable(SIPMessage message) {
        return message.getTopmostVia() != null && message.getCallId() != null && message.getCSeq() != null;
    }

    /** The header block up to its blank line, or up to the last complete line and a blank line after it. */
    private static byte[] completeHeaderLines(byte[] bytes) {
        int lastLineEnd = -1;
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] != '\n') continue;
            if (i >= 3 && bytes[i - 1] == '\r' && bytes[i - 2] == '\n' && bytes[i - 3] == '\r') {
                return Arrays.copyOf(bytes, i + 1);
            }
            lastLineEnd = i;
        }
        byte[] lines = Arrays.copyOf(bytes, lastLineEnd + 3);
        lines[lastLineEnd + 1] = '\r';
        lines[lastLineEnd + 2] = '\n';
        return lines;
    }

    private static void keepVersion(SIPRequest request, byte[] bytes) {
        String written = requestLineVersion(bytes);
        if (written != null && !written.equalsIgnoreCase("SIP/2.0")) request.getRequestLine().setSipVersion(written);
    }

    /** The last token of the first line (after any keep-alive CRLFs), or null when there is none. */
    private static String requestLineVersion(byte[] bytes) {
        int start = 0;
        while (start < bytes.length && (bytes[start] == '\r' || bytes[start] == '\n')) start++;
        int end = start;
        while (end < bytes.length && bytes[end] != '\r' && bytes[end] != '\n') end++;
        String line = new String(bytes, start, end - start, StandardCharsets.UTF_8).trim();
        int space = line.lastIndexOf(' ');
        return space < 0 ? null : line.substring(space + 1);
    }
}
