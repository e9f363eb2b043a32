package io.calltrack.calls.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.calltrack.calls.CallTags;
import io.calltrack.platform.db.Jdbc;
import io.calltrack.recordings.Dialogue;
import io.calltrack.recordings.Side;
import io.calltrack.recordings.TranscriptRepository;
import io.calltrack.recordings.Turn;
import io.calltrack.reports.Csv;
import io.calltrack.reports.ReportFixture;
import io.calltrack.support.Http;
import io.calltrack.support.TestServer;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The call log as the console and scripts use it: every filter, the orders, keyset pages, the CSV export, live calls. */
class CallLogTest {
    private static final ObjectMapper json = new ObjectMapper();
    private static TestServer server;
    private static Http http;
    private static ReportFixture f;
    private static long shop;
    private static long clinic;
    private static long ads;
    private static long anna;
    private static long early;
    private static long paid;
    private static long missed;
    private static long repeat;
    private static long recorded;
    private static long other;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        http = new Http(server.baseUrl());
        f = new ReportFixture(server.db().dataSource());
        shop = f.site("Europe/Berlin");
        clinic = f.site("Europe/Moscow");
        ads = f.channel(shop, "Google Ads", "dynamic");
        anna = f.manager(shop, "anna");
        early = f.call(shop).at("2026-03-01T08:00:00Z").caller("+4930111111").answered(5, 40, "target").insert();
        paid = f.call(shop).at("2026-03-02T09:00:00Z").caller("+4930222222").channel(ads).campaign("spring")
                .keyword("red shoes").calledNumber("+4930555000").manager(anna).answered(3, 300, "target").insert();
        missed = f.call(shop).at("2026-03-03T10:00:00Z").caller("+4930333333").unanswered(20).insert();
        repeat = f.call(shop).at("2026-03-04T11:00:00Z").caller("+4930222222").repeat().answered(4, 10, "non_target")
                .insert();
        recorded = f.call(shop).at("2026-03-05T12:00:00Z").caller("+4930444567").recording("2026/03/05/a.wav")
                .answered(2, 90, "target").insert();
        other = f.call(clinic).at("2026-03-03T12:00:00Z").caller("+7495123456").answered(1, 50, "target").insert();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static JsonNode get(String path) throws Exception {
        HttpResponse<String> r = http.adminGet(path);
        assertEquals(200, r.statusCode(), path + ": " + r.body());
        return json.readTree(r.body());
    }

    private static List<Long> ids(String path) throws Exception {
        return ids(get(path));
    }

    private static List<Long> ids(JsonNode page) {
        return StreamSupport.stream(page.get("items").spliterator(), false).map(n -> n.get("id").asLong()).toList();
    }

    @Test
    void everyFilterSelectsTheCallsItNames() throws Exception {
        String s = "/v1/calls?site=" + shop;
        assertEquals(List.of(recorded, repeat, missed, paid, early), ids(s));
        assertEquals(List.of(repeat, missed), ids(s + "&from=2026-03-03T00:00:00Z&to=2026-03-05T00:00:00Z"));
        assertEquals(List.of(paid), ids(s + "&channel=" + ads));
        assertEquals(List.of(paid), ids(s + "&campaign=spring"));
        assertEquals(List.of(paid), ids(s + "&keyword=red%20shoes"));
        assertEquals(List.of(paid), ids(s + "&number=%2B4930555000"));
        assertEquals(List.of(recorded, paid, early), ids(s + "&class=target"));
        assertEquals(List.of(paid), ids(s + "&manager=" + anna));
        assertEquals(List.of(repeat), ids(s + "&repeat=true"));
        assertEquals(List.of(recorded, missed, paid, early), ids(s + "&firstTime=true"));
        assertEquals(List.of(recorded), ids(s + "&hasRecording=true"));
        assertEquals(List.of(repeat, missed, paid, early), ids(s + "&hasRecording=false"));
        assertEquals(List.of(repeat, paid), ids(s + "&caller=%2B4930222222"));
        assertEquals(List.of(recorded), ids(s + "&callerContains=4567"), "the digits anywhere in the number");
        assertEquals(List.of(recorded), ids(s + "&callerContains=44-567"), "separators people type are ignored");
        assertEquals(List.of(paid), ids(s + "&class=target&campaign=spring&firstTime=true"), "filters combine");
        assertEquals(List.of(other), ids("/v1/calls?site=" + clinic));
    }

    @Test
    void severalSitesAreMergedInOrder() throws Exception {
        assertEquals(List.of(recorded, repeat, other, missed, paid, early),
                ids("/v1/calls?site=" + shop + "&site=" + clinic));
        assertEquals(List.of(recorded, repeat, other, missed, paid, early),
                ids("/v1/calls?from=2026-03-01T00:00:00Z&to=2026-03-06T00:00:00Z"), "no site: all sites");
    }

