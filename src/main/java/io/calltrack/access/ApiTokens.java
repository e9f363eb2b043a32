package io.calltrack.access;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * API tokens: {@code ct_} and 256 random bits in base64url. Only their SHA-256 is stored; a token has as much
 * entropy as its hash, so a slow, salted hash (as for passwords) would add nothing but time on every request.
 */
public final class ApiTokens {
    /** What every token calltrack issues starts with: lets a log scanner or a secret scanner recognise one. */
    public static final String PREFIX = "ct_";
    private final SecureRandom random;

    public ApiTokens(SecureRandom random) {
        this.random = random;
    }

    public String generate() {
        return PREFIX + randomSecret(random);
    }

    /** 256 random bits in base64url: API tokens and session cookie values. */
    static String randomSecret(SecureRandom random) {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    public static byte[] sha256(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
