package io.calltrack.tracking.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.calltrack.support.Browser;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A visitor is never shown a number they no longer hold: the site holds a number 30 s after the last heartbeat
 * (heartbeats every 10 s) and has one pool number, so the next visitor gets the same one once it is free. The page's
 * clock runs on DevTools virtual time and calltrack's on a clock the test moves: nothing waits 30 s.
 */
class SnippetSessionBrowserTest {
    static final String DEFAULT = "Call us: (212) 555-0100";
    static SnippetSite site;

    @BeforeAll
    static void start() {
        site = new SnippetSite();
    }

    @AfterAll
    static void stop() {
        if (site != null) site.close();
    }

    /** A site of its own for each test, its page at {@code path}, its one pool number +1 312 555-000{@code n}. */
    static String siteWithPage(String path, int n) throws Exception {
        String key = site.site("+12125550100", 30, "+1312555000" + n);
        site.page(path, key, """
                <p id="text">Call us: (212) 555-0100</p>
                <a id="tel" href="tel:+12125550100">Call now</a>""");
        return key;
    }

    @Test
    void aTabShownAgainAfterTheHoldDoesNotShowTheNumberSinceGivenToAnotherVisitor() throws Exception {
        String key = siteWithPage("/hidden", 1);
        String pool = "Call us: (312) 555-0001";
        try (Browser a = Browser.desktop()) {
            a.open(site.url("/hidden"));
            a.awaitText("#text", pool);
            a.hide();
            a.advance(Duration.ofSeconds(40));
            site.clock.advance(Duration.ofSeconds(40));
            JsonNode b = site.visitorStarts(key, "visitor-b");
            assertEquals("+13125550001", b.at("/number/e164").asText(), "B is shown the number A's tab showed");

            a.show();
            a.awaitText("#text", DEFAULT);
            assertEquals("tel:+12125550100", a.attribute("#tel", "href"));
            a.await("A's page to start again", d -> site.starts(key).size() == 2);
        }
    }

    /**
     * Until a session's first heartbeat calltrack holds its number only for tracking.unseen-lease-hold (2 min): a
     * visible page heartbeats within it, and a page hidden before (a tel: link tapped, a tab switched) says at once
     * that it was seen, so a real visitor keeps the full hold (15 min here) either way; a session started by a script
     * that never heartbeats gives its number back after 2 min.
     */
    @Test
    void aSeenPageHeartbeatsBeforeTheUnseenHoldEndsAndOneHiddenFirstSaysItWasSeen() throws Exception {
        String key = site.site("+12125550100", 900, "+13125550004", "+13125550005", "+13125550006");
        site.page("/seen", key, "<p id=\"text\">Call us: (212) 555-0100</p>");
        try (Browser a = Browser.desktop(); Browser b = Browser.desktop()) {
            a.open(site.url("/seen"));
            a.awaitText("#text", "Call us: (312) 555-0004");
            JsonNode script = site.visitorStarts(key, "script");
            assertEquals("+13125550005", script.at("/number/e164").asText());
            assertEquals(120, script.get("holdSeconds").asInt(), "a session not yet seen holds its number 2 min");
            assertEquals(40, script.get("heartbeatSeconds").asInt());
            a.advance(Duration.ofSeconds(40)); // the page's first heartbeat: at a third of that
            a.await("A's first heartbeat", d -> site.heartbeats(key).size() == 1);

            b.open(site.url("/seen"));
            b.awaitText("#text", "Call us: (312) 555-0006");
            b.hide(); // before its first heartbeat
            b.await("B's hidden page's heartbeat", d -> site.heartbeats(key).size() == 2);

            site.clock.advance(Duration.ofMinutes(3)); // past the unseen hold, within the site's
            assertEquals("+13125550005", site.visitorStarts(key, "visitor-c").at("/number/e164").asText(),
                    "the script's number is free again");
            assertEquals("fallback", site.visitorStarts(key, "visitor-d").get("source").asText(),
                    "A and B still hold theirs");
        }
    }

    @Test
    void aHeartbeatAnswered404StartsAgainAtOnce() throws Exception {
        String key = siteWithPage("/expired", 2);
        String pool = "Call us: (312) 555-0002";
        try (Browser a = Browser.desktop()) {
            a.open(site.url("/expired"));
            a.awaitText("#text", pool);
            // calltrack let A's number go (its clock passed the hold: a machine that slept, a restart) and gave it to B
            site.clock.advance(Duration.ofSeconds(40));
            site.visitorStarts(key, "visitor-b");

            a.advance(Duration.ofSeconds(10)); // the next heartbeat
            a.awaitText("#text", DEFAULT);
            assertEquals("tel:+12125550100", a.attribute("#tel", "href"));
            assertEquals(2, site.starts(key).size(), "the 404 was read and a session started at once");
        }
    }

    @Test
    void calltrackUnreachableForLongerThanTheHoldBringsBackTheDefaultNumberUntilItAnswersAgain() throws Exception {
        String key = siteWithPage("/offline", 3);
        String pool = "Call us: (312) 555-0003";
        try (Browser a = Browser.desktop()) {
            a.open(site.url("/offline"));
            a.awaitText("#text", pool);
            site.down(true);
            a.advance(Duration.ofSeconds(25)); // two failed heartbeats, still inside the hold
            assertEquals(pool, a.text("#text"));

            a.advance(Duration.ofSeconds(20)); // the heartbeat at 40 s: past the hold since the last answer
            a.awaitText("#text", DEFAULT);
            assertEquals("tel:+12125550100", a.attribute("#tel", "href"));

            site.down(false);
            a.advance(Duration.ofSeconds(10)); // calltrack answers again: its clock stood still, the session is live
            a.awaitText("#text", pool);
            assertEquals("tel:+13125550003", a.attribute("#tel", "href"));
        } finally {
            site.down(false);
        }
    }
}
