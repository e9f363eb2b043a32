package io.calltrack.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.commons.text.similarity.LevenshteinDistance;

/**
 * Raw key/value settings: a properties file, overridden by environment variables.
 * The key {@code http.port} is overridden by {@code CALLTRACK_HTTP_PORT} (dots and dashes become underscores).
 * Typed getters validate and fail with a {@link ConfigException} that names the key; each getter also records the
 * key with its default and range, which is how {@link CalltrackConfig#keys()} knows every key.
 */
public final class ConfigSource {
    static final String ENV_PREFIX = "CALLTRACK_";
    /** The one CALLTRACK_ variable that is not a key: Main reads it to find the file. */
    public static final String CONFIG_FILE_VARIABLE = "CALLTRACK_CONFIG";

    private static final Pattern DURATION = Pattern.compile("(-?\\d+)(ms|s|m|h|d)");
    /** The units a duration is written in, largest first. */
    private static final Map<String, Duration> UNITS = units();

    private final Map<String, String> values;
    private final Optional<Path> file;
    private final Map<String, String> env;
    private final Map<String, ConfigKey> asked = new LinkedHashMap<>();

    private ConfigSource(Map<String, String> values, Optional<Path> file, Map<String, String> env) {
        this.values = Map.copyOf(values);
        this.file = file;
        this.env = Map.copyOf(env);
    }

    private static Map<String, Duration> units() {
        Map<String, Duration> units = new LinkedHashMap<>();
        units.put("d", Duration.ofDays(1));
        units.put("h", Duration.ofHours(1));
        units.put("m", Duration.ofMinutes(1));
        units.put("s", Duration.ofSeconds(1));
        units.put("ms", Duration.ofMillis(1));
        return Collections.unmodifiableMap(units);
    }

    /** The file's keys, then the CALLTRACK_ environment variables over them. */
    public static ConfigSource load(Optional<Path> file, Map<String, String> env) {
        Map<String, String> ours = new HashMap<>();
        env.forEach((name, value) -> {
            if (name.startsWith(ENV_PREFIX) && !name.equals(CONFIG_FILE_VARIABLE)) ours.put(name, value);
        });
        return new ConfigSource(file.map(ConfigSource::readFile).orElse(Map.of()), file, ours);
    }

    /** Settings given as key/value pairs, as a file would give them. */
    public static ConfigSource of(Map<String, String> values) {
        return new ConfigSource(values, Optional.empty(), Map.of());
    }

