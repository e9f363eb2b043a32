package io.calltrack.tracking;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Which arrival of a returning visitor takes their session's calls: the last non-direct click. */
class TouchTest {
    static final Instant T0 = Instant.parse("2026-03-02T10:00:00Z");

    /** An arrival on {@code url}, its UTM parameters and click ids read from it as the visitor API reads them. */
    static Touch arrival(String url) {
        return TrackingFixture.visitTo("visitor", url, null).arrival(T0);
    }

    @Test
    void aNewPaidClickTakesOverFromAnOrganicOrDirectVisit() {
        Touch organic = arrival("https://shop.example/");
        assertTrue(arrival("https://shop.example/?utm_source=google&utm_campaign=spring").replaces(organic));
        assertTrue(arrival("https://shop.example/?gclid=Cj0KCQ").replaces(organic), "auto-tagged Google Ads");
        assertTrue(arrival("https://shop.example/?yclid=123").replaces(organic), "Yandex Direct");
        assertTrue(arrival("https://shop.example/?fbclid=IwAR").replaces(organic), "a click id is a click");
    }

    @Test
    void aDirectVisitOrAPageOfTheSiteNeverTakesOverFromAClick() {
        Touch paid = arrival("https://shop.example/sofas?utm_source=google&utm_medium=cpc&utm_campaign=spring");
        assertFalse(arrival("https://shop.example/").replaces(paid));
        assertFalse(arrival("https://shop.example/contact").replaces(paid));
        assertFalse(arrival("https://shop.example/?utm_term=sofa").replaces(paid), "a keyword alone is no campaign");
    }

    @Test
    void reloadingTheLandingPageRepeatsTheClickAndAnotherAdIsANewOne() {
        Touch paid = arrival("https://shop.example/sofas?utm_source=google&utm_campaign=spring&gclid=A1");
        assertFalse(arrival("https://shop.example/sofas?utm_source=google&utm_campaign=spring&gclid=A1").replaces(paid));
        assertFalse(arrival("https://shop.example/chairs?utm_source=google&utm_campaign=spring&gclid=A1").replaces(paid),
                "the same click, another page of it");
        assertTrue(arrival("https://shop.example/sofas?utm_source=google&utm_campaign=spring&gclid=B2").replaces(paid),
                "the same ad clicked again");
        assertTrue(arrival("https://shop.example/?utm_source=google&utm_campaign=summer").replaces(paid));
        assertTrue(arrival("https://shop.example/?utm_source=newsletter&utm_medium=email").replaces(paid));
    }
}
