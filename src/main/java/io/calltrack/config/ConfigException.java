package io.calltrack.config;

/** A configuration value is missing or invalid; the message names the key and what is wrong. */
public final class ConfigException extends RuntimeException {
    public ConfigException(String key, String problem) {
        super(key + ": " + problem);
    }

    /** A problem that is not one key's value (unknown keys): the message says it all. */
    ConfigException(String message) {
        super(message);
    }
}
