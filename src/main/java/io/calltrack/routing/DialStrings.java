package io.calltrack.routing;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The destinations calltrack can send a call to, checked before they are stored so that a typo is a 400 at import
 * and not a caller who never reaches anyone. Two forms, one per {@link Telephony}:
 * <ul>
 * <li>an Asterisk dial string, {@code TECHNOLOGY/resource}, sent over FastAGI as {@code EXEC Dial} (PJSIP, IAX2,
 *     Local, DAHDI: the channel drivers of Asterisk 22; chan_sip was removed in 21);</li>
 * <li>a SIP URI ({@code sip:}/{@code sips:}, RFC 3261 {@code [user@]host[:port][;params]}), which the SIP redirect
 *     puts in a 302 Contact and probes with OPTIONS.</li>
 * </ul>
 * Either form is refused with what would break it: control characters and quotes (the FastAGI command line),
 * {@code ,} (Dial's argument separator: calltrack adds the timeout), {@code &} (calltrack builds ring-all groups
 * itself), {@code |}, spaces, more than {@value #MAX_LENGTH} characters.
 */
public final class DialStrings {
    public static final int MAX_LENGTH = 255;

    /** Why a value is not a destination; the message starts with the value, the caller prefixes its field. */
    public static final class Invalid extends IllegalArgumentException {
        Invalid(String message) {
            super(message);
        }
    }

    private static final String EXAMPLES = "PJSIP/101, PJSIP/+15551234567@trunk, Local/101@agents";
    private static final String USER = "[A-Za-z0-9_.+*#-]+";
    private static final String NAME = "[A-Za-z0-9_.+-]+";
    private static final Pattern TECH_RESOURCE = Pattern.compile("([A-Za-z0-9]+)/(.*)", Pattern.DOTALL);
    private static final Pattern SIP_SCHEME = Pattern.compile("(?i)(sips?):(.*)", Pattern.DOTALL);

    /** A channel driver calltrack dials: its name as Asterisk spells it in channel names, and its resource syntax. */
    private record Technology(String name, Pattern resource, String form) {}

    private static final Map<String, Technology> TECHNOLOGIES = Map.of(
            "PJSIP", new Technology("PJSIP", Pattern.compile("(?:" + USER + "@)?" + NAME + "(?:/(.+))?"),
                    "PJSIP/<endpoint>, PJSIP/<user>@<endpoint> or PJSIP/<endpoint>/<aor or sip: URI>, e.g. PJSIP/101"),
            "LOCAL", new Technology("Local", Pattern.compile(USER + "@" + NAME + "(?:/[A-Za-z]+)?"),
                    "Local/<extension>@<context>[/options], e.g. Local/101@agents"),
            "IAX2", new Technology("IAX2", Pattern.compile("(?:" + NAME + "(?::[A-Za-z0-9_.+*#!~-]+)?@)?"
                    + "(?:" + NAME + "|\\[[0-9A-Fa-f:.]+\\])(?::[0-9]{1,5})?(?:/" + USER + "(?:@" + NAME + ")?)?"),
                    "IAX2/[<user>[:<secret>]@]<peer>[:<port>][/<extension>[@<context>]], e.g. IAX2/peer/101"),
            "DAHDI", new Technology("DAHDI", Pattern.compile("[A-Za-z0-9-]+(?:/[A-Za-z0-9*#+]+)?"),
                    "DAHDI/<channel or group>[/<number>], e.g. DAHDI/g1/5551234"));

    private static final Pattern SIP_USER = Pattern.compile("(?:[A-Za-z0-9_.!~*=+$-]|%[0-9A-Fa-f]{2})+");
    private static final Pattern HOSTNAME = Pattern.compile(
            "(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?\\.)*[A-Za-z](?:[A-Za-z0-9-]*[A-Za-z0-9])?\\.?");
    private static final Pattern IPV4 = Pattern.compile("([0-9]{1,3})\\.([0-9]{1,3})\\.([0-9]{1,3})\\.([0-9]{1,3})");
    private static final Pattern IPV6 = Pattern.compile("\\[[0-9A-Fa-f:.]+\\]");
    private static final String PARAM_CHARS = "(?:[A-Za-z0-9_.!~*\\[\\]/:+$-]|%[0-9A-Fa-f]{2})+";
    private static final Pattern SIP_PARAM = Pattern.compile(PARAM_CHARS + "(?:=" + PARAM_CHARS + ")?");

    private DialStrings() {}

    /**
     * What Asterisk can Dial, with the technology spelled as Asterisk names its channels ({@code pjsip/101} becomes
     * {@code PJSIP/101}, the name calltrack matches answering channels against).
     */
    public static String asterisk(String value) {
        String v = common(value);
        if (SIP_SCHEME.matcher(v).matches()) {
            throw invalid(v, "is a SIP URI; FastAGI needs an Asterisk dial string such as PJSIP/101, or "
                    + "PJSIP/<endpoint>/" + v + " to dial the URI through a PJSIP endpoint");
        }
        return checkedAsterisk(v);
    }

    /** A SIP URI for a redirect's Contact and for OPTIONS probes, the scheme in lower case. */
    public static String sipUri(String value) {
        String v = common(value);
        if (!SIP_SCHEME.matcher(v).matches() && TECH_RESOURCE.matcher(v).matches()) {
            throw invalid(v, "is an Asterisk dial string; the SIP redirect needs a SIP URI such as sip:101@pbx.example.com");
        }
        return checkedSipUri(v);
    }

    /**
     * Either form, for destinations that are not a manager (external overflow, closed hours): the {@link Telephony}
     * that can use it is {@link #telephonyOf} it; the other one skips it.
     */
    public static String destination(String value) {
        String v = common(value);
        if (SIP_SCHEME.matcher(v).matches()) return checkedSipUri(v);
        if (TECH_RESOURCE.matcher(v).matches()) return checkedAsterisk(v);
        throw invalid(v, "is neither an Asterisk dial string (" + EXAMPLES + ") nor a SIP URI (sip:101@pbx.example.com)");
    }

    /** Which telephony can use a stored destination (stored ones are read as they are, not checked again). */
    public static Telephony telephonyOf(String destination) {
        return SIP_SCHEME.matcher(destination).matches() ? Telephony.SIP_REDIRECT : Telephony.ASTERISK;
    }

    private static String checkedAsterisk(String v) {
        Matcher m = TECH_RESOURCE.matcher(v);
        if (!m.matches()) {
            throw invalid(v, "is not an Asterisk dial string (TECHNOLOGY/resource such as " + EXAMPLES + ")");
        }
        String tech = m.group(1).toUpperCase(Locale.ROOT);
        if (tech.equals("SIP")) {
            throw invalid(v, ": chan_sip was removed in Asterisk 21; dial through PJSIP (PJSIP/" + m.group(2)
                    + ", or PJSIP/<trunk>/sip:user@host)");
        }
        Technology t = TECHNOLOGIES.get(tech);
        if (t == null) {
            throw invalid(v, ": technology '" + m.group(1) + "' is not one calltrack dials; use PJSIP, IAX2, Local or DAHDI");
        }
        String resource = m.group(2);
        if (resource.isEmpty()) throw invalid(v, "has no resource after '" + m.group(1) + "/'");
        Matcher r = t.resource().matcher(resource);
        if (!r.matches()) throw invalid(v, "is not " + t.form());
        if (t.name().equals("PJSIP") && r.group(1) != null) pjsipLocation(v, r.group(1), t);
        return t.name() + "/" + resource;
    }

    /** {@code PJSIP/endpoint/location}: an AOR name, or a SIP URI Asterisk dials through the endpoint. */
    private static void pjsipLocation(String v, String location, Technology pjsip) {
        if (!SIP_SCHEME.matcher(location).matches()) {
            if (!location.matches(NAME)) throw invalid(v, "is not " + pjsip.form());
            return;
        }
        try {
            checkedSipUri(location);
        } catch (Invalid e) {
            throw invalid(v, "is not " + pjsip.form() + ": " + e.getMessage());
        }
    }

    private static String checkedSipUri(String v) {
        Matcher scheme = SIP_SCHEME.matcher(v);
        if (!scheme.matches()) throw invalid(v, "is not a SIP URI (sip:101@pbx.example.com or sips:...)");
        String rest = scheme.group(2);
        if (rest.contains("?")) throw invalid(v, "carries ?headers; a Contact for a redirect must not");
        String structure = "is not sip:[user@]host[:port][;param=value...]";
        int semicolon = rest.indexOf(';');
        String hostPort = semicolon < 0 ? rest : rest.substring(0, semicolon);
        if (semicolon >= 0) {
            for (String param : rest.substring(semicolon + 1).split(";", -1)) {
                if (!SIP_PARAM.matcher(param).matches()) throw invalid(v, structure);
            }
        }
        int at = hostPort.lastIndexOf('@');
        if (at >= 0 && !SIP_USER.matcher(hostPort.substring(0, at)).matches()) throw invalid(v, structure);
        String hostAndPort = hostPort.substring(at + 1);
        int portColon = hostAndPort.startsWith("[") ? hostAndPort.indexOf(':', hostAndPort.indexOf(']'))
                : hostAndPort.indexOf(':');
        String host = portColon < 0 ? hostAndPort : hostAndPort.substring(0, portColon);
        if (!validHost(host)) throw invalid(v, "has no valid host");
        if (portColon >= 0) {
            String port = hostAndPort.substring(portColon + 1);
            if (!port.matches("[0-9]{1,5}")) throw invalid(v, structure);
            int p = Integer.parseInt(port);
            if (p < 1 || p > 65535) throw invalid(v, "has port " + p + "; ports are 1-65535");
        }
        return scheme.group(1).toLowerCase(Locale.ROOT) + ":" + rest;
    }

    private static boolean validHost(String host) {
        Matcher ip = IPV4.matcher(host);
        if (ip.matches()) {
            for (int i = 1; i <= 4; i++) if (Integer.parseInt(ip.group(i)) > 255) return false;
            return true;
        }
        return IPV6.matcher(host).matches() || HOSTNAME.matcher(host).matches();
    }

    /** The checks both forms share: what would break Dial, the AGI command line or a SIP header. */
    private static String common(String value) {
        if (value == null || value.isBlank()) throw new Invalid("is empty");
        if (value.length() > MAX_LENGTH) {
            throw invalid(value, "is " + value.length() + " characters long, at most " + MAX_LENGTH + " are allowed");
        }
        if (value.chars().anyMatch(Character::isISOControl)) throw invalid(value, "contains a control character");
        if (value.contains(" ")) throw invalid(value, "contains a space");
        if (value.contains(",")) {
            throw invalid(value, "contains ',', which separates Dial's arguments (calltrack adds the ring timeout itself)");
        }
        if (value.contains("&")) {
            throw invalid(value, "contains '&': one phone per destination (ring_all rings a department's managers together)");
        }
        Optional<Character> misread = value.chars().mapToObj(c -> (char) c).filter(c -> "|\"'\\`".indexOf(c) >= 0)
                .findFirst();
        if (misread.isPresent()) {
            throw invalid(value, "contains '" + misread.get() + "', which Asterisk or the FastAGI command line would misread");
        }
        return value;
    }

    private static Invalid invalid(String value, String problem) {
        String shown = value.codePoints().map(c -> Character.isISOControl(c) ? '?' : c)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
        if (shown.length() > 40) shown = shown.substring(0, 40) + "...";
        return new Invalid("'" + shown + "'" + (problem.startsWith(":") ? "" : " ") + problem);
    }
}
