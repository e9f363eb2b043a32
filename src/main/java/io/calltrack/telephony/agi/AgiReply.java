package io.calltrack.telephony.agi;

import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One answer of Asterisk to one command: {@code status} 200 (with {@code result}, optional {@code (data)} and
 * {@code endpos=N}), 510 (unknown command), 511 (not permitted on a dead channel) or 520 (usage error; {@code usage}
 * holds the lines between {@code 520-...} and {@code 520 End of proper usage.}). {@code result} is kept as text:
 * GET DATA answers digits, or nothing at all on a timeout ({@code 200 result= (timeout)}).
 */
public record AgiReply(int status, String result, Optional<String> data, OptionalLong endpos, List<String> usage) {
    public static final int SUCCESS = 200;
    public static final int INVALID_COMMAND = 510;
    public static final int DEAD_CHANNEL = 511;
    public static final int USAGE = 520;

    // (data) may itself contain spaces and parentheses: it runs to the last ')' before an optional endpos
    private static final Pattern SUCCESS_LINE =
            Pattern.compile("200 result=(\\S*)(?: \\((.*)\\))?(?: endpos=(-?\\d+))?");

    public AgiReply {
        usage = List.copyOf(usage);
    }

    /** Parses a single reply line; {@code 520-} blocks are assembled by the decoder and built with {@link #usage}. */
    public static AgiReply parse(String line) {
        Matcher m = SUCCESS_LINE.matcher(line);
        if (m.matches()) {
            return new AgiReply(SUCCESS, m.group(1), Optional.ofNullable(m.group(2)), endpos(m.group(3), line), List.of());
        }
        if (line.startsWith("510 ")) {
            return error(INVALID_COMMAND, line);
        }
        if (line.startsWith("511 ")) {
            return error(DEAD_CHANNEL, line);
        }
        if (line.startsWith("520 ")) { // "520 Invalid command syntax.  Proper usage not available."
            return usage(List.of(line.substring(4)));
        }
        throw new AgiProtocolException("unexpected reply line '" + AgiProtocolException.excerpt(line) + "'");
    }

    private static OptionalLong endpos(String digits, String line) {
        if (digits == null) return OptionalLong.empty();
        try {
            return OptionalLong.of(Long.parseLong(digits));
        } catch (NumberFormatException beyondLong) {
            throw new AgiProtocolException("endpos beyond any file length in '" + AgiProtocolException.excerpt(line) + "'");
        }
    }

    public static AgiReply usage(List<String> lines) {
        return new AgiReply(USAGE, "", Optional.empty(), OptionalLong.empty(), lines);
    }

    private static AgiReply error(int status, String line) {
        return new AgiReply(status, "", Optional.of(line.substring(4)), OptionalLong.empty(), List.of());
    }

    public boolean ok() {
        return status == SUCCESS;
    }

    /** 511: the caller has hung up and the command would have changed the channel. */
    public boolean deadChannel() {
        return status == DEAD_CHANNEL;
    }

    /** {@code result} as a number; GET DATA's digits are a string, use {@link #result()} for those. */
    public int resultCode() {
        if (!ok()) {
            throw new IllegalStateException("reply " + status + " carries no result");
        }
        return Integer.parseInt(result);
    }

    /** Whether this is a 200 whose result is {@code code}; false for any other answer, garbled ones included. */
    public boolean resultIs(int code) {
        return ok() && result.equals(Integer.toString(code));
    }

    /** GET DATA / WAIT FOR DIGIT ran out of time ({@code (timeout)} after the digits entered so far). */
    public boolean timedOut() {
        return ok() && data.filter("timeout"::equals).isPresent();
    }
}
