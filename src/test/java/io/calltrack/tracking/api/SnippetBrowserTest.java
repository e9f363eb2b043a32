package io.calltrack.tracking.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.calltrack.support.Browser;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The snippet in a real headless Chromium on a shop's page from another origin: the site's default number in text
 * and in a tel: link, a marked element, a Track ID placeholder.
 */
class SnippetBrowserTest {
    static final String PAGE = """
            <p id="text">Call us: (212) 555-0100</p>
            <a id="tel" href="tel:+12125550100">Call now</a>
            <span id="tid" data-calltrack-trackid></span>
            <a id="marked" data-calltrack-number href="/contact">our phone</a>""";
    static SnippetSite site;
    static String key;

    @BeforeAll
    static void start() throws Exception {
        site = new SnippetSite();
        key = site.site("+12125550100", 900, "+13125550000", "+13125550001", "+13125550002");
        site.page("/shop", key, PAGE);
        site.page("/shop/contact", key, PAGE);
    }

    @AfterAll
    static void stop() {
        if (site != null) site.close();
    }

    @Test
    void theLeasedNumberReplacesTheDefaultAndTheNextPageKeepsIt() {
        String shown;
        try (Browser visitor = Browser.desktop()) {
            visitor.open(site.url("/shop"));
            shown = visitor.await("a pool number in the text", d -> {
                String t = visitor.text("#text");
                return t.matches("Call us: \\(312\\) 555-000\\d") ? t.substring(t.length() - 1) : null;
            });
            assertEquals("tel:+1312555000" + shown, visitor.attribute("#tel", "href"));
            assertTrue(visitor.text("#tid").matches("\\d{4}"), "the Track ID is shown: " + visitor.text("#tid"));
            assertEquals("(312) 555-000" + shown, visitor.text("#marked"), "a marked element shows the number");
            assertEquals("tel:+1312555000" + shown, visitor.attribute("#marked", "href"), "and calls it");

            visitor.open(site.url("/shop/contact"));
            visitor.awaitText("#text", "Call us: (312) 555-000" + shown);
        }
        try (Browser other = Browser.desktop()) {
            other.open(site.url("/shop"));
            String theirs = other.await("a pool number", d -> other.text("#text").matches(".*\\(312\\) 555-000\\d")
                    ? other.text("#text") : null);
            assertNotEquals("Call us: (312) 555-000" + shown, theirs, "another visitor gets another number");
        }
    }

    @Test
    void theDefaultNumberStaysWhenTheApiIsDown() {
        site.down(true);
        try (Browser visitor = Browser.desktop()) {
            long before = site.tries(key);
            visitor.open(site.url("/shop"));
            visitor.await("the snippet to have tried calltrack", d -> site.tries(key) > before);
            assertEquals("Call us: (212) 555-0100", visitor.text("#text"));
            assertEquals("tel:+12125550100", visitor.attribute("#tel", "href"));
        } finally {
            site.down(false);
        }
    }
}
