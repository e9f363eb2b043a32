package io.calltrack.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.calltrack.support.Browser;
import io.calltrack.support.Http;
import io.calltrack.support.TestServer;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/** The owner of a fresh installation sets up tracking in the console: a site, channels, numbers, the snippet. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OwnerSetupBrowserTest {
    private static final Path SCREENSHOTS = Path.of("target", "console-screenshots");
    private static final ObjectMapper JSON = new ObjectMapper();
    static TestServer server;
    static Http http;
    Browser browser;

    @BeforeAll
    static void start() throws Exception {
        Browser.require();
        server = TestServer.start();
        http = new Http(server.baseUrl());
        Files.createDirectories(SCREENSHOTS);
        ConsoleSignIn.createUser(http, "olga", "owner", "[]");
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

    /** First: the installation has no site yet. */
    @Test
    @Order(1)
    void anOwnerWithNoSitesCreatesASiteItsNumbersAndSeesTheSnippetCallIn() throws Exception {
        ConsoleSignIn.open(browser, server.baseUrl() + "/console/", "olga");
        browser.await("the empty shell", d -> d.findElement(By.tagName("main")).getText().contains("No sites yet"));
        browser.driver().findElement(By.cssSelector("nav a[href^='#/tracking']")).click();

        // the first site
        browser.await("the new-site form", d -> !d.findElements(By.id("site-new")).isEmpty());
        type("site-new-name", "Sofa Shop");
        type("site-new-zone", "Europe/Moscow");
        type("site-new-fallback", "+7 495 123-45-00");
        type("site-new-origins", "https://shop.example");
        click("site-new-submit");
        browser.await("the site's setup", d -> d.findElement(By.tagName("h1")).getText()
                .equals("Tracking setup: Sofa Shop"));
        assertEquals("Sofa Shop", new Select(browser.driver().findElement(By.id("site-picker")))
                .getFirstSelectedOption().getText(), "the shell knows the new site");
        browser.await("the empty number list", d -> !d.findElements(By.id("numbers-empty")).isEmpty());
        assertTrue(browser.text("#numbers-empty").contains("No numbers yet"), browser.text("#numbers-empty"));
        assertTrue(browser.text("#channels-empty").contains("No channels yet"));

        // channels: one recognised by UTM, one static with a number of its own
        type("channel-name", "Google Ads");
        type("channel-utm-source", "google");
        click("channel-submit");
        browser.await("the first channel", d -> d.findElements(By.cssSelector("#channels tbody tr")).size() == 1);
        type("channel-name", "Billboard");
        new Select(browser.driver().findElement(By.id("channel-tracking"))).selectByValue("static");
        click("channel-submit");
        browser.await("the second channel", d -> d.findElements(By.cssSelector("#channels tbody tr")).size() == 2);
        assertTrue(browser.text("#channels").contains("utm_source=google"), browser.text("#channels"));

        // a static number for the billboard
        new Select(browser.driver().findElement(By.id("number-kind"))).selectByValue("static");
        browser.await("the channel choice", d -> !d.findElements(By.id("number-channel")).isEmpty());
        new Select(browser.driver().findElement(By.id("number-channel"))).selectByVisibleText("Billboard");
        type("number-value", "+7 495 123-45-10");
        click("number-submit");
        browser.await("the static number", d -> d.findElements(By.cssSelector("#numbers tbody tr")).size() == 1);

        // a pool from a pasted list: one bad line refuses the list and says which and why
        type("bulk-text", "+7 495 123-45-21\n+7 495 123-45-22\nnot a number\n+7 495 123-45-23");
        click("bulk-add");
        browser.await("the refused line", d -> !d.findElements(By.cssSelector("#bulk-errors tbody tr")).isEmpty());
        List<WebElement> refused = browser.driver().findElements(By.cssSelector("#bulk-errors tbody tr"));
        assertEquals(1, refused.size());
        assertEquals("3", refused.get(0).getAttribute("data-row"));
        assertTrue(refused.get(0).getText().contains("not a number"), refused.get(0).getText());
        assertTrue(browser.text("#bulk-outcome").startsWith("Nothing was added"), browser.text("#bulk-outcome"));
        assertEquals(1, browser.driver().findElements(By.cssSelector("#numbers tbody tr")).size());
        type("bulk-text", "+7 495 123-45-21\n+7 495 123-45-22\n+7 495 123-45-23");
        click("bulk-add");
        browser.awaitText("#bulk-outcome", "3 numbers added.");
        browser.await("all four numbers", d -> d.findElements(By.cssSelector("#numbers tbody tr")).size() == 4);
        assertEquals("3 in the pool, 1 static.", browser.text("#numbers-summary"));

        // the snippet, copied with the site's key
        JsonNode site = JSON.readTree(http.adminGet("/v1/sites").body()).get(0);
        String key = site.get("publicKey").asText();
        browser.driver().executeCdpCommand("Browser.grantPermissions", Map.of("origin", server.baseUrl(),
                "permissions", List.of("clipboardReadWrite", "clipboardSanitizedWrite")));
        click("snippet-copy");
        browser.awaitText("#snippet-status", "Copied.");
        String copied = (String) browser.driver().executeAsyncScript(
                "navigator.clipboard.readText().then(arguments[0], e => arguments[0]('failed: ' + e))");
        assertEquals("<script src=\"" + server.baseUrl() + "/snippet.js?site=" + key + "\" async></script>", copied);

        // not installed, until the snippet calls in from the allowed origin
        assertTrue(browser.text("#install-status").startsWith("Not installed yet"), browser.text("#install-status"));
        var visit = http.send(http.builder("/v1/visitor/" + key + "/sessions").header("Origin", "https://shop.example")
                .header("User-Agent", Browser.DESKTOP).POST(HttpRequest.BodyPublishers.ofString(
                        "{\"clientId\":\"visitor-1\",\"page\":\"https://shop.example/sofas?utm_source=google\"}")),
                false);
        assertEquals(200, visit.statusCode(), visit.body());
        click("install-refresh");
        browser.await("installed", d -> d.findElement(By.id("install-status")).getText().startsWith("Installed"));
        assertTrue(browser.text("#install-pages").contains("https://shop.example/sofas"), browser.text("#install-pages"));
        screenshot("tracking-en");

        new Select(browser.driver().findElement(By.cssSelector(".lang select"))).selectByValue("ru");
        browser.await("Russian", d -> d.findElement(By.tagName("h1")).getText()
                .equals("Настройка отслеживания: Sofa Shop"));
        assertTrue(browser.text("#install-status").startsWith("Установлен"), browser.text("#install-status"));
        screenshot("tracking-ru");

        // what the console made, as the API has it
        long siteId = site.get("id").asLong();
        assertEquals("Europe/Moscow", site.get("timeZone").asText());
        assertEquals("+74951234500", site.get("fallbackNumber").asText());
        assertEquals("https://shop.example", site.at("/allowedOrigins/0").asText());
        JsonNode channels = JSON.readTree(http.adminGet("/v1/sites/" + siteId + "/channels").body());
        assertEquals(2, channels.size());
        JsonNode google = find(channels, "name", "Google Ads");
        assertEquals("dynamic", google.get("tracking").asText());
        assertEquals("google", google.get("utmSource").asText());
        long billboard = find(channels, "name", "Billboard").get("id").asLong();
        JsonNode numbers = JSON.readTree(http.adminGet("/v1/sites/" + siteId + "/numbers").body());
        assertEquals(4, numbers.size());
        JsonNode fixed = find(numbers, "e164", "+74951234510");
        assertEquals("static", fixed.get("kind").asText());
        assertEquals(billboard, fixed.get("channelId").asLong());
        for (String pool : List.of("+74951234521", "+74951234522", "+74951234523")) {
            assertEquals("pool", find(numbers, "e164", pool).get("kind").asText());
        }

        // a pool number edited in place from the keyboard: Escape cancels, a bad number is said at its field
        new Select(browser.driver().findElement(By.cssSelector(".lang select"))).selectByValue("en");
        long edited = find(numbers, "e164", "+74951234523").get("id").asLong();
        String field = "number-" + edited + "-";
        browser.driver().findElement(By.id(field + "edit")).sendKeys(Keys.ENTER);
        browser.await("the number's field focused", d -> (field + "number").equals(browser.eval("document.activeElement.id")));
        browser.driver().switchTo().activeElement().sendKeys(Keys.ESCAPE);
        browser.await("the edit cancelled, focus back on Edit", d -> d.findElements(By.id(field + "form")).isEmpty()
                && (field + "edit").equals(browser.eval("document.activeElement.id")));
        browser.driver().switchTo().activeElement().sendKeys(Keys.ENTER);
        browser.await("the form again", d -> (field + "number").equals(browser.eval("document.activeElement.id")));
        type(field + "number", "12345");
        browser.driver().findElement(By.id(field + "number")).sendKeys(Keys.ENTER);
        browser.await("the refusal at the number", d -> !d.findElements(By.id(field + "number-error")).isEmpty());
        assertTrue(browser.text("#" + field + "number-error").contains("not a valid phone number"),
                browser.text("#" + field + "number-error"));
        assertEquals("true", browser.attribute("#" + field + "number", "aria-invalid"));
        assertEquals(field + "number-error", browser.attribute("#" + field + "number", "aria-describedby"));
        screenshot("tracking-number-edit-en");
        type(field + "number", "+7 495 123-45-29");
        new Select(browser.driver().findElement(By.id(field + "kind"))).selectByValue("static");
        browser.await("the channel choice", d -> !d.findElements(By.id(field + "channel")).isEmpty());
        new Select(browser.driver().findElement(By.id(field + "channel"))).selectByVisibleText("Billboard");
        browser.driver().findElement(By.id(field + "number")).sendKeys(Keys.ENTER);
        browser.await("the number saved", d -> !d.findElements(By.id("number-saved")).isEmpty());
        browser.await("its row", d -> !d.findElements(By.cssSelector("#numbers tr[data-number='+74951234529']")).isEmpty());
        assertTrue(browser.text("#numbers tr[data-number='+74951234529']").contains("Billboard"),
                browser.text("#numbers"));
        JsonNode now = find(JSON.readTree(http.adminGet("/v1/sites/" + siteId + "/numbers").body()), "id",
                String.valueOf(edited));
        assertEquals("+74951234529", now.get("e164").asText());
        assertEquals(billboard, now.get("channelId").asLong());
    }

    @Test
    @Order(2)
    void aLeadHasNoTrackingSetupAndAMarketerChangesChannelsButNotTheSettings() throws Exception {
        var created = http.adminPost("/v1/sites", "{\"name\":\"Kitchens\",\"timeZone\":\"UTC\","
                + "\"fallbackNumber\":\"+74951230000\",\"allowedOrigins\":[\"https://kitchens.example\"]}");
        long siteId = JSON.readTree(created.body()).get("id").asLong();
        ConsoleSignIn.createUser(http, "lena" + siteId, "member",
                "[{\"siteId\":" + siteId + ",\"role\":\"lead\",\"recordings\":false}]");
        ConsoleSignIn.createUser(http, "max" + siteId, "member",
                "[{\"siteId\":" + siteId + ",\"role\":\"marketer\",\"recordings\":false}]");

        ConsoleSignIn.open(browser, server.baseUrl() + "/console/#/dashboard?site=" + siteId, "lena" + siteId);
        browser.await("the dashboard", d -> !d.findElements(By.cssSelector("nav a")).isEmpty());
        assertTrue(browser.driver().findElements(By.cssSelector("nav a[href^='#/tracking']")).isEmpty(),
                "no tracking setup for a lead");
        browser.close();
        browser = ConsoleSignIn.browser();

        ConsoleSignIn.open(browser, server.baseUrl() + "/console/#/tracking?site=" + siteId, "max" + siteId);
        browser.await("the site's setup", d -> !d.findElements(By.id("channel-form")).isEmpty());
        assertTrue(browser.driver().findElements(By.id("site-new-open")).isEmpty(), "no new site for a marketer");
        assertTrue(!browser.driver().findElement(By.id("site-name")).isEnabled(), "the settings are read-only");
        type("channel-name", "Yandex Direct");
        type("channel-utm-source", "yandex");
        click("channel-submit");
        browser.await("the channel", d -> d.findElements(By.cssSelector("#channels tbody tr")).size() == 1);
        assertEquals(1, JSON.readTree(http.adminGet("/v1/sites/" + siteId + "/channels").body()).size());
    }

    private void type(String id, String text) {
        WebElement e = browser.driver().findElement(By.id(id));
        e.clear();
        e.sendKeys(text);
    }

    private void click(String id) {
        browser.driver().findElement(By.id(id)).click();
    }

    private static JsonNode find(JsonNode list, String field, String value) {
        for (JsonNode n : list) if (value.equals(n.get(field).asText())) return n;
        throw new AssertionError("no " + field + "=" + value + " in " + list);
    }

    private void screenshot(String name) {
        try {
            Files.write(SCREENSHOTS.resolve(name + ".png"), browser.driver().getScreenshotAs(OutputType.BYTES));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
