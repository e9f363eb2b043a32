package io.calltrack.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.calltrack.support.Browser;
import io.calltrack.support.Http;
import io.calltrack.telephony.ami.AmiFixture;
import io.calltrack.telephony.ami.peer.AsteriskCall;
import io.calltrack.telephony.ami.peer.AsteriskCall.Chan;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.support.ui.Select;

/**
 * The dashboard's calls right now, in a real Chromium: a call the AMI peer rings and answers appears and goes without
 * a reload, and a hidden page asks the server nothing until it is shown again.
 */
class LiveCallsBrowserTest {
    private static final Path SCREENSHOTS = Path.of("target", "console-screenshots");
    /** The page's poll interval (dashboard.js LIVE_POLL_MS). */
    private static final long POLL_MS = 5000;
    private static final String LIVE_REQUESTS = "performance.getEntriesByType('resource')"
            + ".filter(e => e.name.includes('/v1/calls/live'))";

    AmiFixture f;
    Browser browser;

    @BeforeEach
    void start() throws Exception {
        Browser.require();
        f = new AmiFixture();
        ConsoleSignIn.createUser(new Http(f.baseUrl()), "olga", "owner", "[]");
        Files.createDirectories(SCREENSHOTS);
        browser = ConsoleSignIn.browser();
    }

    @AfterEach
    void stop() {
        try {
            ConsoleSignIn.closeChecked(browser);
        } finally {
            f.close();
        }
    }

    @Test
    void aCallAppearsWhileItRingsAndTalksAndGoesWhenItEnds() throws IOException {
        ConsoleSignIn.open(browser, f.baseUrl() + "/console/#/dashboard?site=" + f.siteId, "olga");
        browser.awaitText("#live-none", "No calls right now.");

        Instant start = Instant.now().minusSeconds(90);
        Chan caller = AmiFixture.caller("1795500000.1", "+15550000077");
        Chan anna = AmiFixture.manager("101", "00000201", "1795500000.2", caller.linkedid());
        long id = f.open(caller, start);
        AsteriskCall call = new AsteriskCall(f.peer, start);
        call.newchannel(caller);
        call.dialBegin(caller, anna, "101");
        String row = "#live-calls tr[data-call='" + id + "']";
        browser.await("the ringing call", d -> !d.findElements(By.cssSelector(row)).isEmpty()
                && "ringing".equals(browser.text(row + " .state")));
        assertEquals("+15551000", browser.text(row + " .number"));
        assertEquals("+15550000077", browser.text(row + " .caller"));
        assertTrue(browser.text(row + " .duration").matches("1:[3-5]\\d"),
                "rang since 90 s ago: " + browser.text(row + " .duration"));

        call.tick(5);
        call.dialEnd(caller, anna, "ANSWER");
        call.bridge("b1795500000", caller, anna);
        browser.await("the call talking to Anna", d -> "talking".equals(browser.text(row + " .state"))
                && "Anna".equals(browser.text(row + " .manager")));
        screenshot("dashboard-live-en");
        new Select(browser.driver().findElement(By.cssSelector("label.lang select"))).selectByValue("ru");
        browser.await("the page in Russian", d -> browser.text(row + " .state").equals("разговор"));
        screenshot("dashboard-live-ru");
        new Select(browser.driver().findElement(By.cssSelector("label.lang select"))).selectByValue("en");

        call.tick(30);
        call.hangup(caller, 16, "Normal Clearing");
        call.hangup(anna, 16, "Normal Clearing");
        f.awaitCompleted(id);
        browser.awaitText("#live-none", "No calls right now.");
        assertEquals("/console/", browser.eval("location.pathname"), "no reload");
    }

    @Test
    void aHiddenPageAsksForNothingAndAsksAtOnceWhenShown() throws Exception {
        ConsoleSignIn.open(browser, f.baseUrl() + "/console/#/dashboard?site=" + f.siteId, "olga");
        browser.awaitText("#live-none", "No calls right now.");
        browser.await("a second poll", d -> ((Number) browser.eval(LIVE_REQUESTS + ".length")).intValue() >= 2);
        browser.eval("(document.addEventListener('visibilitychange', () => {"
                + " if (document.visibilityState === 'hidden') window.hiddenAt = performance.now(); }), true)");

        browser.hide();
        Thread.sleep(POLL_MS + 1500); // absence of requests is only seen by waiting longer than the interval
        assertEquals(0L, browser.eval(LIVE_REQUESTS + ".filter(e => e.startTime > window.hiddenAt).length"),
                "requests while hidden");

        browser.eval("(window.shownAt = performance.now(), true)"); // the page asks in its own visibilitychange
        browser.show();
        double asked = ((Number) browser.await("a request once shown", d -> browser.eval(LIVE_REQUESTS
                + ".filter(e => e.startTime > window.shownAt).map(e => e.startTime - window.shownAt)[0]"))).doubleValue();
        assertTrue(asked < POLL_MS / 2.0, "asked " + asked + " ms after being shown, not at once");
    }

    private void screenshot(String name) throws IOException {
        Files.write(SCREENSHOTS.resolve(name + ".png"), browser.driver().getScreenshotAs(OutputType.BYTES));
    }
}
