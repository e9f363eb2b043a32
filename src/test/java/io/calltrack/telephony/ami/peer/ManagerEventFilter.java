package io.calltrack.telephony.ami.peer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A manager.conf user's {@code eventfilter} lines, applied as Asterisk 22 applies them (main/manager.c:
 * {@code manager_add_filter} parses, {@code filter_cmp_fn}/{@code match_eventdata} match,
 * {@code should_send_event} decides). Legacy lines ({@code eventfilter = [!]regex}) match the regex anywhere in the
 * whole event; advanced lines ({@code eventfilter(action(..),name(..),header(..),method(..)) = [pattern]}) select
 * by event name, then match the pattern against the whole event or against the value of each line that begins
 * with {@code header:}. No filters: every event passes. Include filters only: an event passes when any matches.
 * Exclude only: when none matches. Both: an include must match and then no exclude. Asterisk applies them to
 * events only, never to the responses of an action (CoreShowChannel lists), and so does {@link AmiPeer}.
 * A line Asterisk would refuse (and skip, with a warning) is an error here, so a broken sample cannot pass a test.
 */
public final class ManagerEventFilter {
    private static final Pattern OPTION = Pattern.compile("(action|name|header|method)\\(([^()]*)\\)");

    private enum Method { REGEX, EXACT, STARTS_WITH, ENDS_WITH, CONTAINS, NONE }

    private record Entry(boolean exclude, String eventName, String header, Method method, String pattern,
                         Pattern regex) {
        boolean matches(String eventName, String message) {
            if (this.eventName != null && !this.eventName.equals(eventName)) return false;
            if (header == null) return matchData(message);
            for (String line : message.split("\r\n")) {
                if (!line.startsWith(header)) continue;
                String value = line.substring(header.length()).stripLeading();
                if (!value.isEmpty() && matchData(value)) return true;
            }
            return false;
        }

        private boolean matchData(String data) {
            return switch (method) {
                case REGEX -> regex.matcher(data).find();
                case EXACT -> data.equals(pattern);
                case STARTS_WITH -> data.startsWith(pattern);
                case ENDS_WITH -> data.endsWith(pattern);
                case CONTAINS -> data.contains(pattern);
                case NONE -> true;
            };
        }
    }

    private final List<Entry> includes = new ArrayList<>();
    private final List<Entry> excludes = new ArrayList<>();

    /** No filter lines: Asterisk's default, every event is sent. */
    public ManagerEventFilter() {}

    /** The {@code eventfilter} lines of {@code [user]} in a manager.conf file. */
    public static ManagerEventFilter fromManagerConf(Path file, String user) {
        ManagerEventFilter filter = new ManagerEventFilter();
        boolean inUser = false;
        try {
            for (String raw : Files.readAllLines(file)) {
                String line = raw.replaceAll("(?<!\\\\);.*", "").trim();
                if (line.startsWith("[")) {
                    inUser = line.startsWith("[" + user + "]");
                } else if (inUser && line.startsWith("eventfilter")) {
                    int eq = line.indexOf('=');
                    if (eq < 0) throw new IllegalArgumentException("no '=' in " + raw);
                    filter.add(line.substring(0, eq).trim(), line.substring(eq + 1).trim());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return filter;
    }

    /** One line, {@code criteria = expression}: {@code eventfilter(name(Hangup))} and an empty expression, say. */
    public ManagerEventFilter add(String criteria, String expression) {
        // a leading '!' excludes, in both forms (an advanced line's action(...) overrides it)
        boolean exclude = expression.startsWith("!");
        String pattern = exclude ? expression.substring(1) : expression;
        int open = criteria.indexOf('(');
        if (open < 0) {
            if (pattern.isEmpty()) throw refused(criteria, pattern, "a legacy filter needs a pattern");
            (exclude ? excludes : includes).add(new Entry(exclude, null, null, Method.REGEX, pattern,
                    Pattern.compile(pattern)));
            return this;
        }
        String options = criteria.substring(open + 1).trim();
        if (!options.endsWith(")")) throw refused(criteria, pattern, "options not formatted correctly");
        String eventName = null;
        String header = null;
        Method method = Method.NONE;
        boolean any = false;
        Matcher m = OPTION.matcher(options.substring(0, options.length() - 1));
        int at = 0;
        while (m.find()) {
            String between = options.substring(at, m.start()).replace(",", "").trim();
            if (!between.isEmpty()) throw refused(criteria, pattern, "unknown option '" + between + "'");
            at = m.end();
            any = true;
            String value = m.group(2).trim();
            switch (m.group(1)) {
                case "action" -> {
                    if (!value.equals("include") && !value.equals("exclude")) {
                        throw refused(criteria, pattern, "action '" + value + "'");
                    }
                    exclude = value.equals("exclude");
                }
                case "name" -> eventName = value;
                case "header" -> header = value.endsWith(":") ? value : value + ":";
                default -> method = java.util.Arrays.stream(Method.values())
                        .filter(k -> k.name().toLowerCase(Locale.ROOT).equals(value)).findFirst()
                        .orElseThrow(() -> refused(criteria, pattern, "method '" + value + "'"));
            }
        }
        String rest = options.substring(at, options.length() - 1).replace(",", "").trim();
        if (!any || !rest.isEmpty()) throw refused(criteria, pattern, "no action, name, header or method");
        if (pattern.isEmpty() != (method == Method.NONE)) {
            throw refused(criteria, pattern, "method " + method + " with " + (pattern.isEmpty() ? "no" : "a") + " pattern");
        }
        if (eventName == null && header == null && method == Method.NONE) {
            throw refused(criteria, pattern, "no name or header and no pattern");
        }
        (exclude ? excludes : includes).add(new Entry(exclude, eventName, header, method, pattern,
                method == Method.REGEX ? Pattern.compile(pattern) : null));
        return this;
    }

    /** {@code message} as Asterisk writes it: {@code Event: name\r\n}, then the other lines. */
    public boolean passes(String eventName, String message) {
        if (includes.isEmpty() && excludes.isEmpty()) return true;
        boolean included = includes.isEmpty() || includes.stream().anyMatch(e -> e.matches(eventName, message));
        return included && excludes.stream().noneMatch(e -> e.matches(eventName, message));
    }

    private static IllegalArgumentException refused(String criteria, String pattern, String why) {
        return new IllegalArgumentException("Asterisk would skip '" + criteria + " = " + pattern + "': " + why);
    }
}
