package io.calltrack.console;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.calltrack.support.Browser;
import io.calltrack.support.Http;
import io.calltrack.support.TestServer;
import io.calltrack.telephony.agi.peer.FakeAsterisk;
import io.calltrack.telephony.ami.peer.AmiPeer;
import io.calltrack.telephony.ami.peer.AsteriskCall;
import io.calltrack.telephony.ami.peer.AsteriskCall.Chan;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.TextStyle;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/**
 * A call-center lead's day in a real Chromium: builds a routing rule in the editor, checks it with "who gets this
 * call?", then a call rings through the FastAGI test peer and ends on the AMI test peer, and the lead finds it in the
 * call log with its class and plays its recording. A marketer gets no routing page and a 403 from its API.
 */
class LeadJourneyBrowserTest {
    private static final ZoneId ZONE = ZoneId.of("Europe/Moscow");
    private static final Path SCREENSHOTS = Path.of("target", "console-screenshots");
    private static final String NUMBER = "+13125550001";
    private static final String CALLER = "+16175550123";
    private static final ObjectMapper json = new ObjectMapper();
    static AmiPeer ami;
    static TestServer server;
    static Http http;
    static long siteId;
    Browser browser;

    @BeforeAll
    static void seed() throws Exception {
        Browser.require();
        ami = new AmiPeer("calltrack", "s3cret");
        server = TestServer.start(Map.of("ami.host", "127.0.0.1", "ami.port", String.valueOf(ami.port()),
                "ami.secret", "s3cret", "agi.fallback-dial", "PJSIP/reception"));
        ami.awaitLogin();
        ami.awaitChannelListing();
        http = new Http(server.baseUrl());
        siteId = json.readTree(http.adminPost("/v1/sites", """
                {"name":"Shop","timeZone":"Europe/Moscow","fallbackNumber":"+12125550100"}""").body()).get("id").asLong();
        http.adminPost("/v1/sites/" + siteId + "/numbers", "{\"number\":\"" + NUMBER + "\",\"kind\":\"pool\"}");
        var r = http.adminPut("/v1/sites/" + siteId + "/routing", """
                {"departments":[{"name":"Sales","managers":[{"name":"Ann","dialString":"PJSIP/101"},
                                                            {"name":"Bob","dialString":"PJSIP/102"}]}]}""");
        assertEquals(200, r.statusCode(), r.body());
        ConsoleSignIn.createUser(http, "lena", "member", "[{\"siteId\":" + siteId + ",\"role\":\"lead\",\"recordings\":false}]");
        ConsoleSignIn.createUser(http, "mark", "member",
                "[{\"siteId\":" + siteId + ",\"role\":\"marketer\",\"recordings\":false}]");
        Files.createDirectories(SCREENSHOTS);
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
        if (ami != null) ami.close();
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
    void aLeadBuildsARuleChecksItAndPlaysTheRecordingOfTheCallItRouted() throws Exception {
        ConsoleSignIn.open(browser, server.baseUrl() + "/console/#/routing?site=" + siteId, "lena");
        browser.await("the routing page", d -> !d.findElements(By.id("rule-form")).isEmpty());
        assertTrue(browser.text("#site-now").contains("Europe/Moscow"), browser.text("#site-now"));
        assertTrue(browser.text("#departments").contains("PJSIP/101"), browser.text("#departments"));
        assertTrue(browser.text("#no-rules").contains("Add the first rule"));

        // a schedule the server refuses: the message is at the hours field
        String today = LocalDate.now(ZONE).getDayOfWeek().getDisplayName(TextStyle.SHORT, Locale.ROOT)
                .toUpperCase(Locale.ROOT);
        type("#rule-name", "Sales today");
        click("#rule-form input[name='day'][value='" + today + "']");
        type("#rule-schedule-hours", "9-18");
        new Select(find("#rule-then-strategy")).selectByValue("ring_all");
        click("#add-step");
        type("#rule-then-overflow-0-voicemail", "100@default");
        click("#save-rule");
        browser.await("the error at the hours field", d -> !d.findElements(By.id("rule-schedule-hours-error")).isEmpty());
        assertTrue(browser.text("#rule-schedule-hours-error").contains("'9-18' is not HH:MM-HH:MM"),
                browser.text("#rule-schedule-hours-error"));
        assertEquals("true", browser.attribute("#rule-schedule-hours", "aria-invalid"));
        screenshot("routing-error-en");

        find("#rule-schedule-hours").clear();
        type("#rule-schedule-hours", "00:00-24:00");
        click("#save-rule");
        browser.await("the saved rule", d -> d.findElements(By.cssSelector("#rules li[data-rule='1']")).size() == 1);
        assertTrue(browser.text("#rules").contains("Sales today"), browser.text("#rules"));
        JsonNode stored = json.readTree(http.adminGet("/v1/sites/" + siteId + "/rules").body()).get(0);
        assertEquals(today, stored.at("/schedule/days/0").asText(), stored.toString());
        assertEquals("ring_all", stored.at("/then/strategy").asText(), stored.toString());
        assertEquals("100@default", stored.at("/then/overflow/0/voicemail").asText(), stored.toString());

        // who gets this call? today at 10:00 site time
        type("#sim-number", NUMBER);
        type("#sim-caller", CALLER);
        browser.driver().executeScript("const i = document.getElementById('sim-at'); i.value = arguments[0];"
                + " i.dispatchEvent(new Event('input', {bubbles: true}));", LocalDate.now(ZONE) + "T10:00");
        click("#simulate-form button");
        browser.await("the answer", d -> !d.findElements(By.id("sim-result")).isEmpty());
        assertEquals("Sales today", browser.text("#sim-rule"));
        assertTrue(browser.text("#sim-local").contains("10:00"), browser.text("#sim-local"));
        List<WebElement> attempts = browser.driver().findElements(By.cssSelector("#sim-attempts li"));
        assertEquals(2, attempts.size(), browser.text("#sim-attempts"));
        assertTrue(attempts.get(0).getText().contains("PJSIP/101 & PJSIP/102"), attempts.get(0).getText());
        assertTrue(attempts.get(1).getText().contains("voicemail"), attempts.get(1).getText());
        screenshot("routing-en");

        // the call: FastAGI at ring time (the rule's ring-all), AMI for the rest; Asterisk's MixMonitor wrote the file
        String id = "1796000001.1";
        FakeAsterisk.Transcript t = FakeAsterisk.call(server.app().agiPort()).script("incoming").uniqueId(id)
                .dnid("13125550001").extension("13125550001").args("13125550001").callerId(CALLER)
                .dialOutcome("PJSIP/101&PJSIP/102", "ANSWER").talks(Duration.ofSeconds(90)).run();
        assertTrue(t.commands().contains("EXEC Dial \"PJSIP/101&PJSIP/102,20\""), t.commands().toString());
        new AsteriskCall(ami, Instant.now()).answeredCall(
                new Chan("PJSIP/trunk-00000031", id, id, CALLER, "calltrack-incoming", "13125550001"),
                new Chan("PJSIP/101-00000032", "1796000001.2", id, "101", "from-internal", "s"), "b-31", 5, 90);
        JsonNode call = await("the call completed").atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(50))
                .until(() -> json.readTree(http.adminGet("/v1/calls?site=" + siteId).body()).path("items").path(0),
                        c -> c.path("state").asText().equals("completed"));
        Path recording = Path.of(call.get("recordingPath").asText());
        Files.createDirectories(recording.getParent());
        Files.write(recording, ConsoleBrowserTest.silence(8000, 2));

        browser.driver().findElement(By.cssSelector("nav a[href^='#/calls']")).click();
        String row = "#call-log tr[data-call='" + call.get("id").asText() + "']";
        browser.await("the call in the log", d -> !d.findElements(By.cssSelector(row)).isEmpty());
        assertTrue(browser.text(row).contains("target"), browser.text(row));
        click(row + " a");
        browser.await("the recording's length", d -> ((Number) browser.eval(
                "(document.getElementById('recording') || {}).duration || 0")).doubleValue() > 1.9);
        Object statuses = browser.eval("performance.getEntriesByType('resource')"
                + ".filter(e => e.name.includes('/recording')).map(e => e.responseStatus)");
        assertTrue(((List<?>) statuses).contains(206L), "the audio element's requests answered " + statuses);

        new Select(find("label.lang select")).selectByValue("ru");
        browser.open(server.baseUrl() + "/console/#/routing?site=" + siteId);
        browser.await("the routing page in Russian", d -> d.findElement(By.cssSelector("main")).getText()
                .contains("Кому попадёт этот звонок?"));
        screenshot("routing-ru");
    }

