package io.calltrack.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.calltrack.reports.ReportFixture;
import io.calltrack.support.Browser;
import io.calltrack.support.Http;
import io.calltrack.support.TestServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.support.ui.Select;

/**
 * A marketer on a call's page follows "Visitor session" in a real Chromium: the visit's landing page, times in the
 * site's zone, and the visitor's other call, which leads to its own page; in English and in Russian.
 */
class VisitorSessionBrowserTest {
    private static final Path SCREENSHOTS = Path.of("target", "console-screenshots");
    static TestServer server;
    static long siteId;
    static long firstCall;
    static long laterCall;

    @BeforeAll
    static void seed() throws Exception {
        Browser.require();
        server = TestServer.start();
        ReportFixture fx = new ReportFixture(server.db().dataSource());
        siteId = fx.site("Europe/Moscow");
        long channel = fx.channel(siteId, "Yandex Direct", "dynamic");
        long number = fx.number(siteId, "+74951112233", "pool", channel);
        UUID visit = fx.session(siteId).clientId("visitor-7").channel(channel).number(number).campaign("sofas")
                .landing("https://shop.example/sofas?utm_campaign=sofas").at("2026-05-04T08:50:00Z")
                .lastSeen("2026-05-04T09:10:00Z").insert();
        fx.execute("UPDATE visitor_session SET referrer = 'https://ya.ru/', utm_source = 'yandex' WHERE id = ?", visit);
        UUID again = fx.session(siteId).clientId("visitor-7").at("2026-05-06T12:00:00Z").insert();
        firstCall = fx.call(siteId).session(visit).caller("+74950000001").at("2026-05-04T09:00:00Z")
                .answered(3, 60, "target").insert();
        laterCall = fx.call(siteId).session(again).at("2026-05-06T12:05:00Z").unanswered(15).insert();
        ConsoleSignIn.createUser(new Http(server.baseUrl()), "mira", "member",
                "[{\"siteId\":" + siteId + ",\"role\":\"marketer\",\"recordings\":false}]");
        Files.createDirectories(SCREENSHOTS);
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
    }

    @Test
    void theCallPageLeadsToTheVisitAndTheVisitorsOtherCall() throws Exception {
        Browser browser = ConsoleSignIn.browser();
        try {
            ConsoleSignIn.open(browser, server.baseUrl() + "/console/#/calls/" + firstCall, "mira");
            browser.await("the link to the visit", d -> !d.findElements(By.id("visitor-session")).isEmpty());
            assertEquals("Visitor session", browser.text("#visitor-session"));
            browser.driver().findElement(By.id("visitor-session")).click();

            browser.await("the visit", d -> !d.findElements(By.id("session-landing")).isEmpty());
            assertEquals("https://shop.example/sofas?utm_campaign=sofas", browser.text("#session-landing"));
            String visit = browser.text("#session-visit");
            assertTrue(visit.contains("Europe/Moscow"), visit);
            assertTrue(visit.contains("11:50"), "started at 08:50 UTC, shown in Moscow time: " + visit);
            assertTrue(visit.contains("Yandex Direct") && visit.contains("+74951112233"), visit);
            assertTrue(visit.contains("source=yandex") && visit.contains("campaign=sofas"), visit);
            List<String> listed = browser.driver().findElements(By.cssSelector("#session-calls tbody tr")).stream()
                    .map(r -> r.getAttribute("data-call")).toList();
            assertEquals(List.of(String.valueOf(laterCall), String.valueOf(firstCall)), listed, "newest first");
            assertTrue(browser.text("#session-calls").contains("unanswered"), browser.text("#session-calls"));
            screenshot(browser, "session-en");

            new Select(browser.driver().findElement(By.cssSelector("label.lang select"))).selectByValue("ru");
            browser.await("the page in Russian",
                    d -> d.findElement(By.cssSelector("main")).getText().contains("Звонки этого посетителя"));
            screenshot(browser, "session-ru");

            browser.driver().findElement(By.cssSelector("#session-calls tr[data-call='" + laterCall + "'] a")).click();
            browser.await("the other call's page", d -> !d.findElements(By.id("call-summary")).isEmpty()
                    && d.getCurrentUrl().endsWith("#/calls/" + laterCall + "?site=" + siteId));
            assertEquals("Сессия посетителя", browser.text("#visitor-session"));
        } finally {
            ConsoleSignIn.closeChecked(browser);
        }
    }

    /** The whole page, not only what the window shows. */
    private static void screenshot(Browser browser, String name) throws IOException {
        long height = (Long) browser.eval("document.documentElement.scrollHeight");
        browser.driver().manage().window().setSize(new Dimension(1200, (int) Math.min(height + 120, 6000)));
        Files.write(SCREENSHOTS.resolve(name + ".png"), browser.driver().getScreenshotAs(OutputType.BYTES));
    }
}
