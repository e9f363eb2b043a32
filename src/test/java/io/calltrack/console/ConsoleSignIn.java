package io.calltrack.console;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.calltrack.support.Browser;
import io.calltrack.support.Http;
import java.util.List;
import java.util.Map;
import org.openqa.selenium.By;

/** Users made through the users API, and a browser signing in through the console's login page as a person does. */
final class ConsoleSignIn {
    static final String PASSWORD = "correct horse battery 42";

    private ConsoleSignIn() {}

    /**
     * A user ({@code role} owner, admin or member) with the grants given as JSON, e.g. {@code [{"siteId":1,...}]};
     * answers its id.
     */
    static long createUser(Http http, String login, String role, String grantsJson) {
        var r = http.adminPost("/v1/users", "{\"login\":\"" + login + "\",\"role\":\"" + role + "\",\"password\":\""
                + PASSWORD + "\",\"grants\":" + grantsJson + "}");
        if (r.statusCode() != 201 && r.statusCode() != 200) {
            throw new AssertionError("user " + login + ": " + r.statusCode() + " " + r.body());
        }
        var id = java.util.regex.Pattern.compile("\"id\":(\\d+)").matcher(r.body());
        if (!id.find()) throw new AssertionError("no id in " + r.body());
        return Long.parseLong(id.group(1));
    }

    /** Types the login and password into the login page and sends them. */
    static void submit(Browser browser, String login, String password) {
        browser.await("the login form", d -> d.findElements(By.id("login-form")).size() == 1);
        var form = browser.driver();
        form.findElement(By.id("login")).clear();
        form.findElement(By.id("login")).sendKeys(login);
        form.findElement(By.id("password")).sendKeys(password);
        form.findElement(By.cssSelector("#login-form button")).click();
    }

    /** Opens {@code url} (a console page), signs in there and waits for the signed-in shell. */
    static void open(Browser browser, String url, String login) {
        browser.open(url);
        submit(browser, login, PASSWORD);
        browser.await("signed in as " + login, d -> d.findElements(By.id("logout")).size() == 1);
    }

    /** A desktop Chromium watching its pages for errors and CSP violations ({@link #closeChecked}). */
    static Browser browser() {
        Browser browser = Browser.desktop();
        watchCsp(browser);
        return browser;
    }

    /** Closes the browser, then fails the test if a page of it threw an error or broke the CSP. */
    static void closeChecked(Browser browser) {
        Object errors = browser.eval("window.pageErrors");
        Object csp = browser.eval("window.cspViolations");
        browser.close();
        assertEquals(List.of(), errors, "errors on the page");
        assertEquals(List.of(), csp, "CSP violations");
    }

    /**
     * Records every Content-Security-Policy violation of the page in {@code window.cspViolations}, and every uncaught
     * error in {@code window.pageErrors}.
     */
    static void watchCsp(Browser browser) {
        browser.driver().executeCdpCommand("Page.addScriptToEvaluateOnNewDocument", Map.of("source", """
                window.cspViolations = [];
                document.addEventListener("securitypolicyviolation",
                  e => window.cspViolations.push(e.violatedDirective + " " + e.blockedURI));
                window.pageErrors = [];
                window.addEventListener("error", e => window.pageErrors.push(String(e.message)));
                window.addEventListener("unhandledrejection", e => window.pageErrors.push(String(e.reason)));"""));
    }
}
