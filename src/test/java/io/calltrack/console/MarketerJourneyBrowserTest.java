package io.calltrack.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.calltrack.reports.Csv;
import io.calltrack.reports.ReportFixture;
import io.calltrack.support.Browser;
import io.calltrack.support.Http;
import io.calltrack.support.TestServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.support.ui.Select;

/**
 * A marketer's day in the console, in a real Chromium: filters the call log, uploads a cost file (the preview
 * shows the bad row's error, then the good rows are imported), reads cost and ROI in the report, exports it as
 * CSV, and finds no way into routing: no navigation entry, and the routing API refuses a change (403).
 */
class MarketerJourneyBrowserTest {
    private static final ZoneId MOSCOW = ZoneId.of("Europe/Moscow");
    private static final Path SCREENSHOTS = Path.of("target", "console-screenshots");
    static TestServer server;
    static long siteId;
    static String yesterday;
    Browser browser;

    @BeforeAll
    static void seed() throws Exception {
        Browser.require();
        server = TestServer.start();
        ReportFixture fx = new ReportFixture(server.db().dataSource());
        siteId = fx.site("Europe/Moscow");
        long google = fx.channel(siteId, "Google Ads", "dynamic");
        long direct = fx.channel(siteId, "Yandex Direct", "dynamic");
        Instant at = Instant.now().minus(1, ChronoUnit.DAYS).truncatedTo(ChronoUnit.HOURS);
        yesterday = LocalDate.ofInstant(at, MOSCOW).toString();
        long deal = fx.call(siteId).channel(google).campaign("spring-sale").caller("+74951234567").at(at.toString())
                .answered(8, 125, "target").insert();
        fx.call(siteId).channel(google).campaign("spring-sale").caller("+74951234568")
                .at(at.minus(1, ChronoUnit.HOURS).toString()).answered(5, 12, "non_target").insert();
        fx.call(siteId).channel(direct).campaign("brand").caller("+74951234569")
                .at(at.minus(2, ChronoUnit.HOURS).toString()).unanswered(30).insert();
        Files.createDirectories(SCREENSHOTS);
        Http http = new Http(server.baseUrl());
        assertEquals(200, http.adminPut("/v1/calls/" + deal + "/deal", "{\"amount\": 1000}").statusCode());
        ConsoleSignIn.createUser(http, "marina", "member",
                "[{\"siteId\":" + siteId + ",\"role\":\"marketer\",\"recordings\":false}]");
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
    }

    @AfterEach
    void close() {
        ConsoleSignIn.closeChecked(browser);
    }

