package io.calltrack.config;

/** A configuration value is missing or invalid; the message names the key and what is wrong. */
public final class ConfigException extends RuntimeException {
    public ConfigException(String key, String problem) {
        super(key + ": " + problem);
    }
}
