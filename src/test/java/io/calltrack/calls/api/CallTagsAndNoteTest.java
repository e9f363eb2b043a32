package io.calltrack.calls.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.calltrack.calls.CallTags;
import io.calltrack.platform.db.Jdbc;
import io.calltrack.reports.ReportFixture;
import io.calltrack.support.Http;
import io.calltrack.support.TestServer;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Set;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A user's tags and note on a call (PUT /v1/calls/{id}/tags and /note): the rule tags speech rules set are kept, the
 * call's page shows which tags are whose, bad input is a 400 naming the field, and every change is in the audit log.
 */
class CallTagsAndNoteTest {
    private static final ObjectMapper json = new ObjectMapper();
    private static TestServer server;
    private static Http http;
    private static ReportFixture f;
    private static CallTags tags;
    private static long site;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        http = new Http(server.baseUrl());
        f = new ReportFixture(server.db().dataSource());
        tags = new CallTags(new Jdbc(server.db().dataSource()));
        site = f.site("Europe/Berlin");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static long newCall() {
        return f.call(site).at("2026-03-01T08:00:00Z").caller("+4930111111").answered(5, 40, "target").insert();
    }

    private static JsonNode call(long id) throws Exception {
        HttpResponse<String> r = http.adminGet("/v1/calls/" + id);
        assertEquals(200, r.statusCode(), r.body());
        return json.readTree(r.body());
    }

    private static List<String> strings(JsonNode array) {
        return StreamSupport.stream(array.spliterator(), false).map(JsonNode::asText).toList();
    }

    @Test
    void manualTagsReplaceTheUsersOwnAndKeepTheRulesOnes() throws Exception {
        long id = newCall();
        tags.replaceRuleTags(id, Set.of("price request"));

        var put = http.adminPut("/v1/calls/" + id + "/tags", "{\"tags\": [\" vip \", \"callback\", \"vip\"]}");
        assertEquals(200, put.statusCode(), put.body());
        assertEquals(List.of("callback", "vip"), strings(json.readTree(put.body()).get("tags")));

        JsonNode c = call(id);
        assertEquals(List.of("callback", "price request", "vip"), strings(c.get("tags")), "every tag, as before");
        assertEquals(List.of("callback", "vip"), strings(c.get("manualTags")));
        assertEquals(List.of("price request"), strings(c.get("ruleTags")));

        // a user cannot remove a rule's tag: it is not theirs to replace
        assertEquals(200, http.adminPut("/v1/calls/" + id + "/tags", "{\"tags\": [\"callback\"]}").statusCode());
        c = call(id);
        assertEquals(List.of("callback", "price request"), strings(c.get("tags")));
        assertEquals(List.of("callback"), strings(c.get("manualTags")));

        // PATCH is a merge over the current list: the list given replaces it
        assertEquals(200, http.adminPatch("/v1/calls/" + id + "/tags", "{\"tags\": []}").statusCode());
        c = call(id);
        assertEquals(List.of("price request"), strings(c.get("tags")));
        assertEquals(List.of(), strings(c.get("manualTags")));

        // the rules running again keep the user's
        http.adminPut("/v1/calls/" + id + "/tags", "{\"tags\": [\"vip\"]}");
        tags.replaceRuleTags(id, Set.of());
        assertEquals(List.of("vip"), strings(call(id).get("tags")));
    }

    @Test
    void badTagsAreA400NamingTheField() throws Exception {
        long id = newCall();
        List<String> many = new java.util.ArrayList<>();
        for (int i = 0; i < 21; i++) many.add("\"t" + i + "\"");
        assertBad(id, "/tags", "{\"tags\": [" + String.join(",", many) + "]}", "tags");
        assertBad(id, "/tags", "{\"tags\": [\"ok\", \"   \"]}", "tags[1]");
        assertBad(id, "/tags", "{\"tags\": [\"" + "x".repeat(101) + "\"]}", "tags[0]");
        assertBad(id, "/tags", "{\"tags\": [\"bell\\u0007\"]}", "tags[0]");
        assertBad(id, "/tags", "{\"tags\": [null]}", "tags[0]");
        assertBad(id, "/tags", "{}", "tags");
        assertEquals(400, http.adminPut("/v1/calls/" + id + "/tags", "{\"tags\": ").statusCode());
        assertEquals(404, http.adminPut("/v1/calls/999999/tags", "{\"tags\": [\"vip\"]}").statusCode());
        // 20 of at most 100 characters are fine
        many.remove(0);
        assertEquals(200, http.adminPut("/v1/calls/" + id + "/tags", "{\"tags\": [" + String.join(",", many) + "]}")
                .statusCode());
        assertEquals(200, http.adminPut("/v1/calls/" + id + "/tags", "{\"tags\": [\"" + "x".repeat(100) + "\"]}")
                .statusCode());
        assertEquals(List.of("x".repeat(100)), strings(call(id).get("manualTags")));
    }

