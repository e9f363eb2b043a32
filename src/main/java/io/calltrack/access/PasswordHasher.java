package io.calltrack.access;

import org.springframework.security.crypto.argon2.Argon2PasswordEncoder;

/**
 * Users' passwords, hashed with Argon2id (spring-security-crypto on Bouncy Castle) in the PHC string format
 * ({@code $argon2id$v=19$m=19456,t=2,p=1$salt$hash}), which carries its own salt and parameters: hashes made with
 * other parameters still verify, and {@link #outdated} says when one should be made again.
 */
public final class PasswordHasher {
    /** OWASP's first Argon2id choice: 19 MiB, 2 passes, 1 lane; 16-byte salt, 32-byte hash. */
    private final Argon2PasswordEncoder encoder = new Argon2PasswordEncoder(16, 32, 1, 19 * 1024, 2);
    /** Verified against when a login names nobody, so that an unknown login takes as long as a wrong password. */
    private final String decoy = encoder.encode("calltrack decoy password");

    public String hash(String password) {
        return encoder.encode(password);
    }

    /** Whether {@code password} is the one {@code hash} was made from; a malformed hash matches nothing. */
    public boolean matches(String password, String hash) {
        try {
            return encoder.matches(password, hash);
        } catch (RuntimeException malformed) {
            return false;
        }
    }

    /** Spends the time of one check and answers false: for a login without a user or without a password. */
    public boolean matchesNothing(String password) {
        encoder.matches(password, decoy);
        return false;
    }

    /** Whether {@code hash} was made with weaker parameters than today's (re-hash at the next login). */
    public boolean outdated(String hash) {
        try {
            return encoder.upgradeEncoding(hash);
        } catch (RuntimeException malformed) {
            return true;
        }
    }
}
