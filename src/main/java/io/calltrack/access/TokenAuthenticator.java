package io.calltrack.access;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;

/**
 * Bearer tokens: the installation's bootstrap admin token (an owner; compared in constant time) while it is not
 * retired ({@code admin.token-enabled=false}), or a user's API token (looked up by its hash).
 */
public final class TokenAuthenticator implements Authenticator {
    private final Optional<byte[]> bootstrapToken;
    private final AccountStore accounts;
    private final Clock clock;

    /** {@code bootstrapToken} empty: retired, only users' tokens open anything. */
    public TokenAuthenticator(Optional<String> bootstrapToken, AccountStore accounts, Clock clock) {
        this.bootstrapToken = bootstrapToken.map(t -> t.getBytes(StandardCharsets.UTF_8));
        this.accounts = accounts;
        this.clock = clock;
    }

    @Override
    public Optional<Principal> authenticate(Credentials credentials) {
        Optional<String> bearer = credentials.header("authorization")
                .filter(h -> h.regionMatches(true, 0, "Bearer ", 0, 7))
                .map(h -> h.substring(7).trim());
        if (bearer.isEmpty()) return Optional.empty();
        String token = bearer.get();
        if (bootstrapToken.isPresent()
                && MessageDigest.isEqual(bootstrapToken.get(), token.getBytes(StandardCharsets.UTF_8))) {
            return Optional.of(new Principal(0, "admin-token", UserRole.OWNER, Map.of(),
                    Principal.Via.BOOTSTRAP_TOKEN, Optional.empty(), false));
        }
        if (!token.startsWith(ApiTokens.PREFIX)) return Optional.empty();
        return accounts.principalForToken(token, clock.instant());
    }
}