    @Test
    void aNoteIsSetClearedAndShownWithTheCall() throws Exception {
        long id = newCall();
        assertTrue(call(id).get("note").isNull(), "no note yet");

        var put = http.adminPut("/v1/calls/" + id + "/note", "{\"note\": \"Wants a call back\\non Monday \"}");
        assertEquals(200, put.statusCode(), put.body());
        assertEquals("Wants a call back\non Monday", json.readTree(put.body()).get("note").asText());
        assertEquals("Wants a call back\non Monday", call(id).get("note").asText(), "lines are kept");

        assertEquals(200, http.adminPut("/v1/calls/" + id + "/note", "{\"note\": \"  \"}").statusCode());
        assertTrue(call(id).get("note").isNull(), "blank clears");
        http.adminPut("/v1/calls/" + id + "/note", "{\"note\": \"again\"}");
        assertEquals(200, http.adminPut("/v1/calls/" + id + "/note", "{\"note\": null}").statusCode());
        assertTrue(call(id).get("note").isNull(), "null clears");

        assertEquals(200, http.adminPut("/v1/calls/" + id + "/note", "{\"note\": \"" + "n".repeat(2000) + "\"}")
                .statusCode());
        assertBad(id, "/note", "{\"note\": \"" + "n".repeat(2001) + "\"}", "note");
        assertBad(id, "/note", "{\"note\": \"bell\\u0007\"}", "note");
        assertEquals("n".repeat(2000), call(id).get("note").asText(), "a refused note changes nothing");
        assertEquals(404, http.adminPut("/v1/calls/999999/note", "{\"note\": \"x\"}").statusCode());
    }

    @Test
    void tagAndNoteChangesAreAuditedWithBeforeAndAfter() throws Exception {
        long id = newCall();
        http.adminPut("/v1/calls/" + id + "/tags", "{\"tags\": [\"vip\"]}");
        http.adminPut("/v1/calls/" + id + "/tags", "{\"tags\": [\"callback\"]}");
        http.adminPut("/v1/calls/" + id + "/note", "{\"note\": \"call back\"}");

        JsonNode tagged = json.readTree(http.adminGet("/v1/audit?action=calls.tags.changed").body()).get("items");
        JsonNode last = StreamSupport.stream(tagged.spliterator(), false)
                .filter(e -> e.get("target").asText().equals("/v1/calls/" + id + "/tags")).findFirst().orElseThrow();
        assertEquals(List.of("vip"), strings(last.at("/detail/before/tags")), last.toString());
        assertEquals(List.of("callback"), strings(last.at("/detail/after/tags")), last.toString());
        assertEquals(site, last.get("siteId").asLong(), last.toString());

        JsonNode noted = json.readTree(http.adminGet("/v1/audit?action=calls.note.changed").body()).get("items");
        JsonNode note = StreamSupport.stream(noted.spliterator(), false)
                .filter(e -> e.get("target").asText().equals("/v1/calls/" + id + "/note")).findFirst().orElseThrow();
        assertTrue(note.at("/detail/before/note").isNull(), note.toString());
        assertEquals("call back", note.at("/detail/after/note").asText(), note.toString());
        assertEquals(site, note.get("siteId").asLong(), note.toString());
    }

    private static void assertBad(long id, String what, String body, String field) throws Exception {
        var r = http.adminPut("/v1/calls/" + id + what, body);
        assertEquals(400, r.statusCode(), body + " answered " + r.body());
        JsonNode answer = json.readTree(r.body());
        assertEquals(field, answer.path("field").asText(), r.body());
        assertTrue(answer.path("error").asText().startsWith(field + ": "), r.body());
    }
}
