package io.calltrack.calls.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.calltrack.reports.ReportFixture;
import io.calltrack.support.Http;
import io.calltrack.support.TestServer;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** "Who gets this call?": the real engine's rule and dial plan for a number, a caller and a time, nothing recorded. */
class RoutingPreviewTest {
    private static final ObjectMapper json = new ObjectMapper();
    private static TestServer server;
    private static Http http;
    private static long site;
    private static long bob;
    private static String simulate;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start();
        http = new Http(server.baseUrl());
        site = id(post("/v1/sites", """
                {"name":"Shop","timeZone":"Europe/Berlin","fallbackNumber":"+4930555000",
                 "closedHoursDestination":"PJSIP/night"}"""));
        long ads = id(post("/v1/sites/" + site + "/channels", "{\"name\":\"Google Ads\",\"tracking\":\"static\"}"));
        post("/v1/sites/" + site + "/numbers", "{\"number\":\"+4930555001\",\"kind\":\"static\",\"channelId\":" + ads + "}");
        HttpResponse<String> put = http.adminPut("/v1/sites/" + site + "/routing", """
                {"departments":[
                   {"name":"Sales","managers":[{"name":"Ann","dialString":"PJSIP/101"},
                                               {"name":"Bob","dialString":"PJSIP/102","ringTimeoutSeconds":15}]},
                   {"name":"Support","managers":[{"name":"Cy","dialString":"PJSIP/201"}]}],
                 "rules":[
                   {"name":"Repeat callers","when":{"caller":"repeat"},"then":{"department":"Sales","strategy":"sticky"}},
                   {"name":"Ads in office hours","when":{"channels":["Google Ads"]},
                    "schedule":{"days":["MON","TUE","WED","THU","FRI"],"hours":["09:00-18:00"]},
                    "then":{"department":"Sales","strategy":"round_robin",
                            "overflow":[{"department":"Support","strategy":"least_recently_called"},
                                        {"external":"PJSIP/trunk/+4930999","timeoutSeconds":25},
                                        {"voicemail":"100@default"}]}}]}""");
        assertEquals(200, put.statusCode(), put.body());
        bob = json.readTree(put.body()).at("/departments/0/managers/1/id").asLong();
        simulate = "/v1/sites/" + site + "/routing/simulate";
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void officeHoursAnswerTheMatchingRuleAndEveryAttemptInOrderWithWhy() throws Exception {
        // Wednesday 10:00 in Berlin is 09:00 UTC
        JsonNode a = ok("{\"trackedNumber\":\"+4930555001\",\"callerNumber\":\"+4930111222\","
                + "\"at\":\"2026-12-02T09:00:00Z\"}");
        assertEquals("Ads in office hours", a.get("rule").asText());
        assertEquals("2026-12-02T10:00", a.get("localTime").asText());
        assertEquals("Europe/Berlin", a.get("zone").asText());
        assertEquals("static", a.get("attribution").asText());
        assertTrue(a.at("/caller/firstTime").asBoolean());
        assertEquals(List.of("PJSIP/101", "PJSIP/102", "PJSIP/201", "PJSIP/trunk/+4930999", "100@default"),
                addresses(a), "voicemail ends the plan: the fallback is not reached");
        assertEquals(List.of(20, 15, 20, 25, 0), ints(a, "ringSeconds"));
        assertTrue(a.at("/attempts/0/why").asText().contains("department 'Sales', round_robin"), a.toString());
        assertTrue(a.at("/attempts/2/why").asText().startsWith("overflow step 1: department 'Support'"), a.toString());
        assertEquals("overflow step 2: external number", a.at("/attempts/3/why").asText());
        assertEquals("overflow step 3: voicemail", a.at("/attempts/4/why").asText());
        JsonNode rules = a.get("rules");
        assertEquals(false, rules.at("/0/conditionsMatch").asBoolean(), "not a repeat caller");
        assertEquals(true, rules.at("/1/chosen").asBoolean());

        assertEquals(a, ok("{\"trackedNumber\":\"+4930555001\",\"callerNumber\":\"+4930111222\","
                + "\"at\":\"2026-12-02T09:00:00Z\"}"), "asking again gives the same turn: no cursor moved");
        assertEquals(0, count("SELECT count(*) FROM department_cursor"), "no round-robin turn was taken");
        assertEquals(0, count("SELECT count(*) FROM call"), "no call was recorded");
    }

