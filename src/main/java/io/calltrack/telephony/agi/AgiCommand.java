package io.calltrack.telephony.agi;

import java.time.Duration;
import java.util.regex.Pattern;

/**
 * One AGI command line as sent to Asterisk (without the newline). Arguments that carry values are quoted the way
 * res_agi's parser reads them: inside double quotes, {@code \} escapes the next character, so {@code "} and
 * {@code \} are written {@code \"} and {@code \\}. Line breaks cannot be quoted and are refused: they would end
 * the command and smuggle a second one in.
 */
public record AgiCommand(String line) {

    public AgiCommand {
        if (line.indexOf('\n') >= 0 || line.indexOf('\r') >= 0) {
            throw new IllegalArgumentException("an AGI command must be one line: " + AgiProtocolException.excerpt(line));
        }
    }

    public static AgiCommand setVariable(String name, String value) {
        return new AgiCommand("SET VARIABLE " + word(name) + " " + quote(value));
    }

    public static AgiCommand getVariable(String name) {
        return new AgiCommand("GET VARIABLE " + word(name));
    }

    /** Evaluates an expression with variables and functions, e.g. {@code ${CALLERID(num)}}. */
    public static AgiCommand getFullVariable(String expression) {
        return new AgiCommand("GET FULL VARIABLE " + quote(expression));
    }

    /** Runs a dialplan application; {@code args} is its comma-separated argument string, sent as one quoted word. */
    public static AgiCommand exec(String application, String args) {
        return new AgiCommand("EXEC " + word(application) + (args.isEmpty() ? "" : " " + quote(args)));
    }

    public static AgiCommand getData(String file, Duration timeout, int maxDigits) {
        return new AgiCommand("GET DATA " + quote(file) + " " + timeout.toMillis() + " " + maxDigits);
    }

    /** {@code escapeDigits} may be empty: then nothing interrupts the playback. */
    public static AgiCommand streamFile(String file, String escapeDigits) {
        return new AgiCommand("STREAM FILE " + quote(file) + " " + quote(escapeDigits));
    }

    public static AgiCommand verbose(String message, int level) {
        return new AgiCommand("VERBOSE " + quote(message) + " " + level);
    }

    public static AgiCommand hangup() {
        return new AgiCommand("HANGUP");
    }

    /** Answers the caller's channel; Asterisk does nothing when it is already up. */
    public static AgiCommand answer() {
        return new AgiCommand("ANSWER");
    }

    /** The state of the script's own channel. */
    public static AgiCommand channelStatus() {
        return new AgiCommand("CHANNEL STATUS");
    }

    /** {@code value} as one quoted AGI argument. */
    public static String quote(String value) {
        return "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    private static final Pattern PLAIN_WORD = Pattern.compile("[A-Za-z0-9_(),\\-.:]+");

    /** Names (variables, applications) go unquoted and must be one plain word. */
    private static String word(String name) {
        if (!PLAIN_WORD.matcher(name).matches()) {
            throw new IllegalArgumentException("not a plain AGI name: '" + AgiProtocolException.excerpt(name) + "'");
        }
        return name;
    }
}
