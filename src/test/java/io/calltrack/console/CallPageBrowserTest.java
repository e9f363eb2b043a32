package io.calltrack.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.calltrack.calls.CallTags;
import io.calltrack.platform.db.Jdbc;
import io.calltrack.recordings.Dialogue;
import io.calltrack.recordings.Side;
import io.calltrack.recordings.TranscriptRepository;
import io.calltrack.recordings.Turn;
import io.calltrack.recordings.Word;
import io.calltrack.reports.ReportFixture;
import io.calltrack.support.Browser;
import io.calltrack.support.Http;
import io.calltrack.support.TestServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.support.ui.Select;

/**
 * A lead on one call's page in a real Chromium: tags it and writes a note (both still there after a reload), reads
 * the transcript with the word a speech rule matched marked, and clicks a line to hear the recording from there.
 * A viewer sees the tags and the note but cannot change them.
 */
class CallPageBrowserTest {
    private static final Path SCREENSHOTS = Path.of("target", "console-screenshots");
    private static final double QUESTION_AT = 4.0;
    private static final ObjectMapper json = new ObjectMapper();
    static TestServer server;
    static long siteId;
    static long callId;
    static ReportFixture fx;
    static Jdbc jdbc;
    Browser browser;

    @BeforeAll
    static void seed() throws Exception {
        Browser.require();
        server = TestServer.start();
        fx = new ReportFixture(server.db().dataSource());
        siteId = fx.site("Europe/Moscow");
        callId = fx.call(siteId).caller("+74951234567").at("2026-05-04T09:00:00Z").answered(3, 10, "target")
                .recording("call-page.wav").insert();
        Path recordings = Files.createDirectories(server.dataDir().resolve("recordings"));
        Files.write(recordings.resolve("call-page.wav"), ConsoleBrowserTest.silence(8000, 10));
        jdbc = new Jdbc(server.db().dataSource());
        new TranscriptRepository(jdbc, json).save(callId, "en", 10, new Dialogue(List.of(
                turn(Side.MANAGER, 0.5, "hello thank you for calling"),
                turn(Side.CALLER, QUESTION_AT, "what is the price of the green sofa"))),
                Instant.parse("2026-05-04T09:05:00Z"));
        new CallTags(jdbc).replaceRuleTags(callId, Set.of("price request"));
        Http http = new Http(server.baseUrl());
        var rules = http.adminPut("/v1/sites/" + siteId + "/speech-rules",
                "{\"rules\": [{\"phrases\": [\"price*\"], \"side\": \"caller\", \"tag\": \"price request\"}]}");
        assertEquals(200, rules.statusCode(), rules.body());
        ConsoleSignIn.createUser(http, "lena", "member", "[{\"siteId\":" + siteId + ",\"role\":\"lead\",\"recordings\":false}]");
        ConsoleSignIn.createUser(http, "vera", "member", "[{\"siteId\":" + siteId + ",\"role\":\"viewer\",\"recordings\":false}]");
        Files.createDirectories(SCREENSHOTS);
    }

    static Turn turn(Side side, double start, String text) {
        String[] words = text.split(" ");
        List<Word> w = Arrays.stream(words).map(s -> new Word(s, start, start + 0.4, 0.9)).toList();
        return new Turn(side, start, start + words.length * 0.4, text, w);
    }

