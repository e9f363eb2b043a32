package io.calltrack.telephony.agi;

/** The peer sent something that is not Asterisk's AGI protocol; the message says what, for an admin's log. */
public final class AgiProtocolException extends RuntimeException {
    private static final int EXCERPT = 60;

    public AgiProtocolException(String message) {
        super(message);
    }

    /** A printable, bounded excerpt of peer input for a log line. */
    static String excerpt(String text) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < text.length() && out.length() < EXCERPT; i++) {
            char c = text.charAt(i);
            out.append(c >= 0x20 && c < 0x7f ? String.valueOf(c)
                    : c <= 0xff ? String.format("\\x%02x", (int) c) : String.format("\\u%04x", (int) c));
        }
        return text.length() > EXCERPT ? out + "..." : out.toString();
    }
}
