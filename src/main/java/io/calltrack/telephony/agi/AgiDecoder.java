package io.calltrack.telephony.agi;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns the lines of one FastAGI connection (already split by a line decoder) into an {@link AgiRequest} once the
 * header block is complete, then into {@link AgiReply}s and {@link AgiHangup#NOTICE}s. Anything that is not AGI
 * raises {@link AgiProtocolException}. One instance per connection: it holds that connection's state.
 */
final class AgiDecoder extends MessageToMessageDecoder<ByteBuf> {
    private static final List<String> REQUIRED = List.of("agi_request", "agi_channel", "agi_uniqueid");

    private final int maxHeaderLines;
    private Map<String, String> headers = new LinkedHashMap<>(); // null once the header block is complete
    private List<String> usageBlock;

    AgiDecoder(int maxHeaderLines) {
        this.maxHeaderLines = maxHeaderLines;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf frame, List<Object> out) {
        String line = text(frame); // the line decoder strips \n and \r\n alike: Asterisk sends \n, others may not
        Object message = headers != null ? header(line) : reply(line);
        if (message != null) {
            out.add(message);
        }
    }

    private AgiRequest header(String line) {
        if (line.isEmpty()) {
            if (headers.isEmpty()) {
                throw new AgiProtocolException("empty line before any agi_ header");
            }
            for (String name : REQUIRED) {
                if (!headers.containsKey(name)) {
                    throw new AgiProtocolException("header block ended without " + name);
                }
            }
            AgiRequest request = AgiRequest.of(headers);
            headers = null;
            return request;
        }
        int colon = line.indexOf(':');
        if (!isHeaderName(line, colon)) {
            throw new AgiProtocolException("header line " + (headers.size() + 1) + " is not 'agi_name: value': '"
                    + AgiProtocolException.excerpt(line) + "'");
        }
        if (headers.size() >= maxHeaderLines) {
            throw new AgiProtocolException("more than " + maxHeaderLines + " header lines (agi.max-header-lines)");
        }
        // one optional space after the colon, as Asterisk writes "agi_name: value"
        int value = colon + 1 < line.length() && line.charAt(colon + 1) == ' ' ? colon + 2 : colon + 1;
        headers.put(line.substring(0, colon), line.substring(value));
        return null;
    }

    /** {@code agi_[a-z0-9_]+} before the colon (a char loop: this runs for every header line of every call). */
    private static boolean isHeaderName(String line, int colon) {
        if (colon <= 4 || !line.startsWith("agi_")) return false;
        for (int i = 4; i < colon; i++) {
            char ch = line.charAt(i);
            if (!(ch >= 'a' && ch <= 'z' || ch >= '0' && ch <= '9' || ch == '_')) return false;
        }
        return true;
    }

    private Object reply(String line) {
        if (usageBlock != null) {
            if (line.startsWith("520 ")) {
                AgiReply reply = AgiReply.usage(usageBlock);
                usageBlock = null;
                return reply;
            }
            usageBlock.add(line);
            return null;
        }
        if (line.equals("HANGUP")) {
            return AgiHangup.NOTICE;
        }
        if (line.startsWith("520-")) {
            usageBlock = new ArrayList<>();
            usageBlock.add(line.substring(4));
            return null;
        }
        return AgiReply.parse(line);
    }

    private static String text(ByteBuf frame) {
        ByteBuffer bytes = frame.nioBuffer();
        try {
            String line = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(bytes).toString();
            for (int i = 0; i < line.length(); i++) {
                char c = line.charAt(i);
                if (c < 0x20 && c != '\t') {
                    throw new AgiProtocolException("control character in line: '" + AgiProtocolException.excerpt(line) + "'");
                }
            }
            return line;
        } catch (CharacterCodingException e) {
            throw new AgiProtocolException("binary data, not a text line: '"
                    + AgiProtocolException.excerpt(frame.toString(StandardCharsets.ISO_8859_1)) + "'");
        }
    }
}
