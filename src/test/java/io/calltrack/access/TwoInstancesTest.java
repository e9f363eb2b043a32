package io.calltrack.access;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.calltrack.support.Http;
import io.calltrack.support.TestDatabase;
import io.calltrack.support.TestServer;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Two calltrack instances on one database: a session ended on one is ended on the other at its next request. */
class TwoInstancesTest {
    private static StoredAudit audit;
    private static TestDatabase db;
    private static TestServer first;
    private static TestServer second;

    @BeforeAll
    static void start() {
        db = TestDatabase.create();
        audit = new StoredAudit(db);
        first = TestServer.startOn(db, Map.of(), Clock.systemUTC());
        second = TestServer.startOn(db, Map.of(), Clock.systemUTC());
    }

    @AfterAll
    static void stop() {
        first.close();
        second.close();
        db.close();
    }

    private static long createUser(String login, String password) {
        HttpResponse<String> r = new Http(first.baseUrl()).adminPost("/v1/users",
                "{\"login\":\"" + login + "\",\"role\":\"admin\",\"password\":\"" + password + "\"}");
        assertEquals(201, r.statusCode(), r.body());
        return SessionClient.tree(r).get("id").asLong();
    }

    @Test
    void theSecondInstanceStartsWithoutASecondOwner() {
        long owners = SessionClient.tree(new Http(second.baseUrl()).adminGet("/v1/users")).findValues("role").stream()
                .filter(r -> r.asText().equals("owner")).count();
        assertEquals(1, owners);
    }

    @Test
    void disablingAUserEndsTheirSessionOnEveryInstanceAtOnce() {
        long id = createUser("max@example.com", "blue harbour lights");
        SessionClient onFirst = new SessionClient(first.baseUrl());
        SessionClient onSecond = new SessionClient(second.baseUrl());
        SessionClient.Session s = onFirst.login("max@example.com", "blue harbour lights");
        assertEquals(200, onSecond.get(s, "/v1/sites").statusCode(), "the session is the database's, not one instance's");

        HttpResponse<String> disabled = new Http(second.baseUrl()).adminPatch("/v1/users/" + id, "{\"disabled\":true}");
        assertEquals(200, disabled.statusCode(), disabled.body());
        assertEquals(401, onFirst.get(s, "/v1/sites").statusCode(), "ended on the instance that did not disable");
        assertEquals(401, onSecond.get(s, "/v1/sites").statusCode());
        assertEquals(401, onFirst.loginResponse("max@example.com", "blue harbour lights").statusCode());

        assertEquals(200, new Http(first.baseUrl()).adminPatch("/v1/users/" + id, "{\"disabled\":false}").statusCode());
        assertEquals(401, onSecond.get(s, "/v1/sites").statusCode(), "enabling again does not bring old sessions back");
        assertEquals(200, onSecond.loginResponse("max@example.com", "blue harbour lights").statusCode());
        assertTrue(audit.of("user.changed").stream().anyMatch(e -> e.target().equals("user " + id)));
    }

    @Test
    void anOwnersPasswordResetEndsTheUsersSessionsEverywhere() {
        long id = createUser("ira@example.com", "quiet winter garden");
        SessionClient onFirst = new SessionClient(first.baseUrl());
        SessionClient.Session s = onFirst.login("ira@example.com", "quiet winter garden");

        HttpResponse<String> reset = new Http(second.baseUrl()).adminPatch("/v1/users/" + id,
                "{\"password\":\"the owner's choice\"}");
        assertEquals(200, reset.statusCode(), reset.body());
        assertEquals(401, onFirst.get(s, "/v1/sites").statusCode());
        assertEquals(200, onFirst.loginResponse("ira@example.com", "the owner's choice").statusCode());
        assertEquals(1, audit.of("user.password-reset").size());
    }
}