    @Test
    void sortsNewestOldestAndLongest() throws Exception {
        String s = "/v1/calls?site=" + shop;
        assertEquals(List.of(early, paid, missed, repeat, recorded), ids(s + "&sort=oldest"));
        assertEquals(List.of(paid, recorded, early, repeat, missed), ids(s + "&sort=longest"));
        assertEquals(List.of(paid, recorded, other, early, repeat, missed), ids("/v1/calls?site=" + shop + "&site="
                + clinic + "&sort=longest"));
    }

    @Test
    void keysetPagesNeitherRepeatNorSkipWhenCallsArriveMeanwhile() throws Exception {
        long site = f.site("UTC");
        List<Long> all = new ArrayList<>();
        Instant t = Instant.parse("2026-04-01T10:00:00Z");
        for (int i = 0; i < 7; i++) {
            // two calls share each start time: the id breaks the tie, so no page boundary loses one
            all.add(0, f.call(site).at(t.plusSeconds(60L * (i / 2)).toString()).answered(1, i, "target").insert());
        }
        List<Long> seen = new ArrayList<>();
        JsonNode page = get("/v1/calls?site=" + site + "&limit=3");
        seen.addAll(ids(page));
        f.call(site).at("2026-04-02T00:00:00Z").answered(1, 1, "target").insert(); // newer than everything seen
        f.call(site).at("2026-04-01T10:01:00Z").answered(1, 1, "target").insert(); // in the middle of the log
        while (!page.get("nextCursor").isNull()) {
            page = get("/v1/calls?site=" + site + "&limit=3&cursor=" + page.get("nextCursor").asLong());
            seen.addAll(ids(page));
        }
        List<Long> expected = new ArrayList<>(all);
        List<Long> withMiddle = ids("/v1/calls?site=" + site + "&limit=100");
        assertEquals(withMiddle.subList(1, withMiddle.size()), seen,
                "every call after the first page's last, once, in order; the newer call is not on a later page");
        assertTrue(seen.containsAll(expected));

        List<Long> oldest = new ArrayList<>();
        page = get("/v1/calls?site=" + site + "&sort=oldest&limit=4");
        oldest.addAll(ids(page));
        while (!page.get("nextCursor").isNull()) {
            page = get("/v1/calls?site=" + site + "&sort=oldest&limit=4&cursor=" + page.get("nextCursor").asLong());
            oldest.addAll(ids(page));
        }
        assertEquals(ids("/v1/calls?site=" + site + "&sort=oldest&limit=100"), oldest);
    }

    @Test
    void csvExportIsWhatTheFilterSelectsStreamed() throws Exception {
        long site = f.site("UTC");
        f.call(site).at("2026-05-01T10:00:00Z").caller("+4930999999").campaign("=HYPERLINK(\"x\")")
                .answered(2, 61, "target").insert();
        for (int i = 0; i < 1500; i++) {
            f.call(site).at(Instant.parse("2026-05-02T00:00:00Z").plusSeconds(i).toString()).unanswered(3).insert();
        }
        HttpResponse<String> r = http.adminGet("/v1/calls?site=" + site + "&format=csv&sort=oldest");
        assertEquals(200, r.statusCode(), r.body());
        assertTrue(r.headers().firstValue("content-type").orElse("").startsWith("text/csv"));
        assertFalse(r.headers().firstValue("content-length").isPresent(), "streamed in chunks, not built whole");
        String[] lines = r.body().split("\r\n");
        assertEquals(String.join(",", CallLogRoutes.CSV_COLUMNS), lines[0]);
        assertEquals(1 + 1501, lines.length, "every call of the filter, not a page of them");
        // a text starting with + is defused like any formula; a spreadsheet shows the number as text, + kept
        assertTrue(lines[1].contains(",\"'+4930999999\",completed,target,2,61,"), lines[1]);
        assertTrue(lines[1].contains("\"'=HYPERLINK(\"\"x\"\")\""), "a formula is defused: " + lines[1]);
        assertTrue(lines[1501].contains(",unanswered,3,"), lines[1501]);

        HttpResponse<String> filtered = http.adminGet("/v1/calls?site=" + site + "&format=csv&class=target");
        assertEquals(2, filtered.body().split("\r\n").length, "the same filter as the page: " + filtered.body());
        assertEquals(400, http.adminGet("/v1/calls?format=csv&sort=sideways").statusCode(),
                "a bad filter is a 400 before anything is streamed");
    }

