package io.calltrack.access;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What a password must be (NIST SP 800-63B's rules rather than composition rules): 10 to 256 characters, not the
 * login or part of it, not one character repeated, not on a short list of the most common passwords.
 */
public final class PasswordRules {
    public static final int MIN_LENGTH = 10;
    public static final int MAX_LENGTH = 256;
    private final Set<String> common;

    private PasswordRules(Set<String> common) {
        this.common = common;
    }

    /** With the list shipped in {@code common-passwords.txt} (one a line, lower case). */
    public static PasswordRules standard() {
        var in = PasswordRules.class.getResourceAsStream("common-passwords.txt");
        if (in == null) throw new IllegalStateException("common-passwords.txt is missing from the jar");
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            return new PasswordRules(r.lines().map(String::trim).filter(l -> !l.isEmpty())
                    .collect(Collectors.toUnmodifiableSet()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Why {@code password} cannot be {@code login}'s, or empty when it can. */
    public Optional<String> problem(String login, String password) {
        if (password == null || password.isEmpty()) return Optional.of("the password is empty");
        int length = password.codePointCount(0, password.length());
        if (length < MIN_LENGTH) {
            return Optional.of("the password has " + length + " characters; at least " + MIN_LENGTH + " are needed");
        }
        if (length > MAX_LENGTH) {
            return Optional.of("the password has " + length + " characters; at most " + MAX_LENGTH + " are allowed");
        }
        String lower = password.toLowerCase(Locale.ROOT);
        String loginLower = login.toLowerCase(Locale.ROOT);
        String loginName = loginLower.contains("@") ? loginLower.substring(0, loginLower.indexOf('@')) : loginLower;
        if (lower.contains(loginLower) || (loginName.length() >= 3 && lower.contains(loginName))) {
            return Optional.of("the password must not contain the login");
        }
        if (password.codePoints().distinct().count() == 1) {
            return Optional.of("the password is one character repeated");
        }
        if (common.contains(lower)) return Optional.of("the password is one of the most common passwords");
        return Optional.empty();
    }

    /** A random password that meets the rules for {@code login}: 120 bits, 20 characters of base64url. */
    public String generated(String login, SecureRandom random) {
        while (true) {
            byte[] bytes = new byte[15];
            random.nextBytes(bytes);
            String candidate = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
            if (problem(login, candidate).isEmpty()) return candidate;
        }
    }
}
