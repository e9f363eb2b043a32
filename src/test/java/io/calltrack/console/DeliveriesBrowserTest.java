package io.calltrack.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.calltrack.delivery.TestReceiver;
import io.calltrack.reports.ReportFixture;
import io.calltrack.support.Browser;
import io.calltrack.support.Http;
import io.calltrack.support.TestServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.support.ui.Select;

/** The deliveries page in a real Chromium: settings with write-only secrets, dead letters re-sent, a viewer reads. */
class DeliveriesBrowserTest {
    private static final Path SCREENSHOTS = Path.of("target", "console-screenshots");
    static TestServer server;
    static Http http;
    static ReportFixture fx;
    static long siteId;
    static long viewedSite;
    static TestReceiver receiver;
    Browser browser;

    @BeforeAll
    static void seed() throws IOException {
        Browser.require();
        server = TestServer.start(Map.of("outbox.poll-interval", "50ms", "outbox.initial-backoff", "100ms",
                "outbox.max-attempts", "1"));
        http = new Http(server.baseUrl());
        fx = new ReportFixture(server.db().dataSource());
        siteId = fx.site("Europe/Moscow");
        viewedSite = fx.site("Europe/Moscow");
        receiver = new TestReceiver();
        ConsoleSignIn.createUser(http, "olga", "owner", "[]");
        ConsoleSignIn.createUser(http, "vera", "member",
                "[{\"siteId\":" + viewedSite + ",\"role\":\"viewer\",\"recordings\":false}]");
        Files.createDirectories(SCREENSHOTS);
    }

    @AfterAll
    static void stop() {
        if (receiver != null) receiver.close();
        if (server != null) server.close();
    }

    @BeforeEach
    void open() {
        browser = ConsoleSignIn.browser();
    }

    @AfterEach
    void close() {
        ConsoleSignIn.closeChecked(browser);
    }

    @Test
    void theOwnerSetsAWebhookAndReSendsADeadLetterOnceTheReceiverAnswers() throws Exception {
        ConsoleSignIn.open(browser, page(), "olga");
        var url = browser.await("the settings form", d -> d.findElements(By.id("delivery-webhookUrl")).isEmpty()
                ? null : d.findElement(By.id("delivery-webhookUrl")));
        assertEquals("not set", browser.text("#delivery-webhookSecret-state"));
        url.sendKeys(receiver.url("/hook"));
        browser.driver().findElement(By.id("delivery-webhookSecret")).sendKeys("a long webhook secret 1234");
        browser.driver().findElement(By.id("delivery-save")).click();
        browser.awaitText("#delivery-message", "Settings saved.");

        reload();
        browser.await("the stored URL", d -> d.findElements(By.id("delivery-webhookUrl")).size() == 1
                && d.findElement(By.id("delivery-webhookUrl")).getAttribute("value").equals(receiver.url("/hook")));
        assertEquals("", browser.attribute("#delivery-webhookSecret", "value"), "the secret is never shown");
        assertEquals("set — type a new one to replace it", browser.text("#delivery-webhookSecret-state"));
        assertFalse(browser.driver().getPageSource().contains("a long webhook secret"), "the secret is not in the page");

        // a completed call's delivery to a receiver answering 500 dies after its one attempt
        receiver.answerFromNowOn(500);
        long call = fx.call(siteId).at("2026-03-08T15:00:00Z").answered(4, 50, "target").insert();
        fx.execute("""
                INSERT INTO job (site_id, call_id, kind, target, event, state, attempts, created_at, next_attempt_at)
                VALUES (?, ?, 'webhook', 'webhook receiver', 'call.completed', 'pending', 0, now(), now())""",
                siteId, call);
        receiver.await(1, Duration.ofSeconds(20));
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> http.adminGet(
                "/v1/sites/" + siteId + "/dead-letters").body().contains("\"callId\":" + call));