    @AfterAll
    static void stop() {
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
    void aLeadTagsAndNotesTheCallAndPlaysTheRecordingFromALineOfTheTranscript() throws Exception {
        String page = server.baseUrl() + "/console/#/calls/" + callId;
        ConsoleSignIn.open(browser, page, "lena");
        browser.await("the transcript", d -> !d.findElements(By.id("transcript")).isEmpty());
        assertTrue(browser.text("#call-tags li.rule").contains("price request"), browser.text("#call-tags"));
        assertEquals(0, browser.driver().findElements(By.cssSelector("#call-tags li.rule button")).size(),
                "a rule's tag cannot be removed");

        // the matched word is marked, with the rule's tag
        var mark = browser.driver().findElement(By.cssSelector("#transcript li[data-turn='1'] mark"));
        assertEquals("price", mark.getText());
        assertEquals("price request", mark.getAttribute("title"));
        assertTrue(browser.text("#transcript li[data-turn='1']").contains("0:04"), browser.text("#transcript"));

        // a tag by the keyboard (Enter in the field), a second by the button, and a bad one's message
        browser.driver().findElement(By.id("tag-new")).sendKeys("vip", Keys.ENTER);
        browser.await("the tag vip", d -> !d.findElements(By.cssSelector("#call-tags li.manual[data-tag='vip']")).isEmpty());
        assertEquals("", browser.attribute("#tag-new", "value"), "the field is emptied");
        browser.driver().findElement(By.id("tag-new")).sendKeys("callback");
        browser.driver().findElement(By.cssSelector("#tag-form button")).click();
        browser.await("the tag callback",
                d -> !d.findElements(By.cssSelector("#call-tags li.manual[data-tag='callback']")).isEmpty());
        browser.driver().executeScript("document.getElementById('tag-new').removeAttribute('maxlength')");
        browser.driver().findElement(By.id("tag-new")).sendKeys("x".repeat(101), Keys.ENTER);
        browser.await("the refusal", d -> !d.findElements(By.id("tag-error")).isEmpty());
        assertTrue(browser.text("#tag-error").contains("at most 100"), browser.text("#tag-error"));
        browser.driver().findElement(By.id("tag-new")).sendKeys(Keys.chord(Keys.CONTROL, "a"), Keys.BACK_SPACE);
        browser.driver().findElement(By.cssSelector("#call-tags li[data-tag='callback'] button")).click();
        browser.await("callback removed",
                d -> d.findElements(By.cssSelector("#call-tags li[data-tag='callback']")).isEmpty());

        browser.driver().findElement(By.id("note-text")).sendKeys("Wants the green sofa.\nCall back Monday.");
        browser.driver().findElement(By.cssSelector("#note-form button")).click();
        browser.awaitText("#note-form [role='status']", "Saved.");

        // a line of the transcript plays the recording from its start
        browser.await("the recording's length", d -> ((Number) browser.eval(
                "document.getElementById('recording').duration || 0")).doubleValue() > 9);
        browser.driver().findElement(By.cssSelector("#transcript li[data-turn='1'] button")).click();
        double at = browser.await("the player moved", d -> {
            double now = ((Number) browser.eval("document.getElementById('recording').currentTime")).doubleValue();
            return now >= QUESTION_AT ? now : null;
        });
        assertTrue(at < QUESTION_AT + 2, "played from the line's start, at " + at);
        assertEquals(Boolean.FALSE, browser.eval("document.getElementById('recording').paused"));
        browser.eval("document.getElementById('recording').pause()");
        screenshot("call-en");

        browser.driver().navigate().refresh();
        browser.await("the page again", d -> !d.findElements(By.id("note-text")).isEmpty());
        assertEquals("Wants the green sofa.\nCall back Monday.", browser.attribute("#note-text", "value"));
        assertEquals(List.of("vip"), browser.driver().findElements(By.cssSelector("#call-tags li.manual")).stream()
                .map(e -> e.getAttribute("data-tag")).toList());

        new Select(browser.driver().findElement(By.cssSelector("label.lang select"))).selectByValue("ru");
        browser.await("the page in Russian", d -> d.findElement(By.cssSelector("main")).getText().contains("Расшифровка"));
        browser.await("the transcript in Russian", d -> !d.findElements(By.id("transcript")).isEmpty());
        screenshot("call-ru");
    }

    @Test
    void aViewerSeesTagsAndTheNoteButCannotChangeThem() {
        long seen = fx.call(siteId).at("2026-05-04T10:00:00Z").answered(3, 10, "target").insert();
        new CallTags(jdbc).replaceRuleTags(seen, Set.of("price request"));
        new Http(server.baseUrl()).adminPut("/v1/calls/" + seen + "/note", "{\"note\": \"seen by all\"}");
        ConsoleSignIn.open(browser, server.baseUrl() + "/console/#/calls/" + seen, "vera");
        browser.await("the call", d -> !d.findElements(By.id("call-summary")).isEmpty());
        assertTrue(browser.text("#call-tags").contains("price request"), browser.text("#call-tags"));
        assertEquals("seen by all", browser.text("#call-note"));
        assertTrue(browser.driver().findElements(By.id("tag-form")).isEmpty());
        assertTrue(browser.driver().findElements(By.id("note-form")).isEmpty());
        assertTrue(browser.driver().findElements(By.cssSelector("#call-tags button")).isEmpty());
    }

    /** The whole page, not only what the window shows. */
    private void screenshot(String name) throws IOException {
        long height = (Long) browser.eval("document.documentElement.scrollHeight");
        browser.driver().manage().window().setSize(new Dimension(1200, (int) Math.min(height + 120, 6000)));
        Files.write(SCREENSHOTS.resolve(name + ".png"), browser.driver().getScreenshotAs(OutputType.BYTES));
    }
}