    @Test
    void saidFindsTheCallsWhoseTranscriptHasTheWordsInItsLanguage() throws Exception {
        long site = f.site("Europe/Moscow");
        long price = f.call(site).at("2026-06-01T10:00:00Z").recording("a.wav").answered(1, 60, "target").insert();
        f.transcript(price, "ru", "Здравствуйте, подскажите цену на красные туфли");
        long prices = f.call(site).at("2026-06-02T10:00:00Z").recording("b.wav").answered(1, 60, "target").insert();
        f.transcript(prices, "ru", "Какая у вас цена доставки? А скидки бывают?");
        long english = f.call(site).at("2026-06-03T10:00:00Z").recording("c.wav").answered(1, 60, "target").insert();
        f.transcript(english, "en", "Hello, what are your prices for red shoes");
        long german = f.call(site).at("2026-06-04T10:00:00Z").recording("d.wav").answered(1, 60, "target").insert();
        f.transcript(german, "de", "Was kosten die roten Schuhe");
        f.call(site).at("2026-06-05T10:00:00Z").answered(1, 60, "target").insert(); // not transcribed

        String s = "/v1/calls?site=" + site + "&said=";
        assertEquals(List.of(prices, price), ids(s + enc("цены")), "a Russian transcript matches any form of the word");
        assertEquals(List.of(english), ids(s + "price"), "an English one its English forms");
        assertEquals(List.of(english), ids(s + enc("\"red shoes\"")), "a quoted phrase: the words in that order");
        assertEquals(List.of(), ids(s + enc("\"shoes red\"")));
        assertEquals(List.of(price), ids(s + enc("цена -доставки")), "a minus excludes a word");
        assertEquals(List.of(english, price), ids(s + enc("туфли or shoes")), "or: either");
        assertEquals(List.of(german), ids(s + "Schuhe"), "another language: the words as written");
        assertEquals(List.of(), ids(s + "Schuh"));
        assertEquals(List.of(prices), ids(s + enc("цены") + "&from=2026-06-02T00:00:00Z"), "filters combine");

        // keyset pages over the matching calls only
        JsonNode first = get(s + enc("цены") + "&limit=1");
        assertEquals(List.of(prices), ids(first));
        JsonNode second = get(s + enc("цены") + "&limit=1&cursor=" + first.get("nextCursor").asLong());
        assertEquals(List.of(price), ids(second));
        assertEquals(List.of(), ids(get(s + enc("цены") + "&limit=1&cursor=" + second.get("nextCursor").asLong())));

        String[] csv = http.adminGet(s + enc("цены") + "&format=csv").body().split("\r\n");
        assertEquals(3, csv.length, "the export selects what the page does: " + String.join("|", csv));
        assertTrue(csv[1].startsWith(prices + ","), csv[1]);

        for (String absurd : List.of("\"", "\"\"\"", "&|!", "a <-> b", "qq:* & !(", "(((", "-", "or", "the", "'; DROP",
                "\\")) {
            assertEquals(List.of(), ids(s + enc(absurd)), absurd + ": matches nothing, is no error");
        }
    }

    @Test
    void saidTooLongOrWithControlCharactersIsRefused() throws Exception {
        assertEquals(400, http.adminGet("/v1/calls?said=" + "x".repeat(10_000)).statusCode(),
                "longer than a request line may be");
        for (String bad : List.of("цена ".repeat(41), "цена\u0000", "a\nb")) {
            HttpResponse<String> r = http.adminGet("/v1/calls?said=" + enc(bad));
            assertEquals(400, r.statusCode(), r.body());
            assertEquals("said", json.readTree(r.body()).path("field").asText(), r.body());
            assertEquals(400, http.adminGet("/v1/calls?format=csv&said=" + enc(bad)).statusCode());
        }
    }