        reload();
        browser.await("the dead letter", d -> d.findElements(By.cssSelector("#dead-letters tbody tr")).size() == 1);
        assertTrue(browser.text("#dead-letters .error-text").contains("500"), browser.text("#dead-letters"));
        assertEquals("1", browser.text("#delivery-status tr[data-target=webhook] .count-dead"));
        screenshot("deliveries-en");
        new Select(browser.driver().findElement(By.cssSelector("label.lang select"))).selectByValue("ru");
        browser.await("the page in Russian", d -> d.findElement(By.cssSelector("main h1")).getText().equals("Доставка"));
        screenshot("deliveries-ru");
        new Select(browser.driver().findElement(By.cssSelector("label.lang select"))).selectByValue("en");

        receiver.answerFromNowOn(200);
        browser.driver().findElement(By.cssSelector("#dead-letters button.resend")).click();
        browser.await("no dead letters", d -> d.findElements(By.id("dead-letters-none")).size() == 1);
        receiver.await(2, Duration.ofSeconds(20));
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> http.adminGet(
                "/v1/sites/" + siteId + "/deliveries").body().contains("\"status\":\"delivered\""));

        reload();
        browser.await("the delivery shown delivered", d -> d.findElements(By.cssSelector("#deliveries td.state")).stream()
                .anyMatch(e -> e.getText().equals("delivered")));
    }

    @Test
    void aViewerReadsThePageButMayNotChangeOrReSend() {
        fx.execute("""
                INSERT INTO job (site_id, call_id, kind, target, event, state, attempts, created_at, next_attempt_at,
                                 last_error)
                VALUES (?, ?, 'webhook', 'webhook receiver', 'call.completed', 'dead', 1, now(), now(), 'HTTP 500: boom')""",
                viewedSite, fx.call(viewedSite).at("2026-03-09T15:00:00Z").answered(4, 50, "target").insert());
        ConsoleSignIn.open(browser, server.baseUrl() + "/console/#/deliveries?site=" + viewedSite
                + "&from=2026-03-09&to=2026-03-09", "vera");
        browser.await("the settings and the dead letters", d -> d.findElements(By.id("delivery-webhookUrl")).size() == 1
                && d.findElements(By.cssSelector("#dead-letters tbody tr")).size() == 1);
        assertTrue(browser.text("nav").contains("Deliveries"), browser.text("nav"));
        assertTrue(browser.driver().findElements(By.id("delivery-save")).isEmpty(), "no save for a viewer");
        assertTrue(browser.driver().findElements(By.cssSelector("button.resend")).isEmpty(), "no re-send for a viewer");
        assertFalse(browser.driver().findElement(By.id("delivery-webhookUrl")).isEnabled());
        assertTrue(browser.text("#deliveries-read-only").contains("You may read these settings"));

        String file = "/v1/sites/" + viewedSite + "/exports/metrica-calls?from=2026-03-09&to=2026-03-09&client_id_type=";
        assertTrue(browser.attribute("#metrica-file", "href").endsWith(file + "CLIENT_ID"),
                browser.attribute("#metrica-file", "href"));
        new Select(browser.driver().findElement(By.id("metrica-id-type"))).selectByValue("YCLID");
        browser.await("the yclid file", d -> browser.attribute("#metrica-file", "href").endsWith(file + "YCLID"));
        assertEquals("200 attachment; filename=\"metrica-calls-" + viewedSite + "-2026-03-09-2026-03-09-yclid.csv\"",
                browser.eval("fetch(document.getElementById('metrica-file').href)"
                        + ".then(r => r.status + ' ' + r.headers.get('content-disposition'))"),
                "the viewer's own session downloads the file");
    }

    private static String page() {
        return server.baseUrl() + "/console/#/deliveries?site=" + siteId;
    }

    /** Loads the page anew (opening the same address with its fragment would not). */
    private void reload() {
        browser.driver().navigate().refresh();
    }

    private void screenshot(String name) {
        try {
            Files.write(SCREENSHOTS.resolve(name + ".png"), browser.driver().getScreenshotAs(OutputType.BYTES));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
