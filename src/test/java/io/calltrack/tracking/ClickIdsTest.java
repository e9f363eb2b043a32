package io.calltrack.tracking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.handler.codec.http.QueryStringDecoder;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ClickIdsTest {
    static ClickIds of(String url) {
        return ClickIds.fromQuery(new QueryStringDecoder(url).parameters());
    }

    @Test
    void everyNetworksClickIdIsReadFromTheLandingPagesUrl() {
        ClickIds ids = of("https://shop.example/?gclid=Cj0KCQ_x-1&gbraid=0AAAAA&wbraid=CkQKCQ&yclid=6812059218724716543"
                + "&fbclid=IwAR2x&msclkid=5e3b1c2d4f6a7b8c9d0e1f2a3b4c5d6e&utm_source=x");
        assertEquals(Optional.of("Cj0KCQ_x-1"), ids.gclid());
        assertEquals(Optional.of("0AAAAA"), ids.gbraid());
        assertEquals(Optional.of("CkQKCQ"), ids.wbraid());
        assertEquals(Optional.of("6812059218724716543"), ids.yclid());
        assertEquals(Optional.of("IwAR2x"), ids.fbclid());
        assertEquals(Optional.of("5e3b1c2d4f6a7b8c9d0e1f2a3b4c5d6e"), ids.msclkid());
        assertEquals(ClickIds.NONE, of("https://shop.example/sofas?utm_source=google"));
        assertTrue(of("https://shop.example/").isEmpty());
    }

    @Test
    void aValueNoNetworkWritesIsLeftOut() {
        assertEquals(ClickIds.NONE, of("https://shop.example/?gclid=&yclid=%3Cscript%3E&fbclid=a%20b"));
        assertEquals(ClickIds.NONE, of("https://shop.example/?gclid=" + "a".repeat(ClickIds.MAX_LENGTH + 1)));
        assertEquals(Optional.of("first"), of("https://shop.example/?gclid=first&gclid=second").gclid());
    }

    @Test
    void anAdNetworksClickIdWithoutUtmSourceIsThatNetworksPaidClick() {
        VisitorSession.Utm none = VisitorSession.Utm.NONE;
        assertEquals(utm("google", "cpc", null), of("/?gclid=Cj0").complete(none));
        assertEquals(utm("google", "cpc", null), of("/?wbraid=Ck").complete(none));
        assertEquals(utm("yandex", "cpc", null), of("/?yclid=123").complete(none));
        assertEquals(utm("bing", "cpc", null), of("/?msclkid=ab12").complete(none));
        assertEquals(none, of("/?fbclid=IwAR").complete(none), "Facebook tags organic links too");
        VisitorSession.Utm tagged = utm("newsletter", "email", "spring");
        assertEquals(tagged, of("/?gclid=Cj0").complete(tagged), "the advertiser's own UTM parameters win");
        assertEquals(utm("google", "display", "spring"), of("/?gclid=Cj0").complete(utm(null, "display", "spring")));
    }

    static VisitorSession.Utm utm(String source, String medium, String campaign) {
        return new VisitorSession.Utm(Optional.ofNullable(source), Optional.ofNullable(medium),
                Optional.ofNullable(campaign), Optional.empty(), Optional.empty());
    }
}
