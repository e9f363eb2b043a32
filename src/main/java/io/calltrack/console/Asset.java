package io.calltrack.console;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;

/** One file the console serves: its bytes, its media type and a strong validator (a hash of the bytes). */
record Asset(byte[] body, String contentType, String etag) {

    static Asset of(String name, byte[] body) {
        return new Asset(body, contentType(name).orElseThrow(
                () -> new IllegalArgumentException(name + " has no type the console serves")),
                "\"" + sha256(body).substring(0, 20) + "\"");
    }

    /** The media types the console serves; any other file name is not an asset. */
    static Optional<String> contentType(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        if (n.endsWith(".js")) return Optional.of("text/javascript; charset=utf-8");
        if (n.endsWith(".css")) return Optional.of("text/css; charset=utf-8");
        if (n.endsWith(".html")) return Optional.of("text/html; charset=utf-8");
        if (n.endsWith(".svg")) return Optional.of("image/svg+xml");
        return Optional.empty();
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