    @Test
    void closedHoursGoToTheClosedHoursDestinationThenTheFallback() throws Exception {
        // Saturday noon in Berlin
        JsonNode a = ok("{\"trackedNumber\":\"+4930555001\",\"callerNumber\":\"+4930111333\","
                + "\"at\":\"2026-12-05T11:00:00Z\"}");
        assertTrue(a.get("rule").isNull());
        assertTrue(a.get("closedHours").asBoolean());
        assertEquals(false, a.at("/rules/1/scheduleOpen").asBoolean());
        assertEquals(true, a.at("/rules/1/conditionsMatch").asBoolean());
        assertEquals(List.of("PJSIP/night", "PJSIP/reception"), addresses(a), "then agi.fallback-dial");
        assertTrue(a.at("/attempts/0/why").asText().startsWith("closed hours"), a.toString());
        assertEquals(true, a.at("/attempts/1/fallback").asBoolean());

        JsonNode sip = ok("{\"trackedNumber\":\"+4930555001\",\"at\":\"2026-12-02T09:00:00Z\",\"telephony\":\"sip\"}");
        assertEquals(List.of(), addresses(sip), "no manager has a SIP URI, and the SIP redirect has no voicemail");
        assertEquals("no destination in the routing plan this telephony reaches", sip.get("unrouted").asText());
    }

    @Test
    void aRepeatCallerGoesFirstToTheManagerWhoTookTheirLastCall() throws Exception {
        new ReportFixture(server.db().dataSource()).call(site).at("2026-11-30T09:00:00Z").caller("+4930777888")
                .manager(bob).answered(3, 60, "target").insert();
        try {
            JsonNode a = ok("{\"trackedNumber\":\"+4930555001\",\"callerNumber\":\"+4930777888\","
                    + "\"at\":\"2026-12-02T09:00:00Z\"}");
            assertEquals("Repeat callers", a.get("rule").asText());
            assertTrue(a.at("/caller/repeat").asBoolean());
            assertEquals(bob, a.at("/caller/lastManagerId").asLong());
            assertEquals(List.of("PJSIP/102", "PJSIP/101", "PJSIP/reception"), addresses(a));
            assertTrue(a.at("/attempts/0/why").asText().endsWith("the repeat caller's last manager, first"),
                    a.toString());
        } finally {
            execute("DELETE FROM call");
        }
    }

    @Test
    void badQuestionsAreRefusedWithWhatIsWrong() throws Exception {
        long otherSite = id(post("/v1/sites", "{\"name\":\"Other\",\"timeZone\":\"UTC\",\"fallbackNumber\":\"+4930555009\"}"));
        HttpResponse<String> r = http.adminPost("/v1/sites/" + otherSite + "/routing/simulate",
                "{\"trackedNumber\":\"+4930555001\"}");
        assertEquals(400, r.statusCode());
        assertTrue(r.body().contains("is not a number of site " + otherSite), r.body());
        assertEquals(400, http.adminPost(simulate, "{\"trackedNumber\":\"+4930555001\",\"at\":\"soon\"}").statusCode());
        assertEquals(400, http.adminPost(simulate, "{\"callerNumber\":\"+4930555001\"}").statusCode());
        assertEquals(400, http.adminPost(simulate, "{\"trackedNumber\":\"+4930555001\",\"telephony\":\"fax\"}")
                .statusCode());
        assertEquals(401, http.post(simulate, "{\"trackedNumber\":\"+4930555001\"}").statusCode());
    }

    private static JsonNode ok(String body) throws Exception {
        HttpResponse<String> r = http.adminPost(simulate, body);
        assertEquals(200, r.statusCode(), r.body());
        return json.readTree(r.body());
    }

    private static List<String> addresses(JsonNode answer) {
        List<String> out = new ArrayList<>();
        for (JsonNode a : answer.get("attempts")) {
            for (JsonNode e : a.get("endpoints")) out.add(e.get("address").asText());
        }
        return out;
    }

    private static List<Integer> ints(JsonNode answer, String field) {
        List<Integer> out = new ArrayList<>();
        for (JsonNode a : answer.get("attempts")) out.add(a.get(field).asInt());
        return out;
    }

    private static String post(String path, String body) {
        HttpResponse<String> r = http.adminPost(path, body);
        assertEquals(201, r.statusCode(), r.body());
        return r.body();
    }

    private static long id(String body) throws Exception {
        return json.readTree(body).get("id").asLong();
    }

    private static long count(String sql) throws Exception {
        try (Connection c = server.db().dataSource().getConnection(); ResultSet rs = c.createStatement().executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static void execute(String sql) throws Exception {
        try (Connection c = server.db().dataSource().getConnection()) {
            c.createStatement().execute(sql);
        }
    }
}
