package io.calltrack.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.calltrack.reports.ReportFixture;
import io.calltrack.support.Browser;
import io.calltrack.support.Http;
import io.calltrack.support.TestServer;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
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

/** The users and access page in a real Chromium: the owner manages people, tokens and reads the audit log. */
class UsersBrowserTest {
    private static final Path SCREENSHOTS = Path.of("target", "console-screenshots");
    static TestServer server;
    static Http http;
    static long siteId;
    Browser browser;

    @BeforeAll
    static void seed() throws IOException {
        Browser.require();
        server = TestServer.start();
        http = new Http(server.baseUrl());
        siteId = new ReportFixture(server.db().dataSource()).site("Europe/Moscow");
        ConsoleSignIn.createUser(http, "olga", "owner", "[]");
        Files.createDirectories(SCREENSHOTS);
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
    void theOwnerCreatesALeadAndAMarketerWithGrantsOnASite() {
        ConsoleSignIn.open(browser, usersPage(), "olga");
        createInPage("lena", "lead", false);
        createInPage("max", "marketer", true);
        assertTrue(sitesOf("lena").endsWith(": lead"), sitesOf("lena"));
        assertTrue(sitesOf("max").endsWith(": marketer, recordings"), sitesOf("max"));

        String users = http.adminGet("/v1/users").body();
        assertTrue(users.contains("\"login\":\"lena\",\"role\":\"member\""), users);
        assertTrue(users.contains("{\"siteId\":" + siteId + ",\"role\":\"lead\",\"recordings\":false}"), users);
        assertTrue(users.contains("{\"siteId\":" + siteId + ",\"role\":\"marketer\",\"recordings\":true}"), users);
        screenshot("users-en");

        // the new lead signs in with the password the owner gave
        assertEquals(200, http.post("/v1/session", "{\"login\":\"lena\",\"password\":\"" + ConsoleSignIn.PASSWORD
                + "\"}").statusCode());

        new Select(browser.driver().findElement(By.cssSelector("label.lang select"))).selectByValue("ru");
        browser.await("the page in Russian", d -> d.findElement(By.cssSelector("main h1")).getText()
                .equals("Пользователи и доступ"));
        assertTrue(browser.text("#audit").contains("Журнал действий"), browser.text("#audit"));
        screenshot("users-ru");
        new Select(browser.driver().findElement(By.cssSelector("label.lang select"))).selectByValue("en");
    }

    @Test
    void anApiTokenIsShownOnceWorksAsABearerAndStopsWhenRevoked() {
        ConsoleSignIn.open(browser, usersPage(), "olga");
        WebElement name = browser.await("the token form", d -> d.findElements(By.id("token-name")).isEmpty() ? null
                : d.findElement(By.id("token-name")));
        name.sendKeys("nightly export");
        browser.driver().findElement(By.cssSelector("#token-form button[type=submit]")).click();
        String token = browser.await("the token, shown once", d -> d.findElements(By.id("token-value")).isEmpty()
                ? null : d.findElement(By.id("token-value")).getAttribute("value"));
        assertTrue(token.startsWith("ct_"), token);
        assertEquals(200, bearer(token, "/v1/sites").statusCode());
        assertTrue(bearer(token, "/v1/session").body().contains("\"login\":\"olga\""));

        browser.driver().findElement(By.id("token-done")).click();
        browser.await("the token hidden", d -> d.findElements(By.id("token-value")).isEmpty());
        browser.driver().navigate().refresh();
        browser.await("the token listed", d -> d.findElements(By.cssSelector("#token-list tr[data-token]")).size() == 1);
        assertTrue(browser.text("#token-list").contains("nightly export"));
        assertFalse(browser.driver().getPageSource().contains(token), "the token is never shown again");

        browser.driver().findElement(By.cssSelector("#token-list button.revoke")).click();
        browser.await("the token gone", d -> d.findElements(By.cssSelector("#token-list tr[data-token]")).isEmpty());
        assertEquals(401, bearer(token, "/v1/sites").statusCode());

        filterAudit("olga", "token", null);
        awaitAudit(List.of("token.revoked", "token.created"));
    }

    @Test
    void aDisabledUsersSessionStopsWorking() {
        ConsoleSignIn.createUser(http, "temp", "member",
                "[{\"siteId\":" + siteId + ",\"role\":\"viewer\",\"recordings\":false}]");
        try (Browser temp = Browser.desktop()) {
            ConsoleSignIn.open(temp, server.baseUrl() + "/console/#/dashboard?site=" + siteId, "temp");
            ConsoleSignIn.open(browser, usersPage(), "olga");
            WebElement row = browser.await("temp's row", d -> d.findElements(By.cssSelector("tr[data-user=temp]"))
                    .isEmpty() ? null : d.findElement(By.cssSelector("tr[data-user=temp]")));
            row.findElement(By.cssSelector("button.toggle")).click();
            browser.await("temp disabled", d -> d.findElement(By.cssSelector("tr[data-user=temp] td.status"))
                    .getText().equals("disabled"));
            assertTrue(browser.text("#users-note").contains("temp disabled"), browser.text("#users-note"));

            temp.driver().findElement(By.cssSelector("nav a[href^='#/calls']")).click();
            temp.await("temp back at the login", d -> d.findElements(By.id("login-form")).size() == 1);
        }
        filterAudit("", "user.changed", null);
        awaitAudit(List.of("user.changed"));
        String detail = browser.driver().findElement(By.cssSelector("#audit-log td:last-child pre"))
                .getAttribute("textContent");
        assertTrue(detail.contains("\"disabled\": true"), detail);
    }

    @Test
    void theAuditLogIsFilteredBySiteAndPeriodAndPaged() throws Exception {
        var reclassified = http.adminPost("/v1/sites/" + siteId + "/reclassify", "{}");
        assertEquals(200, reclassified.statusCode(), reclassified.body());
        try (Connection c = server.db().dataSource().getConnection();
             PreparedStatement ps = c.prepareStatement("INSERT INTO audit_entry (at, login, action, target, "
                     + "remote_address) VALUES (?, 'robot', 'sites.reports.exported', 'export ' || ?, '192.0.2.1')")) {
            for (int i = 0; i < 120; i++) {
                ps.setTimestamp(1, Timestamp.from(Instant.now()));
                ps.setInt(2, i);
                ps.addBatch();
            }
            ps.executeBatch();
        }
        ConsoleSignIn.open(browser, usersPage(), "olga");
        filterAudit("", "", String.valueOf(siteId));
        awaitAudit(List.of("sites.reclassify.posted"));

        filterAudit("robot", "", "");
        browser.await("the first page", d -> auditActions().size() == 100);
        browser.driver().findElement(By.id("audit-more")).click();
        browser.await("the next page", d -> auditActions().size() == 120);
        assertTrue(browser.driver().findElements(By.id("audit-more")).isEmpty(), "no page after the last");

        setDate("#audit-from", LocalDate.now().plusDays(2));
        browser.driver().findElement(By.cssSelector("#audit-filters button")).click();
        browser.await("nothing in the future", d -> !d.findElements(By.cssSelector("#audit .empty")).isEmpty());
    }

    @Test
    void aMarketerOrALeadHasNoUsersPageAndTheApiRefusesThem() {
        hasNoUsersPage(browser, "mira", "marketer");
        try (Browser lead = Browser.desktop()) {
            hasNoUsersPage(lead, "leo", "lead");
        }
    }

    private void hasNoUsersPage(Browser b, String login, String role) {
        ConsoleSignIn.createUser(http, login, "member",
                "[{\"siteId\":" + siteId + ",\"role\":\"" + role + "\",\"recordings\":false}]");
        ConsoleSignIn.open(b, server.baseUrl() + "/console/#/users?site=" + siteId, login);
        b.await("the dashboard instead", d -> !d.findElements(By.cssSelector("nav a.current")).isEmpty());
        assertFalse(b.text("nav").contains("Users"), login + ": " + b.text("nav"));
        assertTrue(b.driver().findElements(By.id("user-list")).isEmpty());
        Object status = b.driver().executeAsyncScript("fetch('/v1/users').then(r => arguments[0](r.status))");
        assertEquals(403L, status, login);
    }

    @Test
    void everyUserChangesTheirOwnPasswordFromTheShell() {
        ConsoleSignIn.createUser(http, "vera", "member",
                "[{\"siteId\":" + siteId + ",\"role\":\"viewer\",\"recordings\":false}]");
        ConsoleSignIn.open(browser, server.baseUrl() + "/console/#/dashboard?site=" + siteId, "vera");
        browser.driver().findElement(By.id("account")).click();
        browser.await("the account page", d -> !d.findElements(By.id("password-form")).isEmpty());
        browser.driver().findElement(By.id("account-current")).sendKeys(ConsoleSignIn.PASSWORD);
        browser.driver().findElement(By.id("account-fresh")).sendKeys("a brand new secret 7");
        browser.driver().findElement(By.id("account-repeat")).sendKeys("a brand new secret 7");
        screenshot("account-en");
        browser.driver().findElement(By.cssSelector("#password-form button")).click();
        browser.awaitText("#password-message", "Password changed. Your other sessions have ended; this one goes on.");

        assertEquals(401, login("vera", ConsoleSignIn.PASSWORD));
        assertEquals(200, login("vera", "a brand new secret 7"));
        // this browser goes on, in its new session: a change with the new CSRF token works
        browser.driver().findElement(By.id("token-name")).sendKeys("mine");
        browser.driver().findElement(By.cssSelector("#token-form button[type=submit]")).click();
        browser.await("the token", d -> !d.findElements(By.id("token-value")).isEmpty());
        new Select(browser.driver().findElement(By.cssSelector("label.lang select"))).selectByValue("ru");
        browser.await("Russian", d -> d.findElement(By.cssSelector("main h1")).getText().startsWith("Ваша"));
        screenshot("account-ru");
        new Select(browser.driver().findElement(By.cssSelector("label.lang select"))).selectByValue("en");
    }

    private String usersPage() {
        return server.baseUrl() + "/console/#/users?site=" + siteId;
    }

    private void createInPage(String login, String role, boolean recordings) {
        var d = browser.await("the new user form", w -> w.findElements(By.id("new-login")).isEmpty() ? null : w);
        d.findElement(By.id("new-login")).sendKeys(login);
        new Select(d.findElement(By.id("new-role"))).selectByValue("member");
        d.findElement(By.id("new-password")).sendKeys(ConsoleSignIn.PASSWORD);
        new Select(d.findElement(By.id("new-role-" + siteId))).selectByValue(role);
        if (recordings) d.findElement(By.id("new-rec-" + siteId)).click();
        d.findElement(By.cssSelector("#user-form button[type=submit]")).click();
        browser.awaitText("#user-created", "User " + login + " created.");
        browser.await(login + " listed", w -> !w.findElements(By.cssSelector("tr[data-user=" + login + "]")).isEmpty());
    }

    private String sitesOf(String login) {
        return browser.text("tr[data-user=" + login + "] td.sites");
    }

    /** Sets the audit filters and waits for the log to answer them. */
    private void filterAudit(String who, String action, String site) {
        var user = browser.await("the audit filters", d -> d.findElements(By.id("audit-user")).isEmpty() ? null
                : d.findElement(By.id("audit-user")));
        user.clear();
        user.sendKeys(who);
        var what = browser.driver().findElement(By.id("audit-action"));
        what.clear();
        what.sendKeys(action);
        if (site != null) {
            new Select(browser.driver().findElement(By.id("audit-site"))).selectByValue(site);
        }
        browser.driver().findElement(By.cssSelector("#audit-filters button")).click();
    }

    private void awaitAudit(List<String> actions) {
        try {
            browser.await("the audit log showing " + actions, d -> auditActions().equals(actions));
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "; shows " + auditActions(), e);
        }
    }

    @SuppressWarnings("unchecked")
    private List<String> auditActions() {
        return (List<String>) browser.eval("Array.from(document.querySelectorAll('#audit-log tbody td.action'), "
                + "e => e.textContent)");
    }

    private void setDate(String css, LocalDate date) {
        browser.driver().executeScript("const e = document.querySelector(arguments[0]); e.value = arguments[1];"
                + " e.dispatchEvent(new Event('input', {bubbles: true}));", css, date.toString());
    }

    private static java.net.http.HttpResponse<String> bearer(String token, String path) {
        HttpRequest.Builder b = http.builder(path).GET().header("Authorization", "Bearer " + token);
        return http.send(b, false);
    }

    private static int login(String login, String password) {
        return http.post("/v1/session", "{\"login\":\"" + login + "\",\"password\":\"" + password + "\"}").statusCode();
    }

    private void screenshot(String name) {
        try {
            Files.write(SCREENSHOTS.resolve(name + ".png"), browser.driver().getScreenshotAs(OutputType.BYTES));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
