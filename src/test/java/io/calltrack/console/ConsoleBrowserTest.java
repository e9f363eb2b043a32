package io.calltrack.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.calltrack.reports.ReportFixture;
import io.calltrack.support.Browser;
import io.calltrack.support.Http;
import io.calltrack.support.TestServer;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/** The console in a real Chromium: the pages a user opens, on calls seeded as calltrack records them. */
class ConsoleBrowserTest {
    private static final ZoneId MOSCOW = ZoneId.of("Europe/Moscow");
    private static final Path SCREENSHOTS = Path.of("target", "console-screenshots");
    static TestServer server;
    static long siteId;
    static long targetCall;
    static Instant[] startedAt;
    static long leavingUser;
    Browser browser;

    @BeforeAll
    static void seed() throws Exception {
        Browser.require();
        server = TestServer.start(Map.of("access.login-failures-per-account", "3"));
        ReportFixture fx = new ReportFixture(server.db().dataSource());
        siteId = fx.site("Europe/Moscow");
        long google = fx.channel(siteId, "Google Ads", "dynamic");
        long direct = fx.channel(siteId, "Yandex Direct", "dynamic");
        Instant base = Instant.now().minus(1, ChronoUnit.DAYS).truncatedTo(ChronoUnit.HOURS);
        startedAt = new Instant[] {base.minus(3, ChronoUnit.HOURS), base.minus(2, ChronoUnit.HOURS), base};
        targetCall = fx.call(siteId).channel(google).campaign("spring-sale").keyword("plumber")
                .landing("https://shop.example/landing").caller("+74951234567").at(startedAt[2].toString())
                .firstTouch(direct, "brand").answered(8, 125, "target").recording("target.wav").insert();
        fx.call(siteId).channel(google).campaign("spring-sale").caller("+74951234568").at(startedAt[1].toString())
                .answered(5, 12, "non_target").insert();
        fx.call(siteId).channel(direct).campaign("brand").caller("+74951234569").at(startedAt[0].toString())
                .unanswered(30).insert();
        try (Connection c = server.db().dataSource().getConnection()) {
            execute(c, "UPDATE call SET gclid = 'gclid-777', source = 'google', channel_name = 'Google Ads', first_channel_name = 'Yandex Direct' WHERE id = ?", targetCall);
            execute(c, "INSERT INTO call_event (call_id, event_key, kind, occurred_at, detail) VALUES "
                    + "(?, 'dial-1', 'routed', ?, '{\"attempt\":1,\"destination\":\"PJSIP/101\",\"status\":\"NOANSWER\"}'),"
                    + "(?, 'dial-2', 'routed', ?, '{\"attempt\":2,\"destination\":\"PJSIP/102\",\"status\":\"ANSWER\","
                    + "\"answeredBy\":\"PJSIP/102-0001\",\"talkMs\":125000}')",
                    targetCall, Timestamp.from(startedAt[2].plusSeconds(1)), targetCall,
                    Timestamp.from(startedAt[2].plusSeconds(21)));
        }
        Path recordings = server.dataDir().resolve("recordings");
        Files.createDirectories(recordings);
        Files.write(recordings.resolve("target.wav"), silence(8000, 2));
        Files.createDirectories(SCREENSHOTS);
        Http http = new Http(server.baseUrl());
        ConsoleSignIn.createUser(http, "olga", "owner", "[]");
        ConsoleSignIn.createUser(http, "mark", "member",
                "[{\"siteId\":" + siteId + ",\"role\":\"marketer\",\"recordings\":false}]");
        leavingUser = ConsoleSignIn.createUser(http, "leaving", "member",
                "[{\"siteId\":" + siteId + ",\"role\":\"viewer\",\"recordings\":false}]");
        ConsoleSignIn.createUser(http, "forgetful", "member",
                "[{\"siteId\":" + siteId + ",\"role\":\"viewer\",\"recordings\":false}]");
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
    void close(org.junit.jupiter.api.TestInfo test) {
        screenshot("last-" + test.getTestMethod().orElseThrow().getName());
        Object errors = browser.eval("window.pageErrors");
        browser.close();
        assertEquals(List.of(), errors, "errors on the page");
    }

    @Test
    void aWrongPasswordAndTooManyAttemptsAreShownOnTheLoginPage() {
        browser.open(server.baseUrl() + "/console/");
        ConsoleSignIn.submit(browser, "forgetful", "not my password");
        browser.awaitText("#login-error", "Wrong login or password.");
        assertEquals("", browser.attribute("#password", "value"), "the password is cleared");
        screenshot("login-en");
        ConsoleSignIn.submit(browser, "forgetful", "still not it");
        browser.awaitText("#login-error", "Wrong login or password.");
        ConsoleSignIn.submit(browser, "forgetful", "nor this");
        browser.awaitText("#login-error", "Wrong login or password.");
        // the fourth within the window: the account is throttled, and even the right password waits
        ConsoleSignIn.submit(browser, "forgetful", ConsoleSignIn.PASSWORD);
        String error = browser.await("429", d -> {
            String text = d.findElement(By.id("login-error")).getText();
            return text.startsWith("Too many attempts") ? text : null;
        });
        assertTrue(error.matches("Too many attempts, try again in \\d+ s\\."), error);
        assertEquals(1, browser.driver().findElements(By.id("login-form")).size(), "still on the login page");
        assertNoCspViolation();
    }

    @Test
    void signingOutEndsTheSession() {
        ConsoleSignIn.open(browser, server.baseUrl() + "/console/#/dashboard?site=" + siteId, "olga");
        assertEquals("olga", browser.text(".who"));
        browser.driver().findElement(By.id("logout")).click();
        browser.await("the login page", d -> d.findElements(By.id("login-form")).size() == 1);
        browser.driver().navigate().refresh();
        browser.await("the login page after a reload", d -> d.findElements(By.id("login-form")).size() == 1);
        assertTrue(browser.driver().findElements(By.id("logout")).isEmpty());
    }

    @Test
    void aSessionEndedOnTheServerReturnsThePageToTheLogin() {
        ConsoleSignIn.open(browser, server.baseUrl() + "/console/#/dashboard?site=" + siteId, "leaving");
        browser.awaitText("#dash-calls", "3");
        var disabled = new Http(server.baseUrl()).adminPatch("/v1/users/" + leavingUser, "{\"disabled\":true}");
        assertEquals(200, disabled.statusCode(), disabled.body());
        browser.driver().findElement(By.cssSelector("nav a[href^='#/calls']")).click();
        browser.await("the login page", d -> d.findElements(By.id("login-form")).size() == 1);
    }

    @Test
    void aMarketerWithoutRecordingAccessGetsNoPlayer() {
        ConsoleSignIn.open(browser, server.baseUrl() + "/console/#/calls/" + targetCall + "?site=" + siteId, "mark");
        browser.await("the call's page", d -> !d.findElements(By.id("touch-last")).isEmpty());
        assertTrue(browser.driver().findElements(By.id("recording")).isEmpty(), "no audio element");
        assertTrue(browser.driver().findElements(By.id("deal-form")).isEmpty(), "deals are a lead's (calls.write)");
        assertTrue(browser.text("main").contains("No recording."), browser.text("main"));
    }

    @Test
    void theDashboardShowsTheSitesCallsByChannelAndHour() {
        ConsoleSignIn.open(browser, server.baseUrl() + "/console/#/dashboard?site=" + siteId, "olga");
        browser.awaitText("#dash-calls", "3");
        assertEquals("1", browser.text("#dash-target"));
        assertEquals("1", browser.text("#dash-unanswered"));
        List<WebElement> rows = browser.driver().findElements(By.cssSelector("#dash-channels tbody tr"));
        assertEquals(2, rows.size());
        String table = browser.text("#dash-channels");
        assertTrue(table.contains("Google Ads") && table.contains("Yandex Direct"), table);
        List<WebElement> hours = browser.driver().findElements(By.cssSelector("#dash-hours td"));
        assertEquals(24, hours.size());
        for (Instant at : startedAt) {
            int hour = at.atZone(MOSCOW).getHour();
            assertEquals("1", hours.get(hour).getAttribute("textContent"), "calls at " + hour + " h Moscow time");
        }
        assertEquals(2, browser.driver().findElements(By.cssSelector(".chart canvas")).size(),
                "the channel and hour charts are drawn");
        screenshot("dashboard-en");
        assertNoCspViolation();
    }

    @Test
    void aCallFromTheLogShowsItsAttributionAttemptsAndAPlayableRecording() {
        ConsoleSignIn.open(browser, server.baseUrl() + "/console/#/calls?site=" + siteId, "olga");
        browser.await("the call log", d -> d.findElements(By.cssSelector("#call-log tbody tr")).size() == 3);
        screenshot("calls-en");
        browser.driver().findElement(By.cssSelector("#call-log tr[data-call='" + targetCall + "'] a")).click();

        browser.await("the call's page", d -> !d.findElements(By.id("touch-last")).isEmpty());
        String last = browser.text("#touch-last");
        assertTrue(last.contains("Google Ads"), last);
        assertTrue(last.contains("campaign=spring-sale"), last);
        assertTrue(last.contains("plumber"), last);
        assertTrue(last.contains("https://shop.example/landing"), last);
        assertTrue(last.contains("gclid=gclid-777"), last);
        String first = browser.text("#touch-first");
        assertTrue(first.contains("Yandex Direct") && first.contains("campaign=brand"), first);
        List<WebElement> attempts = browser.driver().findElements(By.cssSelector("#call-timeline li"));
        assertEquals(2, attempts.size());
        assertTrue(attempts.get(0).getText().contains("PJSIP/101") && attempts.get(0).getText().contains("NOANSWER"));
        assertTrue(attempts.get(1).getText().contains("ANSWER"), attempts.get(1).getText());

        // the browser loads the file itself, and seeks in it with a range request
        browser.await("the recording's length", d -> ((Number) browser.eval(
                "document.getElementById('recording').duration || 0")).doubleValue() > 1.9);
        Object status = browser.driver().executeAsyncScript("""
                const done = arguments[0];
                fetch(document.getElementById('recording').src, {headers: {Range: 'bytes=100-199'}})
                  .then(r => r.arrayBuffer().then(b => done(r.status + ' ' + r.headers.get('Content-Range') + ' '
                      + b.byteLength)));""");
        assertEquals("206 bytes 100-199/32044 100", status);
        screenshot("call-en");
        assertNoCspViolation();
    }

    @Test
    void aDealAmountEnteredOnTheCallsPageIsStored() {
        ConsoleSignIn.open(browser, server.baseUrl() + "/console/#/calls/" + targetCall + "?site=" + siteId, "olga");
        WebElement amount = browser.await("the deal form", d -> d.findElements(By.id("deal-amount")).isEmpty() ? null
                : d.findElement(By.id("deal-amount")));
        amount.clear();
        amount.sendKeys("1500.50");
        browser.driver().findElement(By.cssSelector("#deal-form button")).click();
        browser.await("saved", d -> d.findElement(By.cssSelector("#deal-form .note")).getText().equals("Saved."));
        String stored = new Http(server.baseUrl()).adminGet("/v1/calls/" + targetCall).body();
        assertTrue(stored.contains("\"dealAmount\":1500.5"), stored);
    }

    @Test
    void theConsoleSpeaksRussianWhenSwitched() {
        ConsoleSignIn.open(browser, server.baseUrl() + "/console/#/dashboard?site=" + siteId, "olga");
        browser.awaitText("#dash-calls", "3");
        new Select(browser.driver().findElement(By.cssSelector("label.lang select"))).selectByValue("ru");
        browser.await("Russian navigation", d -> d.findElement(By.cssSelector("nav")).getText().contains("Журнал звонков"));
        assertEquals("ru", browser.eval("document.documentElement.lang"));
        assertTrue(browser.text("main").contains("Целевые звонки"), browser.text("main"));
        screenshot("dashboard-ru");
        browser.open(server.baseUrl() + "/console/#/calls/" + targetCall + "?site=" + siteId);
        browser.await("the call in Russian", d -> d.findElement(By.cssSelector("main")).getText()
                .contains("Последнее касание"));
        screenshot("call-ru");
    }

    /** The owner's whole navigation (seven pages) on a laptop's and a small laptop's width, in either language. */
    @Test
    void theNavigationFitsAt1200And1024PixelsWide() {
        ConsoleSignIn.open(browser, server.baseUrl() + "/console/#/dashboard?site=" + siteId, "olga");
        browser.awaitText("#dash-calls", "3");
        for (String lang : List.of("en", "ru")) {
            new Select(browser.driver().findElement(By.cssSelector("label.lang select"))).selectByValue(lang);
            browser.await("the navigation in " + lang, d -> lang.equals(browser.eval("document.documentElement.lang")));
            for (int width : new int[] {1200, 1024}) {
                browser.driver().manage().window().setSize(new org.openqa.selenium.Dimension(width, 800));
                browser.await("the page " + width + " px wide", d -> ((Number) browser.eval("innerWidth")).intValue()
                        <= width);
                assertEquals(7L, browser.eval("document.querySelectorAll('nav a').length"), lang);
                assertEquals(List.of(), browser.eval("[...document.querySelectorAll('nav a')].filter(a => {"
                        + " const r = a.getBoundingClientRect(), n = a.closest('nav').getBoundingClientRect();"
                        + " return a.getClientRects().length !== 1 || r.width === 0 || r.left < 0 || r.right > document.documentElement.clientWidth"
                        + " || r.right > n.right + 0.5 || r.left < n.left - 0.5; }).map(a => a.textContent)"),
                        "nav items broken over lines, cut off or outside the navigation at " + width + " px (" + lang + ")");
                assertEquals(true, browser.eval("document.documentElement.scrollWidth"
                        + " <= document.documentElement.clientWidth && [...document.querySelectorAll('nav')]"
                        + ".every(n => n.scrollWidth <= n.clientWidth)"), "overflow at " + width + " px (" + lang + ")");
                assertEquals(true, browser.eval("(() => { const mid = s => { const r = document.querySelector(s)"
                        + ".getBoundingClientRect(); return r.top + r.height / 2; };"
                        + " return ['#site-picker', '#account', '#logout'].every(s => Math.abs(mid(s) - mid('.brand')) < 6);"
                        + " })()"), "the brand, site, language, account and sign-out on one row at " + width + " px ("
                        + lang + ")");
                screenshot("nav-" + width + "-" + lang);
            }
        }
        new Select(browser.driver().findElement(By.cssSelector("label.lang select"))).selectByValue("en");
    }

    @Test
    void anInlineScriptIsNotRunByTheConsolesPage() {
        browser.open(server.baseUrl() + "/console/");
        browser.await("the page", d -> !d.findElements(By.id("login-form")).isEmpty());
        browser.eval("(() => { const s = document.createElement('script'); s.textContent = 'window.injected = 1';"
                + " document.body.appendChild(s); return true; })()");
        browser.await("the violation", d -> ((Number) browser.eval("window.cspViolations.length")).intValue() > 0);
        assertEquals(null, browser.eval("window.injected"));
    }

    private void assertNoCspViolation() {
        assertEquals(List.of(), browser.eval("window.cspViolations"));
    }

    private void screenshot(String name) {
        try {
            Files.write(SCREENSHOTS.resolve(name + ".png"), browser.driver().getScreenshotAs(OutputType.BYTES));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void execute(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) ps.setObject(i + 1, args[i]);
            ps.executeUpdate();
        }
    }

    /** A PCM WAV of silence: 16-bit mono, {@code seconds} long (44-byte header + 2 bytes a sample). */
    static byte[] silence(int rate, int seconds) {
        int data = rate * seconds * 2;
        ByteBuffer b = ByteBuffer.allocate(44 + data).order(ByteOrder.LITTLE_ENDIAN);
        b.put("RIFF".getBytes()).putInt(36 + data).put("WAVE".getBytes()).put("fmt ".getBytes()).putInt(16)
                .putShort((short) 1).putShort((short) 1).putInt(rate).putInt(rate * 2).putShort((short) 2)
                .putShort((short) 16).put("data".getBytes()).putInt(data);
        return b.array();
    }
}