    @Test
    void aMarketerFiltersCallsImportsCostsReadsRoiAndExportsTheReport(@TempDir Path dir) throws Exception {
        browser = ConsoleSignIn.browser();
        ConsoleSignIn.open(browser, server.baseUrl() + "/console/#/calls?site=" + siteId, "marina");

        // no routing for a marketer: not in the navigation, and its API refuses a change
        String nav = browser.text("nav");
        assertTrue(nav.contains("Reports") && !nav.contains("Routing"), nav);
        Object routing = browser.driver().executeAsyncScript("""
                const done = arguments[0];
                fetch('/v1/session').then(r => r.json()).then(s => fetch('/v1/sites/%d/routing', {method: 'PUT',
                    headers: {'Content-Type': 'application/json', 'X-CSRF-Token': s.csrfToken}, body: '{"rules": []}'}))
                  .then(r => done(r.status));""".formatted(siteId));
        assertEquals(403L, routing);

        // the call log, filtered by campaign
        browser.await("the call log", d -> d.findElements(By.cssSelector("#call-log tbody tr")).size() == 3);
        browser.driver().findElement(By.cssSelector("#call-filters input[name=campaign]")).sendKeys("brand");
        browser.driver().findElement(By.cssSelector("#call-filters button")).click();
        browser.await("the filtered log", d -> d.findElements(By.cssSelector("#call-log tbody tr")).size() == 1);
        assertTrue(browser.text("#call-log tbody").contains("+74951234569"), browser.text("#call-log tbody"));

        // the report, then a cost file with one bad row
        browser.driver().findElement(By.cssSelector("nav a[href^='#/reports']")).click();
        browser.await("the report", d -> d.findElements(By.cssSelector("#report-table tbody tr")).size() == 2);
        Path costs = dir.resolve("costs.csv");
        Files.writeString(costs, "day,channel,campaign,amount\n" + yesterday + ",Google Ads,,200\n"
                + yesterday + ",Bing,,50\n" + yesterday + ",Yandex Direct,brand,30\n");
        browser.driver().findElement(By.id("cost-file")).sendKeys(costs.toAbsolutePath().toString());
        browser.await("the file is read", d -> d.findElement(By.cssSelector("#cost-form button")).isEnabled());
        browser.driver().findElement(By.cssSelector("#cost-form button")).click();
        browser.await("the preview", d -> d.findElements(By.cssSelector("#cost-preview tbody tr")).size() == 3);
        String bad = browser.text("#cost-preview tr[data-row='3']");
        assertTrue(bad.contains("no channel 'Bing'"), bad);
        assertTrue(browser.text("#cost-preview tr[data-row='2']").contains("ok"));
        assertEquals(0.0, storedCost(), "the preview stored nothing");
        screenshot("reports-import-en");
        browser.driver().findElement(By.id("cost-commit")).click();
        browser.awaitText("#cost-done", "2 cost rows imported.");

        // cost and ROI: Google Ads spent 200 and earned 1000 (ROI 400%); Yandex Direct 30, nothing earned
        browser.await("the report with costs", d -> d.findElement(By.cssSelector("#report-total td[data-col=cost]"))
                .getText().equals("230.00"));
        String google = browser.text("#report-table tbody tr:first-child");
        assertTrue(google.contains("Google Ads") && google.contains("200.00") && google.contains("400%"), google);
        assertEquals("-100%", browser.text("#report-table tbody tr:nth-child(2) td[data-col=roi]").replace('\u2212', '-'));
        screenshot("reports-en");

        // the CSV export: what its link downloads, with the session
        String href = browser.attribute("#report-csv", "href");
        Object csv = browser.driver().executeAsyncScript(
                "const done = arguments[1]; fetch(arguments[0]).then(r => r.text()).then(done);", href);
        List<List<String>> lines = Csv.read((String) csv);
        assertEquals("cost", lines.get(0).get(14));
        assertEquals("roi", lines.get(0).get(18));
        List<String> googleRow = lines.stream().filter(l -> l.get(2).equals("Google Ads")).findFirst().orElseThrow();
        assertEquals(List.of("200.00", "4.0000"), List.of(googleRow.get(14), googleRow.get(18)), googleRow.toString());

        // and in Russian
        new Select(browser.driver().findElement(By.cssSelector("label.lang select"))).selectByValue("ru");
        browser.await("Russian", d -> d.findElement(By.cssSelector("main")).getText().contains("Итого"));
        screenshot("reports-ru");
        assertEquals(List.of(), browser.eval("window.cspViolations"));
    }

    /** The site's spend yesterday, as the API reports it. */
    private static double storedCost() throws IOException {
        var rows = new com.fasterxml.jackson.databind.ObjectMapper().readTree(new Http(server.baseUrl())
                .adminGet("/v1/sites/" + siteId + "/reports?group=channel&from=" + yesterday + "&to=" + yesterday)
                .body()).get("rows");
        double sum = 0;
        for (var row : rows) sum += row.path("cost").asDouble(0);
        return sum;
    }

    private void screenshot(String name) throws IOException {
        Files.write(SCREENSHOTS.resolve(name + ".png"), browser.driver().getScreenshotAs(OutputType.BYTES));
    }
}