    private static String enc(String v) {
        return java.net.URLEncoder.encode(v, java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20");
    }

    @Test
    void csvExportHasEachCallsTagsAndDialogueEscaped() throws Exception {
        long site = f.site("UTC");
        Jdbc jdbc = new Jdbc(server.db().dataSource());
        CallTags tags = new CallTags(jdbc);
        TranscriptRepository transcripts = new TranscriptRepository(jdbc, io.calltrack.Json.mapper());
        long talked = f.call(site).at("2026-06-01T10:00:00Z").recording("2026/06/01/a.wav").answered(2, 30, "target")
                .insert();
        tags.replaceRuleTags(talked, Set.of("price request", "=cmd", "vip", "@sum"));
        transcripts.save(talked, "en", 3.5, new Dialogue(List.of(
                new Turn(Side.MANAGER, 0.2, 1.0, "hello, acme \"sofas\"", List.of()),
                new Turn(Side.CALLER, 1.5, 3.0, "=1+2\nsecond line", List.of()))), Instant.now());
        long silent = f.call(site).at("2026-06-01T11:00:00Z").unanswered(4).insert();
        long later = 0;
        for (int i = 0; i < 600; i++) { // past the export's first batch of 500
            later = f.call(site).at(Instant.parse("2026-06-02T00:00:00Z").plusSeconds(i).toString()).unanswered(3)
                    .insert();
        }
        tags.replaceRuleTags(later, Set.of("late"));

        HttpResponse<String> r = http.adminGet("/v1/calls?site=" + site + "&format=csv&sort=oldest");
        assertEquals(200, r.statusCode(), r.body());
        List<List<String>> rows = Csv.read(r.body());
        List<String> header = rows.get(0);
        int tagsAt = header.indexOf("tags");
        int transcriptAt = header.indexOf("transcript");
        assertEquals(List.of("tags", "transcript"), header.subList(header.size() - 2, header.size()), "added last");
        assertEquals(2 + 600, rows.size() - 1);
        List<String> first = rows.get(1);
        assertEquals(Long.toString(talked), first.get(0));
        assertEquals(header.size(), first.size(), "a call without a caller, manager or channel keeps every column");
        assertEquals(Set.of("'=cmd", "'@sum", "price request", "vip"), Set.of(first.get(tagsAt).split(";")),
                "every tag, each formula defused (a spreadsheet may split the field on ;)");
        assertEquals("manager: hello, acme \"sofas\" / caller: =1+2\nsecond line", first.get(transcriptAt),
                "who said what in turn; comma, quote and newline kept inside the one field");
        assertEquals(List.of(Long.toString(silent), "", ""), List.of(rows.get(2).get(0), rows.get(2).get(tagsAt),
                rows.get(2).get(transcriptAt)), "no tags, no transcript: empty fields");
        List<String> last = rows.get(rows.size() - 1);
        assertEquals(List.of(Long.toString(later), "late"), List.of(last.get(0), last.get(tagsAt)),
                "a later batch of the export has its own tags");
    }

    @Test
    void badFiltersAreRefusedWithWhatIsWrong() {
        for (String q : List.of("sort=sideways", "hasRecording=maybe", "repeat=1", "callerContains=ab",
                "site=shop", "number=12345", "class=great", "from=yesterday",
                "from=2026-03-05T00:00:00Z&to=2026-03-01T00:00:00Z", "cursor=abc")) {
            HttpResponse<String> r = http.adminGet("/v1/calls?" + q);
            assertEquals(400, r.statusCode(), q + ": " + r.body());
            assertTrue(r.body().contains("\"error\""), r.body());
        }
        assertEquals(401, http.get("/v1/calls").statusCode());
        assertEquals(401, http.get("/v1/calls/live").statusCode());
    }

    @Test
    void liveCallsAreTheOpenOnesWithSinceWhen() throws Exception {
        Instant base = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).minusSeconds(600);
        long site = f.site("UTC");
        long ringing = f.call(site).at(base.plusSeconds(30).toString()).caller("+4930123123").inProgress(null).insert();
        long talking = f.call(site).at(base.toString()).caller("+4930456456").inProgress(7).insert();
        f.call(site).at(base.minusSeconds(60).toString()).answered(3, 20, "target").insert();
        long lostItsEnd = f.call(site).at(base.minus(java.time.Duration.ofDays(2)).toString()).inProgress(null).insert();
        long elsewhere = f.call(f.site("UTC")).at(base.plusSeconds(10).toString()).inProgress(null).insert();

        JsonNode live = get("/v1/calls/live?site=" + site);
        assertTrue(live.has("now"));
        JsonNode calls = live.get("calls");
        assertEquals(2, calls.size(), "a call open for days lost its end, it is not ringing: " + calls);
        assertEquals(talking, calls.get(0).get("callId").asLong(), "oldest first");
        assertEquals("talking", calls.get(0).get("state").asText());
        assertEquals(base.plusSeconds(7).toString(), calls.get(0).get("since").asText(), "talking since the answer");
        assertEquals(ringing, calls.get(1).get("callId").asLong());
        assertEquals("ringing", calls.get(1).get("state").asText());
        assertEquals(base.plusSeconds(30).toString(), calls.get(1).get("since").asText());
        assertEquals("+4930123123", calls.get(1).get("callerNumber").asText());

        List<Long> all = StreamSupport.stream(get("/v1/calls/live").get("calls").spliterator(), false)
                .map(n -> n.get("callId").asLong()).toList();
        assertTrue(all.containsAll(List.of(ringing, talking, elsewhere)), all.toString());
        assertTrue(!all.contains(lostItsEnd), all.toString());
    }
}
