package io.calltrack.tracking;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class AnalyticsIdsTest {
    @Test
    void ga4sClientIdIsTheLastTwoPartsOfTheGaCookie() {
        assertEquals(Optional.of("1234567890.1700000000"), AnalyticsIds.gaClientId("GA1.1.1234567890.1700000000"));
        assertEquals(Optional.of("1234567890.1700000000"), AnalyticsIds.gaClientId("GA1.2.1234567890.1700000000"),
                "Universal Analytics' cookie on a second-level domain");
        assertEquals(Optional.of("987654321.1650000000"), AnalyticsIds.gaClientId("GA1.3.987654321.1650000000"));
        assertEquals(Optional.of("1234567890.1700000000"), AnalyticsIds.gaClientId(" 1234567890.1700000000 "),
                "gtag's own client_id, as a page may report it");
    }

    @Test
    void aGaCookieThatIsNotOneIsIgnored() {
        for (String garbage : new String[] {"", "GA1.1", "GA1.1.abc.def", "GA2.1.123.456", "GS1.1.1700000000.1.0",
                "GA1.1.123.456.789", "GA1.1.123.456; path=/", "<script>", "1".repeat(30) + ".1"}) {
            assertEquals(Optional.empty(), AnalyticsIds.gaClientId(garbage), garbage);
        }
        assertEquals(Optional.empty(), AnalyticsIds.gaClientId(null));
    }

    @Test
    void metricasClientIdIsTheYmUidCookiesDigits() {
        assertEquals(Optional.of("1700000000123456789"), AnalyticsIds.ymClientId("1700000000123456789"));
        for (String garbage : new String[] {"", "0", "17000000001234x", "-1700000000", "1".repeat(33), "1e9"}) {
            assertEquals(Optional.empty(), AnalyticsIds.ymClientId(garbage), garbage);
        }
        assertEquals(AnalyticsIds.NONE, AnalyticsIds.fromCookies(null, null));
        assertEquals(new AnalyticsIds(Optional.of("1.2"), Optional.empty()), AnalyticsIds.fromCookies("GA1.1.1.2", "x"));
    }
}
