package io.calltrack.telephony.agi;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The header block Asterisk sends when it opens a FastAGI connection, exactly as sent: {@code agi_}-prefixed names
 * without the prefix ({@code "channel"}, {@code "network_script"}), values untouched ({@code unknown} stays
 * {@code unknown}; use {@link #known(String)} to read it as absent). {@code args} are {@code agi_arg_1..N} in order.
 */
public record AgiRequest(Map<String, String> headers, List<String> args) {

    public AgiRequest {
        headers = Collections.unmodifiableMap(new LinkedHashMap<>(headers));
        args = List.copyOf(args);
    }

    private static final Pattern NUMBERED_ARG = Pattern.compile("arg_[1-9][0-9]{0,3}");

    /** Builds a request from the header lines' names (with or without {@code agi_}) and values, in wire order. */
    public static AgiRequest of(Map<String, String> wireHeaders) {
        Map<String, String> headers = new LinkedHashMap<>();
        Map<Integer, String> numberedArgs = new java.util.TreeMap<>();
        wireHeaders.forEach((name, value) -> {
            String key = name.startsWith("agi_") ? name.substring(4) : name;
            if (key.startsWith("arg_") && NUMBERED_ARG.matcher(key).matches()) {
                numberedArgs.put(Integer.parseInt(key.substring(4)), value);
            }
            headers.put(key, value);
        });
        return new AgiRequest(headers, new ArrayList<>(numberedArgs.values()));
    }

    /** A header value, or empty when Asterisk did not send that header. */
    public Optional<String> header(String name) {
        return Optional.ofNullable(headers.get(name.startsWith("agi_") ? name.substring(4) : name));
    }

    private String value(String name) {
        return headers.getOrDefault(name, "");
    }

    /** {@code value} unless it is empty or Asterisk's placeholder {@code unknown} (no DNID, anonymous caller). */
    public static Optional<String> known(String value) {
        return value == null || value.isBlank() || value.equals("unknown") ? Optional.empty() : Optional.of(value);
    }

    /**
     * The handler name: {@code agi_network_script} without leading/trailing slashes and without a {@code ?query}
     * ({@code agi://host:4573/incoming?x=1} gives {@code incoming}); empty when the AGI URL had no path.
     */
    public String scriptPath() {
        String script = value("network_script");
        int query = script.indexOf('?');
        if (query >= 0) {
            script = script.substring(0, query);
        }
        int from = 0;
        int to = script.length();
        while (from < to && script.charAt(from) == '/') from++;
        while (to > from && script.charAt(to - 1) == '/') to--;
        return script.substring(from, to);
    }

    public String network() { return value("network"); }
    public String networkScript() { return value("network_script"); }
    public String request() { return value("request"); }
    public String channel() { return value("channel"); }
    public String language() { return value("language"); }
    public String type() { return value("type"); }
    public String uniqueId() { return value("uniqueid"); }
    public String version() { return value("version"); }
    public String callerId() { return value("callerid"); }
    public String callerIdName() { return value("calleridname"); }
    public String callingPres() { return value("callingpres"); }
    public String callingAni2() { return value("callingani2"); }
    public String callingTon() { return value("callington"); }
    public String callingTns() { return value("callingtns"); }
    public String dnid() { return value("dnid"); }
    public String rdnis() { return value("rdnis"); }
    public String context() { return value("context"); }
    public String extension() { return value("extension"); }
    public String priority() { return value("priority"); }
    public String enhanced() { return value("enhanced"); }
    public String accountCode() { return value("accountcode"); }
    public String threadId() { return value("threadid"); }
}
