package io.calltrack.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * Raw key/value settings: a properties file, overridden by environment variables.
 * The key {@code http.port} is overridden by {@code CALLTRACK_HTTP_PORT} (dots and dashes become underscores).
 * Typed getters validate and fail with a {@link ConfigException} that names the key.
 */
public final class ConfigSource {
    private final Map<String, String> values;

    ConfigSource(Map<String, String> values) {
        this.values = Map.copyOf(values);
    }

    public static ConfigSource load(Optional<Path> file, Map<String, String> env) {
        Map<String, String> values = new HashMap<>();
        file.ifPresent(path -> values.putAll(readFile(path)));
        for (String key : List.copyOf(values.keySet())) {
            String override = env.get(envName(key));
            if (override != null) values.put(key, override);
        }
        // environment variables may also set keys the file does not mention
        env.forEach((name, value) -> {
            if (name.startsWith("CALLTRACK_") && !name.equals("CALLTRACK_CONFIG")) {
                values.putIfAbsent(keyFromEnv(name), value);
            }
        });
        return new ConfigSource(values);
    }

    public static ConfigSource of(Map<String, String> values) {
        return new ConfigSource(values);
    }

    static String envName(String key) {
        return "CALLTRACK_" + key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    private static String keyFromEnv(String name) {
        return name.substring("CALLTRACK_".length()).toLowerCase(Locale.ROOT).replace('_', '.');
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

    private Optional<String> raw(String key) {
        String v = values.get(key);
        if (v == null) v = values.get(key.replace('-', '.'));
        return v == null || v.isBlank() ? Optional.empty() : Optional.of(v.trim());
    }

    public Optional<String> optional(String key) {
        return raw(key);
    }

    public String string(String key, String defaultValue) {
        return raw(key).orElse(defaultValue);
    }

    public int integer(String key, int defaultValue, int min, int max) {
        Optional<String> v = raw(key);
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
        Optional<String> v = raw(key);
        if (v.isEmpty()) return defaultValue;
        return switch (v.get().toLowerCase(Locale.ROOT)) {
            case "true", "yes", "on", "1" -> true;
            case "false", "no", "off", "0" -> false;
            default -> throw new ConfigException(key, "must be true or false, got '" + v.get() + "'");
        };
    }

    /** A duration such as {@code 500ms}, {@code 20s}, {@code 15m}, {@code 2h}. */
    public Duration duration(String key, Duration defaultValue) {
        Optional<String> v = raw(key);
        if (v.isEmpty()) return defaultValue;
        String s = v.get().toLowerCase(Locale.ROOT);
        try {
            if (s.endsWith("ms")) return Duration.ofMillis(Long.parseLong(s.substring(0, s.length() - 2)));
            long n = Long.parseLong(s.substring(0, s.length() - 1));
            return switch (s.charAt(s.length() - 1)) {
                case 's' -> Duration.ofSeconds(n);
                case 'm' -> Duration.ofMinutes(n);
                case 'h' -> Duration.ofHours(n);
                default -> throw new NumberFormatException();
            };
        } catch (RuntimeException e) {
            throw new ConfigException(key, "must be a duration like 500ms, 20s, 15m or 2h, got '" + v.get() + "'");
        }
    }

    /** A duration from {@code min} to {@code max}: a negative or absurd one is a start-up error, not a surprise later. */
    public Duration duration(String key, Duration defaultValue, Duration min, Duration max) {
        Duration d = duration(key, defaultValue);
        if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
            throw new ConfigException(key, "must be from " + text(min) + " to " + text(max) + ", got " + text(d));
        }
        return d;
    }

    private static String text(Duration d) {
        return d.toMillis() % 1000 != 0 ? d.toMillis() + "ms" : d.toSeconds() + "s";
    }

    public Path path(String key, String defaultValue) {
        return Path.of(string(key, defaultValue));
    }

    public ZoneId zone(String key, String defaultValue) {
        String v = string(key, defaultValue);
        try {
            return ZoneId.of(v);
        } catch (RuntimeException e) {
            throw new ConfigException(key, "unknown time zone '" + v + "'");
        }
    }
}
