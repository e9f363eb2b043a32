package io.calltrack.reports.api;

import io.calltrack.reports.Csv;
import io.calltrack.reports.ReportFixture;
import io.calltrack.reports.ReportRow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.calltrack.support.Http;
import io.calltrack.support.TestServer;
import java.net.http.HttpRequest;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Report numbers on a hand-built dataset in America/New_York around both 2026 DST changes (Mar 8: 23-hour day,
 * Nov 1: 25-hour day), with a call that rings before local midnight and ends after it.
 */
class ReportRoutesTest {
    static TestServer server;
    static Http http;
    static final ObjectMapper json = new ObjectMapper();
    static long site;
    static long google;
    static long direct;
    static long dealCall;

    @BeforeAll
    static void dataset() {
        server = TestServer.start();
        http = new Http(server.baseUrl());
        ReportFixture fx = new ReportFixture(server.db().dataSource());
        site = fx.site("America/New_York");
        google = fx.channel(site, "Google Ads", "dynamic");
        direct = fx.channel(site, "Direct", "static");

        // Sessions. EST is UTC-5 until 2026-03-08 07:00Z, EDT (UTC-4) after.
        fx.session(site).channel(google).at("2026-03-08T04:30:00Z").insert();                    // Mar 7 23:30 EST
        fx.session(site).channel(google).campaign("spring").at("2026-03-08T06:30:00Z").insert(); // Mar 8 01:30 EST
        fx.session(site).channel(google).campaign("spring").at("2026-03-08T07:30:00Z").insert(); // Mar 8 03:30 EDT
        fx.session(site).channel(google).campaign("spring").bot().at("2026-03-08T12:00:00Z").insert(); // not a visit
        fx.session(site).channel(direct).at("2026-03-09T03:30:00Z").insert();                    // Mar 8 23:30 EDT
        fx.session(site).channel(direct).at("2026-03-09T04:30:00Z").insert();                    // Mar 9 00:30 EDT

        // Calls.
        fx.call(site).channel(google).caller("+12125550001").at("2026-03-08T04:59:00Z").unanswered(20).insert(); // Mar 7
        dealCall = fx.call(site).channel(google).campaign("spring").caller("+12125550002")
                .at("2026-03-08T07:45:00Z").answered(5, 100, "target").insert();                   // Mar 8
        fx.call(site).channel(google).campaign("spring").caller("+12125550002").repeat()
                .at("2026-03-08T08:00:00Z").answered(10, 20, "non_target").insert();               // Mar 8
        fx.call(site).channel(google).caller("+12125550003")
                .at("2026-03-09T03:59:30Z").answered(15, 600, "target").insert();                  // Mar 8 23:59:30, ends Mar 9
        fx.call(site).channel(direct).caller("+12125550004").at("2026-03-09T04:00:30Z").unanswered(30).insert(); // Mar 9

        // Nov 1 has 25 hours: 01:30 happens twice, and 23:30 EST is 04:30Z of Nov 2.
        fx.session(site).channel(direct).at("2026-11-01T05:30:00Z").insert();
        fx.session(site).channel(direct).at("2026-11-01T06:30:00Z").insert();
        fx.session(site).channel(direct).at("2026-11-02T04:30:00Z").insert();
        fx.session(site).channel(direct).at("2026-11-02T05:30:00Z").insert();                     // Nov 2 00:30 EST
        fx.call(site).channel(direct).caller("+12125550005").at("2026-11-02T04:59:00Z").answered(3, 40, "target").insert();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static JsonNode report(String query) throws Exception {
        var r = http.adminGet("/v1/sites/" + site + "/reports?" + query);
        assertEquals(200, r.statusCode(), r.body());
        return json.readTree(r.body()).get("rows");
    }

    private static Map<String, JsonNode> byPeriodAndKey(JsonNode rows) {
        Map<String, JsonNode> m = new java.util.LinkedHashMap<>();
        rows.forEach(r -> m.put(r.get("period").asText() + "/" + r.get("key").asText(), r));
        return m;
    }

    @Test
    void daysByChannelFollowTheSiteCalendarAcrossTheSpringDstChange() throws Exception {
        Map<String, JsonNode> rows = byPeriodAndKey(report("from=2026-03-07&to=2026-03-09&group=channel&period=day"));
        assertEquals(List.of("2026-03-07/" + google, "2026-03-08/" + direct, "2026-03-08/" + google,
                "2026-03-09/" + direct).stream().sorted().toList(), rows.keySet().stream().sorted().toList());

        JsonNode mar7 = rows.get("2026-03-07/" + google);
        assertEquals(1, mar7.get("sessions").asInt());
        assertEquals(1, mar7.get("calls").asInt());
        assertEquals(1, mar7.get("unansweredCalls").asInt());
        assertEquals(20.0, mar7.get("medianRingSeconds").asDouble());
        assertTrue(mar7.get("medianTalkSeconds").isNull());

        JsonNode mar8 = rows.get("2026-03-08/" + google);
        assertEquals("Google Ads", mar8.get("label").asText());
        assertEquals(2, mar8.get("sessions").asInt(), "the bot session is not a visit");
        assertEquals(3, mar8.get("calls").asInt(), "the call ringing at 23:59:30 local counts on Mar 8");
        assertEquals(2, mar8.get("uniqueCallers").asInt());
        assertEquals(2, mar8.get("firstTimeCallers").asInt());
        assertEquals(2, mar8.get("targetCalls").asInt());
        assertEquals(1, mar8.get("nonTargetCalls").asInt());
        assertEquals(0, mar8.get("unansweredCalls").asInt());
        assertEquals(1, mar8.get("repeatCalls").asInt());
        assertEquals(1.0, mar8.get("conversion").asDouble());
        assertEquals(10.0, mar8.get("medianRingSeconds").asDouble());
        assertEquals(100.0, mar8.get("medianTalkSeconds").asDouble());

        JsonNode directMar8 = rows.get("2026-03-08/" + direct);
        assertEquals(1, directMar8.get("sessions").asInt());
        assertEquals(0, directMar8.get("calls").asInt());
        assertEquals(0.0, directMar8.get("conversion").asDouble());

        JsonNode mar9 = rows.get("2026-03-09/" + direct);
        assertEquals(1, mar9.get("sessions").asInt());
        assertEquals(1, mar9.get("calls").asInt());
        assertEquals(0.0, mar9.get("conversion").asDouble());
    }

    @Test
    void theAutumnDayHas25HoursOfSessions() throws Exception {
        Map<String, JsonNode> rows = byPeriodAndKey(report("from=2026-11-01&to=2026-11-02&group=none&period=day"));
        assertEquals(3, rows.get("2026-11-01/").get("sessions").asInt());
        assertEquals(1, rows.get("2026-11-01/").get("calls").asInt(), "04:59Z on Nov 2 is 23:59 EST on Nov 1");
        assertEquals(1, rows.get("2026-11-02/").get("sessions").asInt());
        assertEquals(0, rows.get("2026-11-02/").get("calls").asInt());
    }

    @Test
    void weeksStartOnMondayAndMonthsSumTheDays() throws Exception {
        Map<String, JsonNode> weeks = byPeriodAndKey(report("from=2026-03-01&to=2026-03-31&group=none&period=week"));
        assertEquals(4, weeks.get("2026-03-02/").get("sessions").asInt());
        assertEquals(4, weeks.get("2026-03-02/").get("calls").asInt());
        assertEquals(1, weeks.get("2026-03-09/").get("sessions").asInt());
        assertEquals(1, weeks.get("2026-03-09/").get("calls").asInt());

        JsonNode month = report("from=2026-03-01&to=2026-03-31&group=none&period=month").get(0);
        assertEquals("2026-03-01", month.get("period").asText());
        assertEquals(5, month.get("sessions").asInt());
        assertEquals(5, month.get("calls").asInt());
        assertEquals(4, month.get("uniqueCallers").asInt());
        assertEquals(2, month.get("targetCalls").asInt());
        assertEquals(0.4, month.get("conversion").asDouble());
    }

    @Test
    void costsAndDealsGiveCostPerCallRevenueAndRoi() throws Exception {
        var imported = http.send(http.builder("/v1/sites/" + site + "/costs").header("Content-Type", "text/csv")
                .POST(HttpRequest.BodyPublishers.ofString(
                        "day,channel,campaign,amount\r\n2026-03-08,Google Ads,spring,30.00\r\n2026-03-08,Google Ads,,10\r\n")),
                true);
        assertEquals(200, imported.statusCode(), imported.body());
        var deal = http.adminPut("/v1/calls/" + dealCall + "/deal", "{\"amount\": 500}");
        assertEquals(200, deal.statusCode(), deal.body());

        JsonNode google8 = byPeriodAndKey(report("from=2026-03-08&to=2026-03-08&group=channel&period=total"))
                .get("2026-03-08/" + google);
        assertEquals(40.0, google8.get("cost").asDouble());
        assertEquals(13.33, google8.get("costPerCall").asDouble());
        assertEquals(20.0, google8.get("costPerTargetCall").asDouble());
        assertEquals(500.0, google8.get("revenue").asDouble());
        assertEquals(11.5, google8.get("roi").asDouble());

        Map<String, JsonNode> campaigns = byPeriodAndKey(report("from=2026-03-08&to=2026-03-08&group=campaign"));
        assertEquals(30.0, campaigns.get("2026-03-08/spring").get("cost").asDouble());
        assertEquals(2, campaigns.get("2026-03-08/spring").get("calls").asInt());
        assertEquals(15.0, campaigns.get("2026-03-08/spring").get("costPerCall").asDouble());

        JsonNode keywords = report("from=2026-03-08&to=2026-03-08&group=keyword").get(0);
        assertTrue(keywords.get("cost").isNull(), "spend is not known per keyword");
    }

    @Test
    void costImportRefusesUnknownChannelsAndKeepsNothing() throws Exception {
        var r = http.adminPost("/v1/sites/" + site + "/costs",
                "[{\"day\":\"2026-03-10\",\"channel\":\"Google Ads\",\"campaign\":\"x\",\"amount\":5},"
                        + "{\"day\":\"2026-03-10\",\"channel\":\"Nope\",\"campaign\":null,\"amount\":5}]");
        assertEquals(400, r.statusCode());
        assertTrue(r.body().contains("Nope"), r.body());
        JsonNode row = report("from=2026-03-10&to=2026-03-10&group=channel").path(0);
        assertTrue(row.isMissingNode(), "nothing was stored: " + row);

        var broken = http.send(http.builder("/v1/sites/" + site + "/costs").header("Content-Type", "text/csv")
                .POST(HttpRequest.BodyPublishers.ofString("day,channel,amount\r\n2026-13-01,Google Ads,5\r\n")), true);
        assertEquals(400, broken.statusCode());
        assertTrue(broken.body().contains("row 2"), broken.body());
    }

    private static java.net.http.HttpResponse<String> costsCsv(String query, String csv) {
        return http.send(http.builder("/v1/sites/" + site + "/costs" + query).header("Content-Type", "text/csv")
                .POST(HttpRequest.BodyPublishers.ofString(csv)), true);
    }

    @Test
    void aDryRunSaysWhatIsWrongWithEachRowAndStoresNothing() throws Exception {
        var r = costsCsv("?dryRun=true", "day,channel,campaign,amount\r\n"
                + "2026-04-01,Google Ads,april,12.50\r\n"
                + "2026-04-01,Nope,,5\r\n"
                + "2026-04-31,Google Ads,,5\r\n"
                + "2026-04-02,Google Ads,,-3\r\n"
                + "2026-04-02,Google Ads,,1e40\r\n"
                + "2026-04-02,Google Ads,,twelve\r\n"
                + "2026-04-02,Google Ads,\"=HYPERLINK(1)\",7\r\n"
                + "2026-04-01,Google Ads,april,3\r\n"
                + ",Google Ads,,3\r\n");
        assertEquals(400, r.statusCode(), r.body());
        JsonNode body = json.readTree(r.body());
        assertEquals(false, body.get("stored").asBoolean());
        assertEquals(9, body.get("rows").asInt());
        Map<Integer, String> errors = new java.util.TreeMap<>();
        body.get("errors").forEach(e -> errors.put(e.get("row").asInt(), e.get("reason").asText()));
        assertEquals(List.of(3, 4, 5, 6, 7, 9, 10), List.copyOf(errors.keySet()), errors.toString());
        assertTrue(errors.get(3).contains("no channel 'Nope'"), errors.get(3));
        assertTrue(errors.get(4).contains("2026-04-31"), errors.get(4));
        assertTrue(errors.get(5).contains("negative"), errors.get(5));
        assertTrue(errors.get(6).contains("more than"), errors.get(6));
        assertTrue(errors.get(7).contains("twelve"), errors.get(7));
        assertTrue(errors.get(9).contains("as row 2"), errors.get(9));
        assertTrue(errors.get(10).contains("day is required"), errors.get(10));
        assertEquals("Nope", body.get("errors").get(0).get("channel").asText(), "a refused row says what it said");
        List<Integer> passed = new java.util.ArrayList<>();
        body.get("costs").forEach(c -> passed.add(c.get("row").asInt()));
        assertEquals(List.of(2, 8), passed);
        assertEquals(12.5, body.get("costs").get(0).get("amount").asDouble());
        assertTrue(body.get("error").asText().startsWith("row 3:") && body.get("error").asText().contains("6 more"),
                body.get("error").asText());
        assertTrue(report("from=2026-04-01&to=2026-04-02&group=channel").isEmpty(), "nothing was stored");

        var clean = costsCsv("?dryRun=true", "day,channel,amount\r\n2026-04-01,Google Ads,12.50\r\n");
        assertEquals(200, clean.statusCode(), clean.body());
        assertTrue(clean.body().contains("\"stored\":false"), clean.body());
        assertTrue(report("from=2026-04-01&to=2026-04-02&group=channel").isEmpty(), "a dry run stores nothing");
    }

    @Test
    void theRowsThatPassedAreStoredWhenSentAloneAsJson() throws Exception {
        var r = http.adminPost("/v1/sites/" + site + "/costs",
                "[{\"day\":\"2026-05-01\",\"channel\":\"Google Ads\",\"campaign\":\"may\",\"amount\":\"9.99\"},"
                        + "{\"day\":\"2026-05-01\",\"channel\":\"Google Ads\",\"amount\":1.01}]");
        assertEquals(200, r.statusCode(), r.body());
        assertEquals(2, json.readTree(r.body()).get("imported").asInt());
        assertEquals(11.0, report("from=2026-05-01&to=2026-05-01&group=channel").get(0).get("cost").asDouble());
    }

    @Test
    void brokenCostInputIsA400() {
        assertEquals(400, costsCsv("", "").statusCode());
        assertEquals(400, costsCsv("", "day,amount\r\n2026-01-01,3\r\n").statusCode(), "no channel column");
        assertEquals(400, costsCsv("", "day,channel,amount\r\n").statusCode(), "no rows");
        assertEquals(400, costsCsv("", "day,channel,amount\r\n\"2026-01-01,x\r\n").statusCode(), "unclosed quote");
        assertEquals(400, http.adminPost("/v1/sites/" + site + "/costs", "[{\"day\": [1]}]").statusCode());
        assertEquals(400, http.adminPost("/v1/sites/" + site + "/costs", "{").statusCode());
        var nulls = http.adminPost("/v1/sites/" + site + "/costs", "[null]");
        assertEquals(400, nulls.statusCode(), nulls.body());
        assertTrue(nulls.body().contains("row 1"), nulls.body());
    }

    @Test
    void csvReportParsesBackToTheSameNumbers() throws Exception {
        var r = http.send(http.builder("/v1/sites/" + site + "/reports?from=2026-03-07&to=2026-03-09&group=channel&period=day")
                .header("Accept", "text/csv").GET(), true);
        assertEquals(200, r.statusCode());
        assertTrue(r.headers().firstValue("content-type").orElse("").startsWith("text/csv"));
        List<List<String>> lines = Csv.read(r.body());
        assertEquals(ReportRow.CSV_COLUMNS, lines.get(0));
        Map<String, List<String>> byKey = lines.subList(1, lines.size()).stream()
                .collect(Collectors.toMap(l -> l.get(0) + "/" + l.get(1), l -> l));
        List<String> mar8 = byKey.get("2026-03-08/" + google);
        assertEquals("Google Ads", mar8.get(2));
        assertEquals("2", mar8.get(3));
        assertEquals("3", mar8.get(4));
        assertEquals("1.0000", mar8.get(11));
    }

    @Test
    void csvQuotesCommasAndQuotesInLabels() throws Exception {
        ReportFixture fx = new ReportFixture(server.db().dataSource());
        long other = fx.site("UTC");
        fx.session(other).campaign("spring, \"big\" sale").at("2026-05-01T10:00:00Z").insert();
        var r = http.adminGet("/v1/sites/" + other + "/reports?from=2026-05-01&to=2026-05-01&group=campaign&format=csv");
        assertEquals(200, r.statusCode());
        List<List<String>> lines = Csv.read(r.body());
        assertEquals("spring, \"big\" sale", lines.get(1).get(1));
    }

    /** Campaigns any visitor can choose (utm_campaign) would run as formulas in a spreadsheet: they are defused. */
    @Test
    void csvCellsThatWouldRunAsSpreadsheetFormulasAreDefused() throws Exception {
        ReportFixture fx = new ReportFixture(server.db().dataSource());
        long other = fx.site("UTC");
        for (String campaign : List.of("=1+1", "@SUM(1,2)", "+cmd", "-2+3", "\t=x", "spring")) {
            fx.session(other).campaign(campaign).at("2026-05-02T10:00:00Z").insert();
        }
        var r = http.adminGet("/v1/sites/" + other + "/reports?from=2026-05-02&to=2026-05-02&group=campaign&format=csv");
        assertEquals(200, r.statusCode());
        List<String> labels = Csv.read(r.body()).stream().skip(1).map(l -> l.get(1)).sorted().toList();
        assertEquals(List.of("'\t=x", "'+cmd", "'-2+3", "'=1+1", "'@SUM(1,2)", "spring"), labels);
    }

    @Test
    void callsAndSessionsAreCreditedToTheLastTouchUnlessTheFirstIsAskedFor() throws Exception {
        ReportFixture fx = new ReportFixture(server.db().dataSource());
        long other = fx.site("UTC");
        long organic = fx.channel(other, "organic", "dynamic");
        long ads = fx.channel(other, "Google Ads", "dynamic");
        // an organic visitor who came back through an ad and called, and one who came through the ad only
        fx.session(other).channel(organic).clickedLater(ads, "spring", 5).at("2026-07-01T10:00:00Z").insert();
        fx.session(other).channel(ads).campaign("spring").at("2026-07-01T11:00:00Z").insert();
        fx.call(other).channel(ads).campaign("spring").firstTouch(organic, null).at("2026-07-01T10:20:00Z")
                .answered(2, 90, "target").insert();
        fx.call(other).channel(ads).campaign("spring").at("2026-07-01T11:10:00Z").answered(2, 90, "target").insert();

        String range = "/v1/sites/" + other + "/reports?from=2026-07-01&to=2026-07-01&group=channel";
        var last = json.readTree(http.adminGet(range).body());
        assertEquals("last", last.get("attribution").asText(), "the default");
        assertEquals(List.of(ads + ":2:2:1.0"), rows(last));
        assertEquals(rows(last), rows(json.readTree(http.adminGet(range + "&attribution=last").body())));
        var first = json.readTree(http.adminGet(range + "&attribution=first").body());
        assertEquals("first", first.get("attribution").asText());
        assertEquals(List.of(organic + ":1:1:1.0", ads + ":1:1:1.0").stream().sorted().toList(), rows(first));

        var bad = http.adminGet(range + "&attribution=linear");
        assertEquals(400, bad.statusCode());
        assertTrue(bad.body().contains("attribution must be first or last, got 'linear'"), bad.body());
    }

    /** key:sessions:calls:conversion of each row. */
    private static List<String> rows(JsonNode report) {
        List<String> out = new java.util.ArrayList<>();
        report.get("rows").forEach(r -> out.add(r.get("key").asText() + ":" + r.get("sessions").asInt() + ":"
                + r.get("calls").asInt() + ":" + r.get("conversion").asDouble()));
        return out.stream().sorted().toList();
    }

    @Test
    void badRequestsAreExplained() {
        assertEquals(400, http.adminGet("/v1/sites/" + site + "/reports?from=2026-03-01").statusCode());
        assertEquals(400, http.adminGet("/v1/sites/" + site + "/reports?from=2026-03-09&to=2026-03-01").statusCode());
        var g = http.adminGet("/v1/sites/" + site + "/reports?from=2026-03-01&to=2026-03-02&group=colour");
        assertEquals(400, g.statusCode());
        assertTrue(g.body().contains("group must be one of"), g.body());
        assertEquals(404, http.adminGet("/v1/sites/999999/reports?from=2026-03-01&to=2026-03-02").statusCode());
        assertEquals(401, http.get("/v1/sites/" + site + "/reports?from=2026-03-01&to=2026-03-02").statusCode());
        assertEquals(404, http.adminPut("/v1/calls/999999/deal", "{\"amount\": 1}").statusCode());
        assertEquals(400, http.adminPut("/v1/calls/" + dealCall + "/deal", "{\"amount\": -1}").statusCode());
        assertEquals(400, http.adminPut("/v1/calls/" + dealCall + "/deal", "{\"amount\": ").statusCode());
    }

    @Test
    void clearingADealRemovesItsRevenue() throws Exception {
        ReportFixture fx = new ReportFixture(server.db().dataSource());
        long other = fx.site("UTC");
        long call = fx.call(other).at("2026-06-01T10:00:00Z").answered(1, 60, "target").deal("99.50").insert();
        assertEquals(99.5, report2(other).get("revenue").asDouble());
        assertEquals(200, http.adminPut("/v1/calls/" + call + "/deal", "{\"amount\": null}").statusCode());
        assertEquals(0.0, report2(other).get("revenue").asDouble());
    }

    /** PUT sets the deal, PATCH too; an empty PATCH keeps it, null clears it, a bad amount names the field. */
    @Test
    void patchOfADealKeepsWhatItDoesNotName() throws Exception {
        ReportFixture fx = new ReportFixture(server.db().dataSource());
        long other = fx.site("UTC");
        long call = fx.call(other).at("2026-06-01T10:00:00Z").answered(1, 60, "target").deal("99.50").insert();
        var kept = http.adminPatch("/v1/calls/" + call + "/deal", "{}");
        assertEquals(200, kept.statusCode(), kept.body());
        assertEquals(99.5, json.readTree(kept.body()).get("dealAmount").asDouble());
        assertEquals(200, http.adminPatch("/v1/calls/" + call + "/deal", "{\"amount\": 120}").statusCode());
        assertEquals(120.0, report2(other).get("revenue").asDouble());
        var negative = http.adminPatch("/v1/calls/" + call + "/deal", "{\"amount\": -1}");
        assertEquals(400, negative.statusCode());
        assertTrue(negative.body().contains("amount"), negative.body());
        assertEquals(200, http.adminPatch("/v1/calls/" + call + "/deal", "{\"amount\": null}").statusCode());
        assertEquals(0.0, report2(other).get("revenue").asDouble());
        assertEquals(404, http.adminPatch("/v1/calls/999999/deal", "{}").statusCode());
    }

    private static JsonNode report2(long siteId) throws Exception {
        var r = http.adminGet("/v1/sites/" + siteId + "/reports?from=2026-06-01&to=2026-06-01&group=none");
        return json.readTree(r.body()).get("rows").get(0);
    }
}
