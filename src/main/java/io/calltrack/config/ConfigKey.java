package io.calltrack.config;

import java.util.Locale;

/**
 * One setting calltrack reads: its name, the default it takes when absent ({@code ""}: none, the key is optional
 * or empty by default) and the values it accepts ({@code ""}: any text). {@link CalltrackConfig#keys()} lists them.
 */
public record ConfigKey(String name, String defaultValue, String range) {

    /**
     * The environment variable that sets it: {@code http.max-connections-per-ip} is
     * {@code CALLTRACK_HTTP_MAX_CONNECTIONS_PER_IP}.
     */
    public String envName() {
        return ConfigSource.ENV_PREFIX + name.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }
}
