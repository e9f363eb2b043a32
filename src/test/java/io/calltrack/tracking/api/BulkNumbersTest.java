package io.calltrack.tracking.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.calltrack.support.Http;
import io.calltrack.support.TestServer;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Bulk add of numbers: every line checked, all stored in one go or none, with a dry run to preview. */
class BulkNumbersTest {
    private static final ObjectMapper json = new ObjectMapper();
    private static TestServer server;
    private static Http http;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        http = new Http(server.baseUrl());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static long site() throws Exception {
        HttpResponse<String> r = http.adminPost("/v1/sites",
                "{\"name\":\"Shop\",\"timeZone\":\"UTC\",\"fallbackNumber\":\"+4930555000\"}");
        long site = json.readTree(r.body()).get("id").asLong();
        assertEquals(201, http.adminPost("/v1/sites/" + site + "/channels",
                "{\"name\":\"Billboard\",\"tracking\":\"static\"}").statusCode());
        return site;
    }

    private static HttpResponse<String> bulk(long site, String query, String csv) {
        return http.send(http.builder("/v1/sites/" + site + "/numbers/bulk" + query).header("Content-Type", "text/csv")
                .POST(HttpRequest.BodyPublishers.ofString(csv)), true);
    }

    private static int stored(long site) throws Exception {
        return json.readTree(http.adminGet("/v1/sites/" + site + "/numbers").body()).size();
    }

    @Test
    void aListWithAnyBadLineStoresNothingAndSaysWhichLineAndWhy() throws Exception {
        long site = site();
        HttpResponse<String> r = bulk(site, "", """
                number,kind,channel
                +4930555101,static,Billboard
                +4930555102,pool
                not a phone
                +4930555104,static,Radio
                +4930555101
                +4930555105,fax
                """);
        assertEquals(400, r.statusCode(), r.body());
        JsonNode b = json.readTree(r.body());
        assertFalse(b.get("stored").asBoolean());
        assertEquals(6, b.get("rows").asInt());
        JsonNode errors = b.get("errors");
        assertEquals(4, errors.size(), errors.toString());
        assertEquals(4, errors.at("/0/row").asInt(), "the line number in what was pasted");
        assertEquals(5, errors.at("/1/row").asInt());
        assertTrue(errors.at("/1/reason").asText().contains("no channel 'Radio'"), errors.toString());
        assertEquals(6, errors.at("/2/row").asInt());
        assertTrue(errors.at("/2/reason").asText().contains("also on line 2"), errors.toString());
        assertEquals(7, errors.at("/3/row").asInt());
        assertTrue(errors.at("/3/reason").asText().contains("kind must be"), errors.toString());
        assertEquals(0, stored(site), "nothing stored while any line fails");
    }

    @Test
    void aDryRunPreviewsAndAGoodListIsStoredWhole() throws Exception {
        long site = site();
        String list = "+4930555201, static, billboard\n+49 30 555-202\r\n\n+4930555203,pool\n";
        HttpResponse<String> dry = bulk(site, "?dryRun=true", list);
        assertEquals(200, dry.statusCode(), dry.body());
        JsonNode preview = json.readTree(dry.body());
        assertFalse(preview.get("stored").asBoolean());
        assertEquals(3, preview.get("numbers").size());
        assertEquals("static", preview.at("/numbers/0/kind").asText());
        assertEquals("pool", preview.at("/numbers/1/kind").asText(), "no channel: a pool number");
        assertEquals(0, stored(site), "a dry run stores nothing");

        HttpResponse<String> r = bulk(site, "", list);
        assertEquals(201, r.statusCode(), r.body());
        assertTrue(json.readTree(r.body()).get("stored").asBoolean());
        assertEquals(3, stored(site));

        HttpResponse<String> again = bulk(site, "", "+4930555299\n+4930555201\n");
        assertEquals(400, again.statusCode());
        assertTrue(again.body().contains("already number"), again.body());
        assertEquals(3, stored(site), "the new number of a failed list is not stored either");
        long other = site();
        HttpResponse<String> taken = bulk(other, "", "+4930555203\n");
        assertTrue(taken.body().contains("already used by another site"), taken.body());
        assertEquals(400, bulk(site, "", "\n\n").statusCode(), "an empty list is refused");
    }
}
