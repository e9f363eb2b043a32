package io.calltrack.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.calltrack.support.Http;
import io.calltrack.support.TestServer;
import java.net.http.HttpRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class RoutingRoutesTest {
    static final ObjectMapper json = new ObjectMapper();
    static TestServer server;
    static Http http;
    static long siteId;

    static final String ROUTING = """
            {"departments":[
               {"name":"Sales","managers":[{"name":"Ann","dialString":"PJSIP/101"},
                                           {"name":"Bob","dialString":"PJSIP/102","ringTimeoutSeconds":15}]},
               {"name":"Support","managers":[{"name":"Cy","sipUri":"sip:201@pbx.example.com","active":false}]}],
             "rules":[
               {"name":"Paid search in office hours",
                "when":{"channels":["google-ads"],"numbers":["(312) 555-0001"]},
                "schedule":{"days":["MON","TUE","WED","THU","FRI"],"hours":["09:00-18:00"],"holidays":["2026-12-25"]},
                "then":{"department":"Sales","strategy":"round_robin",
                        "overflow":[{"department":"Support","strategy":"ring_all"},
                                    {"external":"PJSIP/trunk/+12125550199","timeoutSeconds":25},
                                    {"voicemail":"100@default"}]}}]}""";

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start();
        http = new Http(server.baseUrl());
        var r = http.adminPost("/v1/sites", """
                {"name":"Shop","timeZone":"America/New_York","fallbackNumber":"+12125550100"}""");
        siteId = json.readTree(r.body()).get("id").asLong();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void importThenExportGivesTheSameRoutingWithNumbersInE164() throws Exception {
        var put = http.adminPut("/v1/sites/" + siteId + "/routing", ROUTING);
        assertEquals(200, put.statusCode(), put.body());
        JsonNode exported = json.readTree(http.adminGet("/v1/sites/" + siteId + "/routing").body());
        assertEquals("Sales", exported.at("/departments/0/name").asText());
        assertEquals(15, exported.at("/departments/0/managers/1/ringTimeoutSeconds").asInt());
        assertEquals(false, exported.at("/departments/1/managers/0/active").asBoolean());
        assertEquals("+13125550001", exported.at("/rules/0/when/numbers/0").asText());
        assertEquals("100@default", exported.at("/rules/0/then/overflow/2/voicemail").asText());
    }

    @Test
    void reimportKeepsManagerIdsSoHistoryAndStickinessSurvive() throws Exception {
        http.adminPut("/v1/sites/" + siteId + "/routing", ROUTING);
        long annBefore = json.readTree(http.adminGet("/v1/sites/" + siteId + "/routing").body())
                .at("/departments/0/managers/0/id").asLong();
        http.adminPut("/v1/sites/" + siteId + "/routing", ROUTING.replace("PJSIP/101", "PJSIP/111"));
        JsonNode after = json.readTree(http.adminGet("/v1/sites/" + siteId + "/routing").body());
        assertEquals(annBefore, after.at("/departments/0/managers/0/id").asLong());
        assertEquals("PJSIP/111", after.at("/departments/0/managers/0/dialString").asText());
    }

    @Test
    void invalidRoutingIsRefusedWithThePathOfTheBadElementAndNothingChanges() throws Exception {
        http.adminPut("/v1/sites/" + siteId + "/routing", ROUTING);
        assertError(ROUTING.replace("\"09:00-18:00\"", "\"9-18\""),
                "rules[0].schedule.hours[0]: '9-18' is not HH:MM-HH:MM");
        assertError(ROUTING.replace("\"MON\"", "\"MONDAY-ISH\""),
                "rules[0].schedule.days[0]: 'MONDAY-ISH' is not a weekday (MON..SUN)");
        assertError(ROUTING.replace("\"department\":\"Sales\"", "\"department\":\"Marketing\""),
                "rules[0].then.department: unknown department 'Marketing'");
        assertError(ROUTING.replace("\"strategy\":\"round_robin\"", "\"strategy\":\"random\""),
                "rules[0].then.strategy: 'random' is not one of sticky, round_robin, least_recently_called or ring_all");
        assertError(ROUTING.replace("\"2026-12-25\"", "\"Christmas\""),
                "rules[0].schedule.holidays[0]: 'Christmas' is not a date (YYYY-MM-DD)");
        assertError(ROUTING.replace("\"(312) 555-0001\"", "\"call me\""),
                "rules[0].when.numbers[0]: 'call me' is not a phone number");
        assertError(ROUTING.replace("{\"voicemail\":\"100@default\"}", "{\"voicemail\":\"100\",\"external\":\"PJSIP/x\"}"),
                "rules[0].then.overflow[2]: needs exactly one of department, external or voicemail");
        var broken = http.adminPut("/v1/sites/" + siteId + "/routing", "{\"departments\":[");
        assertEquals(400, broken.statusCode());
        assertTrue(broken.body().contains("invalid JSON"), broken.body());
        // the valid routing stored before is untouched
        assertEquals("09:00-18:00", json.readTree(http.adminGet("/v1/sites/" + siteId + "/routing").body())
                .at("/rules/0/schedule/hours/0").asText());
    }

    @Test
    void eachFormAsteriskOrTheSipRedirectCanUseIsAccepted() throws Exception {
        var put = http.adminPut("/v1/sites/" + siteId + "/routing", """
                {"departments":[{"name":"Sales","managers":[
                   {"name":"Desk","dialString":"pjsip/101"},
                   {"name":"Trunk user","dialString":"PJSIP/+15551234567@trunk"},
                   {"name":"Via trunk","dialString":"PJSIP/trunk/sip:+15551234567@carrier.example.com"},
                   {"name":"Agent","dialString":"Local/101@agents"},
                   {"name":"Branch","dialString":"IAX2/branch/101"},
                   {"name":"Analog","dialString":"DAHDI/g1/5551234"},
                   {"name":"Soft phone","sipUri":"sip:ann@10.0.0.5:5062;transport=tcp"},
                   {"name":"Both","dialString":"PJSIP/102","sipUri":"sips:102@pbx.example.com"}]}],
                 "rules":[{"name":"all","then":{"department":"Sales","overflow":[
                   {"external":"sip:+12125550199@carrier.example.com"},{"external":"PJSIP/trunk/+12125550199"}]}}]}""");
        assertEquals(200, put.statusCode(), put.body());
        JsonNode managers = json.readTree(put.body()).at("/departments/0/managers");
        assertEquals("PJSIP/101", managers.at("/0/dialString").asText(), "spelled as Asterisk names the channels");
        assertTrue(managers.at("/0/sipUri").isMissingNode());
        assertEquals("sip:ann@10.0.0.5:5062;transport=tcp", managers.at("/6/sipUri").asText());
        assertTrue(managers.at("/6/dialString").isMissingNode());
        assertEquals("PJSIP/102", managers.at("/7/dialString").asText());
        assertEquals("sips:102@pbx.example.com", managers.at("/7/sipUri").asText());
    }

    @Test
    void aDestinationNeitherTelephonyCanUseIsRefusedWithItsPath() throws Exception {
        http.adminPut("/v1/sites/" + siteId + "/routing", ROUTING);
        assertError(ROUTING.replace("\"PJSIP/102\"", "\"sip:bob@pbx.example.com\""),
                "departments[0].managers[1].dialString: 'sip:bob@pbx.example.com' is a SIP URI; FastAGI needs an "
                        + "Asterisk dial string such as PJSIP/101, or PJSIP/<endpoint>/sip:bob@pbx.example.com to dial "
                        + "the URI through a PJSIP endpoint; for the SIP redirect, set it as sipUri");
        assertError(ROUTING.replace("\"PJSIP/101\"", "\"SIP/101\""), "departments[0].managers[0].dialString: "
                + "'SIP/101': chan_sip was removed in Asterisk 21; dial through PJSIP (PJSIP/101, or "
                + "PJSIP/<trunk>/sip:user@host)");
        assertError(ROUTING.replace("\"PJSIP/101\"", "\"PJSIP/101&PJSIP/103\""), "departments[0].managers[0]."
                + "dialString: 'PJSIP/101&PJSIP/103' contains '&': one phone per destination (ring_all rings a "
                + "department's managers together)");
        assertError(ROUTING.replace("\"sipUri\":\"sip:201@pbx.example.com\"", "\"sipUri\":\"PJSIP/201\""),
                "departments[1].managers[0].sipUri: 'PJSIP/201' is an Asterisk dial string; the SIP redirect needs "
                        + "a SIP URI such as sip:101@pbx.example.com");
        assertError(ROUTING.replace("\"dialString\":\"PJSIP/101\"", "\"dialString\":\"\""),
                "departments[0].managers[0].dialString: is required unless sipUri is set: what Asterisk dials "
                        + "(PJSIP/101), and/or sipUri for the SIP redirect (sip:101@pbx.example.com)");
        assertError(ROUTING.replace("\"PJSIP/trunk/+12125550199\"", "\"PJSIP/trunk/+12125550199,30,tT\""),
                "rules[0].then.overflow[1].external: 'PJSIP/trunk/+12125550199,30,tT' contains ',', which separates "
                        + "Dial's arguments (calltrack adds the ring timeout itself)");
        assertError(ROUTING.replace("\"PJSIP/trunk/+12125550199\"", "\"+12125550199\""),
                "rules[0].then.overflow[1].external: '+12125550199' is neither an Asterisk dial string (PJSIP/101, "
                        + "PJSIP/+15551234567@trunk, Local/101@agents) nor a SIP URI (sip:101@pbx.example.com)");
        var manager = http.adminPost("/v1/sites/" + siteId + "/managers",
                "{\"department\":\"Support\",\"name\":\"Dee\",\"dialString\":\"Local/202\"}");
        assertEquals(400, manager.statusCode(), manager.body());
        assertEquals("departments[1].managers[1].dialString: 'Local/202' is not Local/<extension>@<context>[/options], "
                + "e.g. Local/101@agents", json.readTree(manager.body()).get("error").asText());
        assertEquals("PJSIP/102", json.readTree(http.adminGet("/v1/sites/" + siteId + "/routing").body())
                .at("/departments/0/managers/1/dialString").asText(), "the valid routing stored before is untouched");
    }

    @Test
    void theSitesClosedHoursDestinationIsCheckedTheSameWay() throws Exception {
        String site = "{\"name\":\"Shop\",\"timeZone\":\"America/New_York\",\"fallbackNumber\":\"+12125550100\","
                + "\"closedHoursDestination\":\"%s\"}";
        var bad = http.adminPut("/v1/sites/" + siteId, site.formatted("PJSIP/night desk"));
        assertEquals(400, bad.statusCode(), bad.body());
        assertEquals("closedHoursDestination: 'PJSIP/night desk' contains a space",
                json.readTree(bad.body()).get("error").asText());
        for (String ok : new String[] {"PJSIP/night-desk", "sip:night@pbx.example.com"}) {
            var r = http.adminPut("/v1/sites/" + siteId, site.formatted(ok));
            assertEquals(200, r.statusCode(), r.body());
            assertEquals(ok, json.readTree(r.body()).get("closedHoursDestination").asText());
        }
    }

    @Test
    void unknownSiteAndMissingTokenAreRefused() {
        assertEquals(404, http.adminGet("/v1/sites/999999/routing").statusCode());
        assertEquals(401, http.send(http.builder("/v1/sites/" + siteId + "/routing").GET(), false).statusCode());
    }

    @Test
    void aManagerCanBeSwitchedOffAlone() throws Exception {
        http.adminPut("/v1/sites/" + siteId + "/routing", ROUTING);
        long bob = json.readTree(http.adminGet("/v1/sites/" + siteId + "/routing").body())
                .at("/departments/0/managers/1/id").asLong();
        assertEquals(200, http.adminPut("/v1/managers/" + bob, "{\"active\":false}").statusCode());
        assertEquals(false, json.readTree(http.adminGet("/v1/sites/" + siteId + "/routing").body())
                .at("/departments/0/managers/1/active").asBoolean());
        assertEquals(404, http.adminPut("/v1/managers/999999", "{\"active\":false}").statusCode());
        assertEquals(400, http.adminPut("/v1/managers/" + bob, "{}").statusCode());
        assertEquals(400, http.send(http.builder("/v1/managers/" + bob)
                .PUT(HttpRequest.BodyPublishers.ofString("{\"active\":\"maybe\"}")), true).statusCode());
    }

    @Test
    void singleRulesAndManagersCanBeEditedWithTheImportsValidation() throws Exception {
        http.adminPut("/v1/sites/" + siteId + "/routing", ROUTING);
        String rules = "/v1/sites/" + siteId + "/rules";
        var added = http.adminPost(rules, "{\"name\":\"night\",\"then\":{\"department\":\"Support\"}}");
        assertEquals(200, added.statusCode(), added.body());
        assertEquals("night", json.readTree(added.body()).at("/1/name").asText());

        var replaced = http.adminPut(rules + "/2", "{\"name\":\"night shift\",\"then\":{\"department\":\"Sales\"}}");
        assertEquals(200, replaced.statusCode(), replaced.body());
        assertEquals("Sales", json.readTree(replaced.body()).at("/1/then/department").asText());

        var bad = http.adminPost(rules, "{\"name\":\"x\",\"then\":{\"department\":\"Legal\"}}");
        assertEquals(400, bad.statusCode());
        assertEquals("rules[2].then.department: unknown department 'Legal'", json.readTree(bad.body()).get("error").asText());

        assertEquals(404, http.adminDelete(rules + "/9").statusCode());
        var deleted = http.adminDelete(rules + "/1");
        assertEquals(200, deleted.statusCode(), deleted.body());
        assertEquals(1, json.readTree(deleted.body()).size());
        assertEquals("night shift", json.readTree(deleted.body()).at("/0/name").asText());

        var manager = http.adminPost("/v1/sites/" + siteId + "/managers",
                "{\"department\":\"Support\",\"name\":\"Dee\",\"dialString\":\"PJSIP/202\"}");
        assertEquals(201, manager.statusCode(), manager.body());
        assertEquals("Dee", json.readTree(manager.body()).at("/departments/1/managers/1/name").asText());
        assertEquals(400, http.adminPost("/v1/sites/" + siteId + "/managers",
                "{\"department\":\"Support\",\"name\":\"Eve\"}").statusCode(), "a manager needs a dial string");
        var redirectOnly = http.adminPost("/v1/sites/" + siteId + "/managers",
                "{\"department\":\"Support\",\"name\":\"Fay\",\"sipUri\":\"sip:fay@10.0.0.9\"}");
        assertEquals(201, redirectOnly.statusCode(), redirectOnly.body());
        assertEquals("sip:fay@10.0.0.9", json.readTree(redirectOnly.body()).at("/departments/1/managers/2/sipUri").asText());
    }

    /**
     * PUT replaces the whole document (or rule); PATCH is a JSON merge patch: a field it names changes, nested
     * objects merge, null clears, everything else stays, and the result meets the same validation as a PUT.
     */
    @Test
    void patchChangesOnlyWhatItNamesAndTheMergedResultIsValidatedLikeAPut() throws Exception {
        String path = "/v1/sites/" + siteId;
        http.adminPut(path + "/routing", ROUTING);
        JsonNode before = json.readTree(http.adminGet(path + "/routing").body());

        var rule = http.adminPatch(path + "/rules/1", "{\"enabled\":false}");
        assertEquals(200, rule.statusCode(), rule.body());
        JsonNode patched = json.readTree(http.adminGet(path + "/routing").body());
        assertEquals(false, patched.at("/rules/0/enabled").asBoolean());
        ((com.fasterxml.jackson.databind.node.ObjectNode) patched.at("/rules/0")).remove("enabled");
        ((com.fasterxml.jackson.databind.node.ObjectNode) before.at("/rules/0")).remove("enabled");
        assertEquals(before, patched, "one field of one rule changed, nothing else");

        var nested = http.adminPatch(path + "/rules/1", "{\"then\":{\"strategy\":\"ring_all\"}}");
        assertEquals(200, nested.statusCode(), nested.body());
        JsonNode then = json.readTree(nested.body()).at("/0/then");
        assertEquals("ring_all", then.get("strategy").asText());
        assertEquals("Sales", then.get("department").asText(), "a nested object merges: its other fields stay");
        assertEquals(3, then.get("overflow").size());
        var cleared = http.adminPatch(path + "/rules/1", "{\"schedule\":null}");
        assertEquals(200, cleared.statusCode(), cleared.body());
        assertTrue(json.readTree(cleared.body()).at("/0/schedule").isMissingNode(), "null clears: open at all hours");

        assertPatchError(path + "/rules/1", "{\"then\":{\"department\":\"Marketing\"}}",
                "rules[0].then.department: unknown department 'Marketing'");
        assertPatchError(path + "/rules/1", "{\"name\":null}", "rules[0].name: is required");
        assertPatchError(path + "/rules/1", "{\"colour\":\"red\"}", "colour");
        assertEquals(404, http.adminPatch(path + "/rules/9", "{\"enabled\":true}").statusCode());

        var doc = http.adminPatch(path + "/routing", "{\"rules\":[]}");
        assertEquals(200, doc.statusCode(), doc.body());
        JsonNode afterDoc = json.readTree(http.adminGet(path + "/routing").body());
        assertEquals(0, afterDoc.get("rules").size());
        assertEquals(before.get("departments"), afterDoc.get("departments"), "departments untouched, ids included");
        assertPatchError(path + "/routing", "{\"departments\":[{\"name\":\"Sales\"},{\"name\":\"Sales\"}]}",
                "departments[1].name: 'Sales' is listed twice");

        long bob = before.at("/departments/0/managers/1/id").asLong();
        var off = http.adminPatch("/v1/managers/" + bob, "{\"active\":false}");
        assertEquals(200, off.statusCode(), off.body());
        var unchanged = http.adminPatch("/v1/managers/" + bob, "{}");
        assertEquals(200, unchanged.statusCode(), unchanged.body());
        assertEquals(false, json.readTree(unchanged.body()).get("active").asBoolean(), "an empty patch keeps it");
        assertPatchError("/v1/managers/" + bob, "{\"active\":null}", "active: is required (true or false)");
        assertEquals(404, http.adminPatch("/v1/managers/999999", "{\"active\":true}").statusCode());
    }

    private static void assertPatchError(String path, String body, String message) throws Exception {
        var r = http.adminPatch(path, body);
        assertEquals(400, r.statusCode(), r.body());
        assertTrue(json.readTree(r.body()).get("error").asText().contains(message), r.body());
    }

    private void assertError(String body, String message) throws Exception {
        var r = http.adminPut("/v1/sites/" + siteId + "/routing", body);
        assertEquals(400, r.statusCode(), r.body());
        assertEquals(message, json.readTree(r.body()).get("error").asText());
        // the element at fault on its own, for a form to show the message at that field
        assertEquals(message.substring(0, message.indexOf(": ")), json.readTree(r.body()).path("field").asText(),
                r.body());
    }
}
