package io.calltrack.sip;

import gov.nist.javax.sip.message.SIPMessage;
import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.parser.MessageParser;
import gov.nist.javax.sip.parser.MessageParserFactory;
import gov.nist.javax.sip.parser.StringMsgParser;
import gov.nist.javax.sip.stack.SIPTransactionStack;
import java.nio.charset.StandardCharsets;

/**
 * JAIN-SIP's parser reads any {@code SIP/x.y} request line as {@code SIP/2.0} (its version check builds an
 * exception and never throws it), so the stack's own {@code 505 Version Not Supported} never fires. This parser
 * puts the version the peer wrote back on the request line; the stack then answers 505 on UDP and TCP alike.
 * Named by class in {@code gov.nist.javax.sip.MESSAGE_PARSER_FACTORY}, hence public with a no-argument constructor.
 */
public final class VersionKeepingParserFactory implements MessageParserFactory {

    @Override
    public MessageParser createMessageParser(SIPTransactionStack stack) {
        StringMsgParser parser = new StringMsgParser();
        return (bytes, readBody, strict, listener) -> keepVersion(parser.parseSIPMessage(bytes, readBody, strict,
                listener), bytes);
    }

    private static SIPMessage keepVersion(SIPMessage message, byte[] bytes) {
        if (message instanceof SIPRequest request) {
            String written = requestLineVersion(bytes);
            if (written != null && !written.equalsIgnoreCase("SIP/2.0")) {
                request.getRequestLine().setSipVersion(written);
            }
        }
        return message;
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
