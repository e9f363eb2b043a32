package io.calltrack.access;

import io.calltrack.tracking.api.ClientAddresses;
import java.net.URI;
import java.util.Locale;
import java.util.Optional;

/**
 * What a browser's request says about where it comes from: whether it came over TLS (to calltrack's reverse proxy:
 * {@code X-Forwarded-Proto: https} from a trusted proxy, or {@code http.public-url} is https) and whether it was
 * sent by a page of calltrack's own origin ({@code Sec-Fetch-Site}, {@code Origin}). A page of another site can make
 * a browser send a form post with calltrack's cookie (SameSite aside), never with these headers saying it is ours.
 */
public final class BrowserRequests {
    private final Optional<URI> publicUrl;
    private final ClientAddresses proxies;

    public BrowserRequests(Optional<URI> publicUrl, ClientAddresses proxies) {
        this.publicUrl = publicUrl;
        this.proxies = proxies;
    }

    public boolean overTls(Credentials request) {
        if (publicUrl.isPresent()) return publicUrl.get().getScheme().equalsIgnoreCase("https");
        return proxies.isTrusted(request.remoteAddress()) && request.header("x-forwarded-proto")
                .map(p -> p.trim().toLowerCase(Locale.ROOT).startsWith("https")).orElse(false);
    }

    /**
     * Whether the request may be a change made by calltrack's own pages: {@code Sec-Fetch-Site}, when sent, must be
     * {@code same-origin}; {@code Origin}, when sent, must be ours ({@code http.public-url}, else the scheme and the
     * {@code Host} the request was sent to). A client that sends neither is no current browser (curl, a script).
     */
    public boolean sameOrigin(Credentials request) {
        Optional<String> site = request.header("sec-fetch-site").map(s -> s.trim().toLowerCase(Locale.ROOT));
        if (site.isPresent() && !site.get().equals("same-origin")) return false;
        Optional<String> origin = request.header("origin").map(String::trim);
        if (origin.isEmpty()) return true;
        return origin.get().equalsIgnoreCase(ownOrigin(request));
    }

    private String ownOrigin(Credentials request) {
        if (publicUrl.isPresent()) {
            URI u = publicUrl.get();
            return u.getScheme() + "://" + u.getHost() + (u.getPort() < 0 ? "" : ":" + u.getPort());
        }
        return (overTls(request) ? "https://" : "http://") + request.header("host").orElse("");
    }
}