    private static Map<String, String> readFile(Path path) {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(path)) {
            p.load(r);
        } catch (IOException e) {
            throw new ConfigException("config file", "cannot read " + path + ": " + e.getMessage());
        }
        Map<String, String> out = new HashMap<>();
        p.stringPropertyNames().forEach(k -> out.put(k, p.getProperty(k).trim()));
        return out;
    }

    /** The keys the getters were asked for so far, in that order. */
    List<ConfigKey> keys() {
        return List.copyOf(asked.values());
    }

    /**
     * Refuses keys in the file and CALLTRACK_ variables that are none of {@code known}, all of them in one line, each
     * with the nearest known name when one is close: a misspelt key must not leave its setting at the default.
     */
    void requireKnown(Collection<ConfigKey> known) {
        List<String> problems = new ArrayList<>();
        Map<String, ConfigKey> byName = new HashMap<>();
        Map<String, ConfigKey> byEnvName = new HashMap<>();
        known.forEach(k -> {
            byName.put(k.name(), k);
            byEnvName.put(k.envName(), k);
        });
        String where = file.map(f -> " in " + f).orElse("");
        new TreeMap<>(values).keySet().stream().filter(k -> !byName.containsKey(k)).forEach(k -> problems.add(
                "unknown key '" + k + "'" + where + nearest(k, byName.keySet(), Function.identity())
                        .map(n -> " (did you mean '" + n + "'?)")
                        .orElse(" (every key is in calltrack.properties.example)")));
        new TreeMap<>(env).keySet().stream().filter(n -> !byEnvName.containsKey(n)).forEach(n -> problems.add(
                "unknown environment variable " + n
                        + nearest(n, byEnvName.keySet(), v -> v.substring(ENV_PREFIX.length()))
                        .map(v -> " (did you mean " + v + ", the key " + byEnvName.get(v).name() + "?)")
                        .orElse(" (every " + ENV_PREFIX + " variable but " + CONFIG_FILE_VARIABLE + " sets a key of "
                                + "calltrack.properties.example: unset or rename it)")));
        // ASCII only: under a C locale Java 17 prints anything else on stderr as '?'
        if (!problems.isEmpty()) throw new ConfigException(String.join("; ", problems));
    }

    /**
     * The known name nearest to {@code unknown} by edit distance (case ignored, {@code part} of each name compared),
     * if it is within a third of the longer one's length: close enough to be a typo rather than another setting.
     */
    private static Optional<String> nearest(String unknown, Collection<String> known, Function<String, String> part) {
        String typed = part.apply(unknown).toLowerCase(Locale.ROOT);
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String name : known.stream().sorted().toList()) {
            String candidate = part.apply(name).toLowerCase(Locale.ROOT);
            int d = LevenshteinDistance.getDefaultInstance().apply(typed, candidate);
            if (d < bestDistance && d <= Math.max(typed.length(), candidate.length()) / 3) {
                best = name;
                bestDistance = d;
            }
        }
        return Optional.ofNullable(best);
    }

    private Optional<String> raw(String key, String defaultValue, String range) {
        asked.putIfAbsent(key, new ConfigKey(key, defaultValue, range));
        String envName = asked.get(key).envName();
        String v = env.containsKey(envName) ? env.get(envName) : values.get(key);
        return v == null || v.isBlank() ? Optional.empty() : Optional.of(v.trim());
    }

    public Optional<String> optional(String key) {
        return raw(key, "", "");
    }

    public String string(String key, String defaultValue) {
        return raw(key, defaultValue, "").orElse(defaultValue);
    }

    public int integer(String key, int defaultValue, int min, int max) {
        Optional<String> v = raw(key, String.valueOf(defaultValue), min + "-" + max);
        if (v.isEmpty()) return defaultValue;
        try {
            int n = Integer.parseInt(v.get());
            if (n < min || n > max) {
                throw new ConfigException(key, "must be between " + min + " and " + max + ", got " + n);
            }
            return n;
        } catch (NumberFormatException e) {
            throw new ConfigException(key, "must be a whole number, got '" + v.get() + "'");
        }
    }

    public boolean bool(String key, boolean defaultValue) {
        Optional<String> v = raw(key, String.valueOf(defaultValue), "true/false");
        if (v.isEmpty()) return defaultValue;
        return switch (v.get().toLowerCase(Locale.ROOT)) {
            case "true", "yes", "on", "1" -> true;
            case "false", "no", "off", "0" -> false;
            default -> throw new ConfigException(key, "must be true or false, got '" + v.get() + "'");
        };
    }

    /**
     * A duration such as {@code 500ms}, {@code 20s}, {@code 15m}, {@code 2h}, {@code 30d}, from {@code min} to
     * {@code max}: a negative or absurd one is a start-up error, not a surprise later.
     */
    public Duration duration(String key, Duration defaultValue, Duration min, Duration max) {
        Optional<String> v = raw(key, text(defaultValue), text(min) + "-" + text(max));
        if (v.isEmpty()) return defaultValue;
        Duration d = parseDuration(key, v.get());
        if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
            throw new ConfigException(key, "must be from " + text(min) + " to " + text(max) + ", got " + text(d));
        }
        return d;
    }

    private static Duration parseDuration(String key, String value) {
        Matcher m = DURATION.matcher(value.toLowerCase(Locale.ROOT));
        try {
            if (m.matches()) return UNITS.get(m.group(2)).multipliedBy(Long.parseLong(m.group(1)));
        } catch (ArithmeticException | NumberFormatException tooLong) {
            // refused below
        }
        throw new ConfigException(key, "must be a duration like 500ms, 20s, 15m, 2h or 30d, got '" + value + "'");
    }

    /** The duration as it is written: in the largest unit that gives a whole number. */
    static String text(Duration d) {
        if (d.isZero()) return "0s";
        long ms = d.toMillis();
        Map.Entry<String, Duration> unit = UNITS.entrySet().stream()
                .filter(u -> ms % u.getValue().toMillis() == 0).findFirst().orElseThrow(); // ms divides any
        return ms / unit.getValue().toMillis() + unit.getKey();
    }

    public Path path(String key, String defaultValue) {
        return Path.of(string(key, defaultValue));
    }
}
