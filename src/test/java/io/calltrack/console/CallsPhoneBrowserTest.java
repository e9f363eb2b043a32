package io.calltrack.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.calltrack.reports.ReportFixture;
import io.calltrack.support.Browser;
import io.calltrack.support.Http;
import io.calltrack.support.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/**
 * The call log and a call's page on a phone (390x844, as an iPhone 12-15 shows a page): nothing wider than the
 * screen, so the page never scrolls sideways, and the log's filters, the transcript's words among them, work there.
 */
class CallsPhoneBrowserTest {
    private static final long WIDTH = 390;
    private static final Path SCREENSHOTS = Path.of("target", "console-screenshots");
    private static TestServer server;
    private static long siteId;
    private static long askedThePrice;
    private static long other;
    private static long gaveUp;

    @BeforeAll
    static void seed() throws Exception {
        Browser.require();
        server = TestServer.start();
        ReportFixture fx = new ReportFixture(server.db().dataSource());
        siteId = fx.site("Europe/Moscow");
        long ads = fx.channel(siteId, "Yandex Direct", "dynamic");
        Instant base = Instant.now().minus(1, ChronoUnit.DAYS).truncatedTo(ChronoUnit.HOURS);
        // long words and addresses, as real landing pages and campaigns have: what pushes a narrow page wide
        askedThePrice = fx.call(siteId).channel(ads).campaign("spring-sale-moscow-region-retargeting-2026")
                .keyword("купить-недорого-с-доставкой-по-москве").caller("+74951234567")
                .landing("https://shop.example/catalog/plumbing/faucets?utm_source=yandex&utm_medium=cpc"
                        + "&utm_campaign=spring-sale-moscow-region-retargeting-2026&yclid=1234567890123456789")
                .at(base.toString()).answered(8, 125, "target").recording("price.wav").insert();
        fx.transcript(askedThePrice, "ru", "Здравствуйте, подскажите цену на смеситель с доставкой");
        other = fx.call(siteId).channel(ads).campaign("brand").caller("+74951234568")
                .at(base.minus(1, ChronoUnit.HOURS).toString()).answered(5, 40, "non_target").recording("b.wav")
                .insert();
        fx.transcript(other, "ru", "Добрый день, соедините с бухгалтерией");
        gaveUp = fx.call(siteId).caller("+74951234569").at(base.minus(2, ChronoUnit.HOURS).toString()).unanswered(30)
                .insert();
        Files.createDirectories(SCREENSHOTS);
        ConsoleSignIn.createUser(new Http(server.baseUrl()), "olga", "owner", "[]");
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
    }

    @Test
    void theCallLogAndACallFitAPhoneAndFindACallByItsWords() throws Exception {
        Browser browser = ConsoleSignIn.browser();
        try {
            browser.driver().executeCdpCommand("Emulation.setDeviceMetricsOverride", Map.of(
                    "width", WIDTH, "height", 844, "deviceScaleFactor", 1, "mobile", true));
            ConsoleSignIn.open(browser, server.baseUrl() + "/console/#/calls?site=" + siteId, "olga");
            awaitCalls(browser, 3);
            assertFitsTheWidth(browser, "the call log");

            Select order = new Select(browser.driver().findElement(By.cssSelector("#call-filters select[name='sort']")));
            order.selectByValue("oldest");
            browser.driver().findElement(By.cssSelector("#call-filters button[type='submit']")).click();
            browser.await("oldest first", d -> String.valueOf(gaveUp).equals(
                    d.findElement(By.cssSelector("#call-log tbody tr")).getAttribute("data-call")));
            order.selectByValue("");
            WebElement caller = browser.driver().findElement(By.cssSelector("#call-filters input[name='caller']"));
            caller.sendKeys("4568");
            browser.driver().findElement(By.cssSelector("#call-filters button[type='submit']")).click();
            awaitCalls(browser, 1);
            assertEquals(String.valueOf(other), browser.attribute("#call-log tbody tr", "data-call"),
                    "the caller found by the digits remembered, newest first again");
            caller.sendKeys(Keys.chord(Keys.CONTROL, "a"), Keys.BACK_SPACE);

            WebElement said = browser.driver().findElement(By.cssSelector("#call-filters input[name='said']"));
            said.sendKeys("цены");
            browser.driver().findElement(By.cssSelector("#call-filters button[type='submit']")).click();
            awaitCalls(browser, 1);
            assertEquals(String.valueOf(askedThePrice),
                    browser.attribute("#call-log tbody tr", "data-call"), "the call where the price was asked");
            assertTrue((Boolean) browser.eval("location.hash.includes('said=')"), "the filter is in the address");
            assertFitsTheWidth(browser, "the filtered call log");
            screenshot(browser, "calls-phone-en");

            browser.driver().findElement(By.cssSelector("#call-log tbody tr a")).click();
            browser.await("the call's page", d -> !d.findElements(By.id("touch-last")).isEmpty());
            assertFitsTheWidth(browser, "the call's page");

            browser.driver().navigate().back();
            awaitCalls(browser, 1);
            new Select(browser.driver().findElement(By.cssSelector("label.lang select"))).selectByValue("ru");
            browser.await("Russian labels", d -> d.findElement(By.id("call-filters")).getText()
                    .contains("Слова в разговоре"));
            awaitCalls(browser, 1);
            assertFitsTheWidth(browser, "the call log in Russian");
            screenshot(browser, "calls-phone-ru");
            browser.driver().findElement(By.cssSelector("#call-log tbody tr a")).click();
            browser.await("the call's page", d -> !d.findElements(By.id("touch-last")).isEmpty());
            assertFitsTheWidth(browser, "the call's page in Russian");
        } finally {
            ConsoleSignIn.closeChecked(browser);
        }
    }

    private static void awaitCalls(Browser browser, int count) {
        browser.await(count + " calls in the log",
                d -> d.findElements(By.cssSelector("#call-log tbody tr")).size() == count);
    }

    /**
     * Nothing is wider than the screen: the page has no sideways scroll (a table may scroll in its own box). A mobile
     * viewport widens to content that overflows it, so the width the page gets is checked too.
     */
    private static void assertFitsTheWidth(Browser browser, String what) {
        long scroll = ((Number) browser.eval("document.documentElement.scrollWidth")).longValue();
        long inner = ((Number) browser.eval("window.innerWidth")).longValue();
        Object wide = browser.eval("""
                [...document.querySelectorAll('body *')]
                  .filter(e => e.getBoundingClientRect().right > %d.5)
                  .slice(-3).map(e => e.tagName + '.' + e.className + ' ' + e.textContent.slice(0, 40))"""
                .formatted(WIDTH));
        assertTrue(inner == WIDTH && scroll <= inner, what + ": the page is " + scroll + " px wide in a viewport of "
                + inner + " on a " + WIDTH + " px screen; wider than it: " + wide);
    }

    private static void screenshot(Browser browser, String name) throws java.io.IOException {
        Files.write(SCREENSHOTS.resolve(name + ".png"), browser.driver().getScreenshotAs(OutputType.BYTES));
    }
}
