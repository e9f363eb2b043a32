package io.calltrack.access;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** What a request offers to prove who sent it: its method, its headers (names lower-case) and its address. */
public record Credentials(String method, Map<String, String> headers, String remoteAddress) {
    public Credentials {
        headers = Map.copyOf(headers);
    }

    public Optional<String> header(String name) {
        return Optional.ofNullable(headers.get(name.toLowerCase(Locale.ROOT)));
    }
}
