package io.calltrack.access;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.calltrack.platform.db.Jdbc;
import io.calltrack.support.Http;
import io.calltrack.support.TestServer;
import java.security.SecureRandom;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A user's API token opens the management API as the bootstrap token does, until revoked or the user disabled. */
class ApiTokenAuthenticationTest {
    private static TestServer server;
    private static Http http;
    private static AccountStore accounts;
    private static Jdbc jdbc;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        http = new Http(server.baseUrl());
        jdbc = new Jdbc(server.db().dataSource());
        accounts = new AccountStore(jdbc, new ApiTokens(new SecureRandom()));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static int getSites(String token) {
        return http.send(http.builder("/v1/sites").header("Authorization", "Bearer " + token).GET(), false)
                .statusCode();
    }

    @Test
    void aUsersTokenWorksUntilRevokedAndIsStoredOnlyAsItsHash() {
        long user = accounts.createUser("ops@example.com", UserRole.ADMIN, Optional.empty(), Instant.now());
        IssuedToken issued = accounts.issueToken(user, "deploy script", Optional.empty(), false, Instant.now());

        assertTrue(issued.token().startsWith("ct_") && issued.token().length() > 40, issued.token());
        assertEquals(200, getSites(issued.token()));
        assertEquals(401, getSites(issued.token() + "x"));
        List<byte[]> stored = jdbc.withHandle(h -> h.createQuery("SELECT token_sha256 FROM api_token")
                .mapTo(byte[].class).list());
        assertEquals(1, stored.size());
        assertArrayEquals(ApiTokens.sha256(issued.token()), stored.get(0));
        assertFalse(jdbc.withHandle(h -> h.createQuery("SELECT count(*) FROM api_token WHERE token_sha256::text LIKE :t")
                .bind("t", "%" + issued.token().substring(3, 20) + "%").mapTo(Long.class).one()) > 0);
        assertNotNull(jdbc.withHandle(h -> h.createQuery("SELECT last_used_at FROM api_token").mapTo(Timestamp.class)
                .one()), "the token's last use is noted");

        jdbc.withHandle(h -> h.execute("UPDATE api_token SET revoked_at = now()"));
        assertEquals(401, getSites(issued.token()));
    }

    @Test
    void aDisabledUsersTokenIsRefusedAtOnce() {
        long user = accounts.createUser("leaver@example.com", UserRole.ADMIN, Optional.empty(), Instant.now());
        IssuedToken issued = accounts.issueToken(user, "laptop", Optional.empty(), false, Instant.now());
        assertEquals(200, getSites(issued.token()));

        jdbc.withHandle(h -> h.createUpdate("UPDATE app_user SET disabled_at = now() WHERE id = :id")
                .bind("id", user).execute());
        assertEquals(401, getSites(issued.token()));
    }

    @Test
    void theBootstrapTokenStillOpensEverything() {
        assertEquals(200, getSites(TestServer.ADMIN_TOKEN));
        assertEquals(401, getSites(""));
    }
}
