package io.calltrack.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.calltrack.delivery.AnalyticsMatch.MetricaIdType;
import org.junit.jupiter.api.Test;

class MetricaCallsTest {
    static final String UPLOAD = "https://api-metrika.yandex.net/management/v1/counter/42/offline_conversions/upload_calls";

    @Test
    void theUploadsClientIdTypeIsTheOneOfItsIdColumn() {
        assertEquals(UPLOAD + "?client_id_type=CLIENT_ID", MetricaCalls.uploadUrl(UPLOAD, MetricaIdType.CLIENT_ID));
        assertEquals(UPLOAD + "?client_id_type=YCLID",
                MetricaCalls.uploadUrl(UPLOAD + "?client_id_type=CLIENT_ID", MetricaIdType.YCLID));
        assertEquals(UPLOAD + "?comment=calltrack&new_goal_name=call&client_id_type=YCLID",
                MetricaCalls.uploadUrl(UPLOAD + "?comment=calltrack&client_id_type=USER_ID&new_goal_name=call",
                        MetricaIdType.YCLID));
        assertEquals(UPLOAD + "?client_id_type=CLIENT_ID", MetricaCalls.uploadUrl(UPLOAD + "?", MetricaIdType.CLIENT_ID));
    }
}
