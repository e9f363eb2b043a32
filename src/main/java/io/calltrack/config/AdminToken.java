package io.calltrack.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The management API's bearer token: {@code admin.token} when configured; otherwise one generated on first
 * start into {@code <data.dir>/admin-token} and reused afterwards, so the embedded default needs no setup.
 */
public final class AdminToken {
    private static final Logger log = LoggerFactory.getLogger(AdminToken.class);

    private AdminToken() {}

    public static String resolve(CalltrackConfig config) {
        if (config.http().adminToken().isPresent()) return config.http().adminToken().get();
        Path file = config.dataDir().resolve("admin-token");
        try {
            if (Files.exists(file)) return Files.readString(file, StandardCharsets.UTF_8).trim();
            byte[] random = new byte[24];
            new SecureRandom().nextBytes(random);
            String token = HexFormat.of().formatHex(random);
            Files.createDirectories(config.dataDir());
            Files.writeString(file, token + "\n", StandardCharsets.UTF_8);
            log.info("Generated the management API token into {} (set admin.token to choose your own)", file.toAbsolutePath().normalize());
            return token;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or write " + file, e);
        }
    }
}
