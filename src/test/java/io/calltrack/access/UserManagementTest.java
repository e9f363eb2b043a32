package io.calltrack.access;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.calltrack.platform.db.Jdbc;
import io.calltrack.support.Http;
import io.calltrack.support.TestServer;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The owner manages users and grants; everyone manages their own API tokens, which are shown once. */
class UserManagementTest {
    private static TestServer server;
    private static Http http;
    private static long siteA;
    private static long siteB;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        http = new Http(server.baseUrl());
        siteA = site("A");
        siteB = site("B");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static long site(String name) {
        return SessionClient.tree(http.adminPost("/v1/sites", "{\"name\":\"" + name
                + "\",\"timeZone\":\"UTC\",\"fallbackNumber\":\"+74950000000\"}")).get("id").asLong();
    }

    private static HttpResponse<String> as(String token, String method, String path, String body) {
        return http.send(http.builder(path).header("Authorization", "Bearer " + token).method(method,
                body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body)), false);
    }

    /** A user and a token of theirs, issued by the owner. */
    private static String userWithToken(String login, String role, String grants) {
        HttpResponse<String> u = http.adminPost("/v1/users", "{\"login\":\"" + login + "\",\"role\":\"" + role
                + "\",\"password\":\"a fine password\"" + (grants == null ? "" : ",\"grants\":" + grants) + "}");
        assertEquals(201, u.statusCode(), u.body());
        HttpResponse<String> t = http.adminPost("/v1/tokens", "{\"name\":\"main\",\"userId\":"
                + SessionClient.tree(u).get("id").asLong() + "}");
        assertEquals(201, t.statusCode(), t.body());
        return SessionClient.tree(t).get("token").asText();
    }

    @Test
    void passwordRulesAreClear400s() {
        String[][] cases = {
                {"short1", "the password has 6 characters; at least 10 are needed"},
                {"x".repeat(257), "the password has 257 characters; at most 256 are allowed"},
                {"zzzzzzzzzzzz", "the password is one character repeated"},
                {"carol@example.com!", "the password must not contain the login"},
                {"my carol password", "the password must not contain the login"},
                {"Password123", "the password is one of the most common passwords"},
        };
        for (String[] c : cases) {
            HttpResponse<String> r = http.adminPost("/v1/users", "{\"login\":\"carol@example.com\",\"role\":"
                    + "\"admin\",\"password\":\"" + c[0] + "\"}");
            assertEquals(400, r.statusCode(), c[0]);
            assertEquals(c[1], SessionClient.tree(r).get("error").asText());
        }
        assertEquals(400, http.adminPost("/v1/users", "{\"login\":\"carol@example.com\",\"role\":\"boss\","
                + "\"password\":\"a fine password\"}").statusCode());
        assertEquals(201, http.adminPost("/v1/users", "{\"login\":\"carol@example.com\",\"role\":\"admin\","
                + "\"password\":\"a fine password\"}").statusCode());
        HttpResponse<String> taken = http.adminPost("/v1/users", "{\"login\":\"CAROL@example.com\",\"role\":"
                + "\"admin\",\"password\":\"a fine password\"}");
        assertEquals(409, taken.statusCode(), taken.body());
    }

    @Test
    void onlyTheOwnerManagesUsers() {
        String admin = userWithToken("adm@example.com", "admin", null);
        String member = userWithToken("mem@example.com", "member", "[{\"siteId\":" + siteA + ",\"role\":\"viewer\"}]");
        for (String token : new String[] {admin, member}) {
            assertEquals(403, as(token, "GET", "/v1/users", null).statusCode());
            assertEquals(403, as(token, "POST", "/v1/users", "{\"login\":\"x\",\"role\":\"owner\",\"password\":"
                    + "\"a fine password\"}").statusCode());
        }
        JsonNode me = SessionClient.tree(as(member, "GET", "/v1/session", null));
        assertEquals("member", me.get("role").asText());
        assertEquals("viewer", me.get("grants").get(0).get("role").asText());
        assertEquals("api_token", me.get("via").asText());
    }

    @Test
    void theOwnerReplacesAMembersGrants() {
        HttpResponse<String> u = http.adminPost("/v1/users", "{\"login\":\"lead@example.com\",\"role\":\"member\","
                + "\"password\":\"a fine password\"}");
        long id = SessionClient.tree(u).get("id").asLong();
        HttpResponse<String> put = http.adminPut("/v1/users/" + id + "/grants", "[{\"siteId\":" + siteA
                + ",\"role\":\"lead\",\"recordings\":true},{\"siteId\":" + siteB + ",\"role\":\"marketer\"}]");
        assertEquals(200, put.statusCode(), put.body());
        JsonNode user = SessionClient.tree(http.adminGet("/v1/users/" + id));
        assertEquals(2, user.get("grants").size());
        assertTrue(user.get("grants").get(0).get("recordings").asBoolean());
        assertEquals(400, http.adminPut("/v1/users/" + id + "/grants", "[{\"siteId\":99999,\"role\":\"lead\"}]")
                .statusCode(), "no such site");
        assertEquals(400, http.adminPut("/v1/users/" + id + "/grants", "[{\"siteId\":" + siteA
                + ",\"role\":\"boss\"}]").statusCode());
        assertEquals(2, SessionClient.tree(http.adminGet("/v1/users/" + id)).get("grants").size(), "unchanged");
        assertEquals(404, http.adminGet("/v1/users/99999").statusCode());
    }

    @Test
    void theLastOwnerCannotBeDemotedOrDisabled() {
        long owner = SessionClient.tree(http.adminGet("/v1/users")).get(0).get("id").asLong();
        HttpResponse<String> r = http.adminPatch("/v1/users/" + owner, "{\"disabled\":true}");
        assertEquals(409, r.statusCode(), r.body());
        assertEquals(409, http.adminPatch("/v1/users/" + owner, "{\"role\":\"admin\"}").statusCode());
    }

    @Test
    void tokensAreShownOnceStoredHashedNarrowedAndRevocable() {
        String member = userWithToken("agency@example.com", "member", "[{\"siteId\":" + siteA
                + ",\"role\":\"marketer\"}]");
        HttpResponse<String> outside = as(member, "POST", "/v1/tokens", "{\"name\":\"b\",\"onlySites\":[" + siteB + "]}");
        assertEquals(400, outside.statusCode(), outside.body());
        HttpResponse<String> created = as(member, "POST", "/v1/tokens", "{\"name\":\"reports\",\"onlySites\":["
                + siteA + "],\"readOnly\":true}");
        assertEquals(201, created.statusCode(), created.body());
        JsonNode t = SessionClient.tree(created);
        String token = t.get("token").asText();
        assertTrue(token.startsWith("ct_"));

        JsonNode listed = SessionClient.tree(as(member, "GET", "/v1/tokens", null));
        assertEquals(2, listed.size());
        assertFalse(listed.toString().contains(token.substring(3)), "the token is not shown again");
        assertEquals("[" + siteA + "]", listed.get(0).get("onlySites").toString());
        Jdbc jdbc = new Jdbc(server.db().dataSource());
        assertArrayEquals(ApiTokens.sha256(token), jdbc.withHandle(h -> h.createQuery(
                "SELECT token_sha256 FROM api_token WHERE id = :id").bind("id", t.get("id").asLong())
                .mapTo(byte[].class).one()));
        assertFalse(jdbc.withHandle(h -> h.createQuery("SELECT string_agg(t::text, ' ') FROM api_token t")
                .mapTo(String.class).one()).contains(token.substring(3)));

        assertEquals(200, as(token, "GET", "/v1/session", null).statusCode());
        assertEquals(403, as(token, "POST", "/v1/tokens", "{\"name\":\"wider\"}").statusCode(), "read-only");
        assertEquals(404, as(userWithToken("other@example.com", "admin", null), "DELETE",
                "/v1/tokens/" + t.get("id").asLong(), null).statusCode(), "not another user's token");
        assertTrue(SessionClient.tree(http.adminGet("/v1/tokens?all=true")).size() >= 3, "the owner sees all");
        assertEquals(204, http.adminDelete("/v1/tokens/" + t.get("id").asLong()).statusCode(), "the owner revokes any");
        assertEquals(401, as(token, "GET", "/v1/session", null).statusCode());
        assertEquals(409, as(member, "DELETE", "/v1/tokens/" + t.get("id").asLong(), null).statusCode());
    }

    @Test
    void theBootstrapTokenIsAnOwnerWithoutAnAccount() {
        JsonNode me = SessionClient.tree(http.adminGet("/v1/session"));
        assertEquals("owner", me.get("role").asText());
        assertEquals("bootstrap_token", me.get("via").asText());
        HttpResponse<String> own = http.adminPost("/v1/tokens", "{\"name\":\"mine\"}");
        assertEquals(400, own.statusCode(), own.body());
    }
}
