package io.calltrack.config;

/**
 * The management API's bearer token: {@code admin.token} when configured; otherwise one generated on first
 * start into {@code <data.dir>/admin-token} (owner-only, see {@link PrivateFiles}) and reused afterwards, so the
 * embedded default needs no setup.
 */
public final class AdminToken {
    private AdminToken() {}

    public static String resolve(CalltrackConfig config) {
        if (config.http().adminToken().isPresent()) return config.http().adminToken().get();
        return PrivateFiles.secret(config.dataDir().resolve("admin-token"),
                "the management API token (set admin.token to choose your own)");
    }
}
