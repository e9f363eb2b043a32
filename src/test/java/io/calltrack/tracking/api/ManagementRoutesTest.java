package io.calltrack.tracking.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.calltrack.support.Http;
import io.calltrack.support.TestServer;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ManagementRoutesTest {
    static final ObjectMapper json = new ObjectMapper();
    static TestServer server;
    static Http http;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        http = new Http(server.baseUrl());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static JsonNode body(HttpResponse<String> r) throws Exception {
        return json.readTree(r.body());
    }

    static long createSite(String name) throws Exception {
        var r = http.adminPost("/v1/sites", """
                {"name":"%s","timeZone":"Europe/Berlin","fallbackNumber":"+1 (212) 555-0100"}""".formatted(name));
        assertEquals(201, r.statusCode(), r.body());
        return body(r).get("id").asLong();
    }

    static void assertError(HttpResponse<String> r, int status, String messagePart) throws Exception {
        assertEquals(status, r.statusCode(), r.body());
        String message = body(r).get("error").asText();
        assertTrue(message.contains(messagePart), message);
    }

    @Test
    void siteLifecycle() throws Exception {
        var created = http.adminPost("/v1/sites", """
                {"name":"Shop","timeZone":"America/New_York","fallbackNumber":"2125550100",
                 "sessionHoldSeconds":600,"allowedOrigins":["https://shop.example"]}""");
        assertEquals(201, created.statusCode(), created.body());
        JsonNode site = body(created);
        long id = site.get("id").asLong();
        assertEquals("+12125550100", site.get("fallbackNumber").asText());
        assertEquals(600, site.get("sessionHoldSeconds").asInt());
        assertEquals(30, site.get("targetThresholdSeconds").asInt(), "default");
        assertTrue(site.get("publicKey").asText().length() >= 16);

        assertEquals("Shop", body(http.adminGet("/v1/sites/" + id)).get("name").asText());
        assertTrue(http.adminGet("/v1/sites").body().contains("\"id\":" + id));
        var updated = http.adminPut("/v1/sites/" + id, """
                {"name":"Shop 2","timeZone":"Europe/Berlin","fallbackNumber":"+493012345678",
                 "allowedOrigins":["https://shop.example"]}""");
        assertEquals(200, updated.statusCode(), updated.body());
        assertEquals("Shop 2", body(updated).get("name").asText());
        assertEquals(site.get("publicKey"), body(updated).get("publicKey"), "the key survives an update");

        assertEquals(204, http.adminDelete("/v1/sites/" + id).statusCode());
        assertError(http.adminGet("/v1/sites/" + id), 404, "site " + id + " does not exist");
        assertError(http.adminDelete("/v1/sites/" + id), 404, "does not exist");
    }

    @Test
    void siteValidationErrorsSayWhatIsWrong() throws Exception {
        assertError(http.adminPost("/v1/sites", """
                {"name":"x","timeZone":"Mars/Olympus","fallbackNumber":"+12125550100"}"""), 400,
                "timeZone 'Mars/Olympus' is not a known time zone");
        assertError(http.adminPost("/v1/sites", """
                {"name":"x","timeZone":"UTC","fallbackNumber":"call us"}"""), 400, "'call us' is not a valid phone number");
        assertError(http.adminPost("/v1/sites", """
                {"timeZone":"UTC","fallbackNumber":"+12125550100"}"""), 400, "name is required");
        assertError(http.adminPost("/v1/sites", """
                {"name":"x","timeZone":"UTC","fallbackNumber":"+12125550100","sessionHoldSeconds":-1}"""), 400,
                "sessionHoldSeconds must be from 0 to 86400, got -1");
        assertError(http.adminPost("/v1/sites", """
                {"name":"x","timeZone":"UTC","fallbackNumber":"+12125550100","allowedOrigins":["shop.example/x"]}"""),
                400, "is not an origin");
        assertError(http.adminPost("/v1/sites", """
                {"name":"x","timeZone":"UTC","fallbackNumber":"+12125550100","allowedOrigins":[null]}"""),
                400, "allowedOrigins: an entry is null");
        assertError(http.adminPost("/v1/sites", """
                {"name":"x","timeZone":"UTC","fallbackNumber":"+12125550100","colour":"red"}"""), 400, "colour");
        assertError(http.adminPost("/v1/sites", "{\"name\":"), 400, "invalid JSON");
        assertError(http.adminPut("/v1/sites/999999", """
                {"name":"x","timeZone":"UTC","fallbackNumber":"+12125550100"}"""), 404, "site 999999 does not exist");
        assertEquals(401, http.post("/v1/sites", "{}").statusCode(), "no admin token");
    }

    /** A static number cannot lose its channel: the channel is kept, and the answer says which numbers hold it. */
    @Test
    void aChannelWithStaticNumbersIsNotDeletedAndTheAnswerNamesThem() throws Exception {
        long site = createSite("Radio shop");
        String path = "/v1/sites/" + site;
        long channel = body(http.adminPost(path + "/channels", "{\"name\":\"radio\",\"tracking\":\"static\"}"))
                .get("id").asLong();
        long number = body(http.adminPost(path + "/numbers", """
                {"number":"+493012345677","kind":"static","channelId":%d}""".formatted(channel))).get("id").asLong();

        assertError(http.adminDelete(path + "/channels/" + channel), 409,
                "channel " + channel + " is the channel of 1 static number (+493012345677)");
        assertEquals(200, http.adminGet(path + "/channels/" + channel).statusCode(), "still there");

        assertEquals(204, http.adminDelete(path + "/numbers/" + number).statusCode());
        assertEquals(204, http.adminDelete(path + "/channels/" + channel).statusCode(), "free once the number is gone");
    }

    /** Values an admin can type that once made every later call fail (a repeat window of 2^31 days) are refused. */
    @Test
    void absurdValuesAndNonNumbersAreRefusedNamingTheField() throws Exception {
        String site = """
                {"name":"x","timeZone":"UTC","fallbackNumber":"+12125550100",%s}""";
        assertError(http.adminPost("/v1/sites", site.formatted("\"repeatWindowDays\":2147483647")), 400,
                "repeatWindowDays must be from 0 to 3650, got 2147483647");
        assertError(http.adminPost("/v1/sites", site.formatted("\"targetThresholdSeconds\":86401")), 400,
                "targetThresholdSeconds must be from 0 to 3600");
        assertError(http.adminPost("/v1/sites", site.formatted("\"sessionHoldSeconds\":100000000")), 400,
                "sessionHoldSeconds must be from 0 to 86400");
        assertError(http.adminPost("/v1/sites", """
                {"name":"%s","timeZone":"UTC","fallbackNumber":"+12125550100"}""".formatted("n".repeat(201))), 400,
                "name is 201 characters long; at most 200 are allowed");
        assertError(http.adminPost("/v1/sites", """
                {"name":"a\\u0007b","timeZone":"UTC","fallbackNumber":"+12125550100"}"""), 400,
                "name must not contain control characters");
        for (String notANumber : new String[]{"12", "123", "+4930", "+1212555"}) {
            assertError(http.adminPost("/v1/sites", """
                    {"name":"x","timeZone":"UTC","fallbackNumber":"%s"}""".formatted(notANumber)), 400,
                    "fallbackNumber '" + notANumber + "' is not a valid phone number");
        }
        long id = createSite("limits");
        assertError(http.adminPost("/v1/sites/" + id + "/numbers", "{\"number\":\"+4930\",\"kind\":\"pool\"}"),
                400, "number '+4930' is not a valid phone number");
        assertError(http.adminPost("/v1/sites/" + id + "/channels", """
                {"name":"radio","tracking":"static","priority":-5}"""), 400, "priority must be from 0 to 10000");
        assertError(http.adminPost("/v1/sites/" + id + "/channels", """
                {"name":"radio","tracking":"static","utmCampaign":"%s"}""".formatted("c".repeat(201))), 400,
                "utmCampaign is 201 characters long");
    }

    /** PUT replaced everything: {"targetThresholdSeconds":120} answered "name is required". PATCH changes one field. */
    @Test
    void patchChangesOnlyTheFieldsItNamesAndPutCannotSilentlyBlockEveryVisitor() throws Exception {
        var created = body(http.adminPost("/v1/sites", """
                {"name":"Shop","timeZone":"Europe/Berlin","fallbackNumber":"+493012345678",
                 "allowedOrigins":["https://shop.example"]}"""));
        String path = "/v1/sites/" + created.get("id").asLong();

        var patched = http.adminPatch(path, "{\"targetThresholdSeconds\":120}");
        assertEquals(200, patched.statusCode(), patched.body());
        assertEquals(120, body(patched).get("targetThresholdSeconds").asInt());
        assertEquals("Shop", body(patched).get("name").asText());
        assertEquals("https://shop.example", body(patched).get("allowedOrigins").get(0).asText());
        assertError(http.adminPatch(path, "{\"repeatWindowDays\":2147483647}"), 400, "repeatWindowDays must be from");
        assertError(http.adminPatch(path, "[1]"), 400, "a PATCH body is a JSON object");
        assertError(http.adminPatch(path, "{\"colour\":\"red\"}"), 400, "colour");

        assertError(http.adminPut(path, """
                {"name":"Shop","timeZone":"Europe/Berlin","fallbackNumber":"+493012345678"}"""), 409,
                "no allowedOrigins, which refuses every browser visitor");
        assertEquals("https://shop.example", body(http.adminGet(path)).get("allowedOrigins").get(0).asText());
        var meant = http.adminPatch(path, "{\"allowedOrigins\":[]}");
        assertEquals(200, meant.statusCode(), meant.body());
        assertEquals(0, body(meant).get("allowedOrigins").size());

        long site = created.get("id").asLong();
        long channel = body(http.adminPost(path + "/channels", "{\"name\":\"radio\",\"tracking\":\"static\"}"))
                .get("id").asLong();
        var ch = http.adminPatch(path + "/channels/" + channel, "{\"priority\":7}");
        assertEquals(200, ch.statusCode(), ch.body());
        assertEquals("radio", body(ch).get("name").asText());
        assertEquals(7, body(ch).get("priority").asInt());
        long number = body(http.adminPost(path + "/numbers", """
                {"number":"+493012345601","kind":"static","channelId":%d}""".formatted(channel))).get("id").asLong();
        var num = http.adminPatch("/v1/sites/" + site + "/numbers/" + number, "{\"trackIdEntry\":true}");
        assertEquals(200, num.statusCode(), num.body());
        assertTrue(body(num).get("trackIdEntry").asBoolean());
        assertEquals("static", body(num).get("kind").asText());
    }

    @Test
    void channelsCrudAndErrors() throws Exception {
        long site = createSite("channels");
        var created = http.adminPost("/v1/sites/" + site + "/channels", """
                {"name":"google-ads","tracking":"dynamic","utmSource":"google","utmMedium":"cpc"}""");
        assertEquals(201, created.statusCode(), created.body());
        long id = body(created).get("id").asLong();
        assertEquals("cpc", body(http.adminGet("/v1/sites/" + site + "/channels/" + id)).get("utmMedium").asText());
        assertError(http.adminPost("/v1/sites/" + site + "/channels", """
                {"name":"google-ads","tracking":"static"}"""), 409, "already has a channel named 'google-ads'");
        assertError(http.adminPost("/v1/sites/" + site + "/channels", """
                {"name":"radio","tracking":"sometimes"}"""), 400, "tracking must be 'static' or 'dynamic'");
        assertError(http.adminPost("/v1/sites/999999/channels", """
                {"name":"radio","tracking":"static"}"""), 404, "site 999999 does not exist");
        var renamed = http.adminPut("/v1/sites/" + site + "/channels/" + id, """
                {"name":"adwords","tracking":"dynamic","priority":5}""");
        assertEquals(200, renamed.statusCode(), renamed.body());
        assertEquals(5, body(renamed).get("priority").asInt());
        assertEquals(1, body(http.adminGet("/v1/sites/" + site + "/channels")).size());
        assertEquals(204, http.adminDelete("/v1/sites/" + site + "/channels/" + id).statusCode());
        assertError(http.adminGet("/v1/sites/" + site + "/channels/" + id), 404, "does not exist");
    }

    @Test
    void numbersCrudAndErrors() throws Exception {
        long site = createSite("numbers");
        long other = createSite("other");
        long billboard = body(http.adminPost("/v1/sites/" + site + "/channels",
                "{\"name\":\"billboard\",\"tracking\":\"static\"}")).get("id").asLong();
        long ads = body(http.adminPost("/v1/sites/" + site + "/channels",
                "{\"name\":\"ads\",\"tracking\":\"dynamic\"}")).get("id").asLong();
        long otherChannel = body(http.adminPost("/v1/sites/" + other + "/channels",
                "{\"name\":\"radio\",\"tracking\":\"static\"}")).get("id").asLong();

        var stat = http.adminPost("/v1/sites/" + site + "/numbers", """
                {"number":"(312) 555-0001","kind":"static","channelId":%d}""".formatted(billboard));
        assertEquals(201, stat.statusCode(), stat.body());
        assertEquals("+13125550001", body(stat).get("e164").asText());
        assertEquals("(312) 555-0001", body(stat).get("display").asText());
        var pool = http.adminPost("/v1/sites/" + site + "/numbers", "{\"number\":\"+13125550002\",\"kind\":\"pool\"}");
        assertEquals(201, pool.statusCode(), pool.body());
        long poolId = body(pool).get("id").asLong();

        String base = "/v1/sites/" + site + "/numbers";
        assertError(http.adminPost("/v1/sites/" + other + "/numbers", "{\"number\":\"+13125550002\",\"kind\":\"pool\"}"),
                409, "already used by another site");
        assertError(http.adminPost(base, "{\"number\":\"13125550002\",\"kind\":\"pool\"}"), 409, "of this site");
        var badNumber = http.adminPost(base, "{\"number\":\"12345\",\"kind\":\"pool\"}");
        assertError(badNumber, 400, "not a valid phone number");
        assertEquals("number", body(badNumber).get("field").asText(), "the console shows it at the field");
        var noChannel = http.adminPut(base + "/" + poolId, "{\"number\":\"+13125550003\",\"kind\":\"static\"}");
        assertError(noChannel, 400, "needs a channelId");
        assertEquals("channelId", body(noChannel).get("field").asText());
        assertError(http.adminPost(base, "{\"number\":\"+13125550003\",\"kind\":\"static\"}"), 400, "needs a channelId");
        assertError(http.adminPost(base, """
                {"number":"+13125550003","kind":"static","channelId":%d}""".formatted(otherChannel)), 400,
                "is not a channel of site " + site);
        assertError(http.adminPost(base, """
                {"number":"+13125550003","kind":"static","channelId":%d}""".formatted(ads)), 400, "tracked dynamically");
        assertError(http.adminPost(base, """
                {"number":"+13125550003","kind":"pool","channelId":%d}""".formatted(ads)), 400, "leave channelId out");
        assertError(http.adminPost(base, "{\"number\":\"+13125550003\",\"kind\":\"mobile\"}"), 400,
                "kind must be 'static' or 'pool'");

        var moved = http.adminPut(base + "/" + poolId, "{\"number\":\"+13125550004\",\"kind\":\"pool\",\"trackIdEntry\":true}");
        assertEquals(200, moved.statusCode(), moved.body());
        assertTrue(body(moved).get("trackIdEntry").asBoolean());
        assertEquals(2, body(http.adminGet(base)).size());
        assertEquals(204, http.adminDelete(base + "/" + poolId).statusCode());
        assertError(http.adminGet(base + "/" + poolId), 404, "number " + poolId + " does not exist");
        assertError(http.adminGet("/v1/sites/" + other + "/numbers/" + body(stat).get("id").asLong()), 404,
                "does not exist", "another site's number is not reachable through this site");
    }

    static void assertError(HttpResponse<String> r, int status, String messagePart, String why) throws Exception {
        assertEquals(status, r.statusCode(), why + ": " + r.body());
        assertTrue(body(r).get("error").asText().contains(messagePart), r.body());
    }
}
