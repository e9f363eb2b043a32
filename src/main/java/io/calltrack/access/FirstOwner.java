package io.calltrack.access;

import io.calltrack.config.CalltrackConfig;
import io.calltrack.config.ConfigException;
import java.security.SecureRandom;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * At a start on a database without any user: the owner {@code access.owner-login}, with {@code access.owner-password}
 * or, when that is not set, a generated password logged once (the only secret calltrack ever logs: nobody could
 * log in otherwise; it is for changing at once).
 */
public final class FirstOwner {
    private static final Logger log = LoggerFactory.getLogger(FirstOwner.class);

    private FirstOwner() {}

    public static void ensure(AccountStore accounts, CalltrackConfig.Access config, PasswordHasher hasher,
                              PasswordRules rules, SecureRandom random, Clock clock) {
        if (accounts.anyUser()) return;
        String login = config.ownerLogin();
        String password;
        if (config.ownerPassword().isPresent()) {
            password = config.ownerPassword().get();
            rules.problem(login, password).ifPresent(p -> {
                throw new ConfigException("access.owner-password", p);
            });
        } else {
            password = rules.generated(login, random);
        }
        if (accounts.createFirstOwner(login, hasher.hash(password), clock.instant()).isEmpty()) return;
        if (config.ownerPassword().isPresent()) {
            log.info("Created the first owner '{}' with the password of access.owner-password", login);
        } else {
            log.warn("Created the first owner '{}' with the password {} (logged this once only): log in "
                    + "(POST /v1/session) and change it (PUT /v1/session/password), or set another with "
                    + "'java -jar calltrack.jar user reset-password {}'", login, password, login);
        }
    }
}