    @Test
    void aMarketerHasNoRoutingPageAndItsApiRefusesTheirChanges() {
        ConsoleSignIn.open(browser, server.baseUrl() + "/console/#/routing?site=" + siteId, "mark");
        browser.await("the dashboard instead", d -> !d.findElements(By.id("dash-calls")).isEmpty()
                || !d.findElements(By.cssSelector("main .empty")).isEmpty());
        assertTrue(browser.driver().findElements(By.cssSelector("nav a[href^='#/routing']")).isEmpty(),
                browser.text("nav"));
        assertTrue(browser.driver().findElements(By.id("rule-form")).isEmpty());
        Object answer = browser.driver().executeAsyncScript("""
                const [site, done] = arguments;
                fetch('/v1/session').then(r => r.json()).then(s => fetch('/v1/sites/' + site + '/rules', {
                    method: 'POST', headers: {'Content-Type': 'application/json', 'X-CSRF-Token': s.csrfToken},
                    body: JSON.stringify({name: 'x', then: {department: 'Sales'}})}))
                  .then(r => r.text().then(b => done(r.status + ' ' + b)));""", siteId);
        assertTrue(String.valueOf(answer).startsWith("403 ") && String.valueOf(answer).contains("lead"),
                String.valueOf(answer));
    }

    private WebElement find(String css) {
        return browser.driver().findElement(By.cssSelector(css));
    }

    private void click(String css) {
        find(css).click();
    }

    private void type(String css, String text) {
        find(css).sendKeys(text);
    }

    /** The whole page, not only what the window shows. */
    private void screenshot(String name) throws IOException {
        long height = (Long) browser.eval("document.documentElement.scrollHeight");
        browser.driver().manage().window().setSize(new Dimension(1200, (int) Math.min(height + 120, 6000)));
        Files.write(SCREENSHOTS.resolve(name + ".png"), browser.driver().getScreenshotAs(OutputType.BYTES));
    }
}
