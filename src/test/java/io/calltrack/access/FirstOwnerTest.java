package io.calltrack.access;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.calltrack.config.ConfigException;
import io.calltrack.support.Http;
import io.calltrack.support.LogCapture;
import io.calltrack.support.TestServer;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The owner calltrack creates on a database without users, and retiring the bootstrap token. */
class FirstOwnerTest {

    @Test
    void withoutAConfiguredPasswordOneIsGeneratedAndLoggedOnceWithHowToChangeIt() throws Exception {
        try (LogCapture log = new LogCapture(FirstOwner.class);
             TestServer server = TestServer.start(Map.of("access.owner-login", "boss@example.com"))) {
            String line = log.await("Created the first owner", Duration.ZERO).orElseThrow();
            assertTrue(line.startsWith("WARN Created the first owner 'boss@example.com' with the password "), line);
            assertTrue(line.contains("PUT /v1/session/password") && line.contains("user reset-password"), line);
            String password = line.split(" with the password ")[1].split(" ")[0];
            SessionClient browser = new SessionClient(server.baseUrl());
            assertEquals("owner", SessionClient.tree(browser.loginResponse("boss@example.com", password))
                    .get("role").asText());

            // a restart on the same database creates nobody and logs no password
            try (LogCapture again = new LogCapture(FirstOwner.class);
                 TestServer second = TestServer.startOn(server.db(), Map.of(), java.time.Clock.systemUTC())) {
                assertEquals(0, again.lines().size(), again.lines().toString());
                assertEquals(1, SessionClient.tree(new Http(second.baseUrl()).adminGet("/v1/users")).size());
            }
        }
    }

    @Test
    void aConfiguredPasswordMustMeetTheRules() {
        var e = assertThrows(IllegalStateException.class,
                () -> TestServer.start(Map.of("access.owner-password", "secret")).close());
        assertEquals(ConfigException.class, e.getCause().getClass());
        assertEquals("access.owner-password: the password has 6 characters; at least 10 are needed",
                e.getCause().getMessage());
    }

    @Test
    void aRetiredBootstrapTokenOpensNothingWhileUsersTokensDo() {
        try (TestServer server = TestServer.start(Map.of("admin.token-enabled", "false",
                "access.owner-password", "a quiet long passphrase"))) {
            Http http = new Http(server.baseUrl());
            assertEquals(401, http.adminGet("/v1/sites").statusCode());
            SessionClient browser = new SessionClient(server.baseUrl());
            SessionClient.Session s = browser.login("owner", "a quiet long passphrase");
            var issued = browser.send(s, "POST", "/v1/tokens", "{\"name\":\"deploy\"}");
            assertEquals(201, issued.statusCode(), issued.body());
            String token = SessionClient.tree(issued).get("token").asText();
            assertEquals(200, http.send(http.builder("/v1/sites").header("Authorization", "Bearer " + token).GET(),
                    false).statusCode());
        }
    }
}
