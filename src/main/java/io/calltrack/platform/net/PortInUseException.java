package io.calltrack.platform.net;

/**
 * A listener could not bind its configured port because another program has it. The message is the one line an
 * admin needs ({@code http.port 8080 is in use}); {@code Main} prints it and exits with code 2, like a configuration
 * error, instead of a stack trace.
 */
public final class PortInUseException extends RuntimeException {
    public PortInUseException(String key, String host, int port, Throwable cause) {
        super(key + " " + port + " is in use" + (host.isEmpty() ? "" : " on " + host)
                + ": stop the program that has it, or set " + key + " to a free port", cause);
    }
}
