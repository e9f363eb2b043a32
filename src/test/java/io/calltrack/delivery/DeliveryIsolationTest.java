package io.calltrack.delivery;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.calltrack.telephony.agi.peer.FakeAsterisk;
import io.calltrack.support.Http;
import io.calltrack.support.TestServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Receivers that never answer, against the whole server: they hold up only their own deliveries, and nothing of
 * the connection pool while their requests hang.
 */
class DeliveryIsolationTest {
    static final ObjectMapper json = new ObjectMapper();
    /** Longer than any bound below: a worker stuck on a silent receiver shows as a missed bound. */
    static final String REQUEST_TIMEOUT = "60s";

    final AtomicInteger numbers = new AtomicInteger(1000);
    final AtomicInteger calls = new AtomicInteger();
    /** Per site id, the number its callers dial (as Asterisk's DNID: without the +). */
    final Map<String, String> dialled = new HashMap<>();
    TestServer server;
    Http http;
    final SilentReceiver silent = new SilentReceiver();
    final TestReceiver receiver = new TestReceiver();

    void start(Map<String, String> overrides) {
        Map<String, String> settings = new HashMap<>(Map.of("agi.fallback-dial", "PJSIP/reception",
                "tracking.default-region", "US", "outbox.poll-interval", "100ms",
                "outbox.request-timeout", REQUEST_TIMEOUT));
        settings.putAll(overrides);
        server = TestServer.start(settings);
        http = new Http(server.baseUrl());
    }

    @AfterEach
    void stop() {
        if (server != null) server.close();
        silent.close();
        receiver.close();
    }

    @Test
    void aReceiverThatNeverAnswersDoesNotDelayAnotherSitesWebhook() throws Exception {
        start(Map.of());
        String deadSite = siteWithWebhook(silent.url("/hook"));
        String liveSite = siteWithWebhook(receiver.url("/hook"));
        for (int i = 0; i < 3; i++) call(deadSite);
        await().atMost(10, TimeUnit.SECONDS).until(() -> silent.connections() >= 1);

        call(liveSite);

        TestReceiver.Received got = receiver.await(1, Duration.ofSeconds(5)).get(0);
        assertEquals("call.completed", json.readTree(got.body()).get("event").asText());
    }

    @Test
    void noPoolConnectionIsHeldWhileRequestsHang() throws Exception {
        start(Map.of("db.pool-size", "2", "outbox.workers", "4", "outbox.per-target-concurrency", "4"));
        String site = siteWithWebhook(silent.url("/hook"));
        for (int i = 0; i < 4; i++) call(site);
        await().atMost(10, TimeUnit.SECONDS).until(() -> silent.connections() >= 1);
        // a transaction held across a request sits idle for the whole request; others pause only between statements
        await("no transaction held open (and its pool connection with it) while a request hangs")
                .during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(5))
                .until(() -> transactionsIdleForOverASecond() == 0);

        await().atMost(10, TimeUnit.SECONDS).until(() -> silent.connections() == 4);
        List<CompletableFuture<Integer>> answers = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            answers.add(CompletableFuture.supplyAsync(() -> http.adminGet("/v1/sites/" + site + "/delivery-status")
                    .statusCode()));
        }
        for (CompletableFuture<Integer> a : answers) assertEquals(200, a.get(4, TimeUnit.SECONDS));
        JsonNode webhook = json.readTree(http.adminGet("/v1/sites/" + site + "/delivery-status").body())
                .at("/targets/webhook");
        assertEquals(4, webhook.get("pending").asInt(), webhook.toString());
    }

    /** The server's connections that have been in a transaction, idle, for over a second: waiting on something else. */
    private long transactionsIdleForOverASecond() throws Exception {
        try (var c = server.db().dataSource().getConnection(); var st = c.createStatement();
             var rs = st.executeQuery("""
                     SELECT count(*) FROM pg_stat_activity
                      WHERE datname = current_database() AND pid <> pg_backend_pid()
                        AND state = 'idle in transaction' AND state_change < now() - interval '1 second'""")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** A site with a pool number and a webhook to {@code url}; returns its id. */
    private String siteWithWebhook(String url) throws Exception {
        String number = "+1312555" + numbers.incrementAndGet();
        JsonNode site = json.readTree(http.adminPost("/v1/sites", """
                {"name":"Shop","timeZone":"UTC","fallbackNumber":"+12125550100","allowedOrigins":["*"]}""").body());
        String id = site.get("id").asText();
        var n = http.adminPost("/v1/sites/" + id + "/numbers", "{\"number\":\"" + number + "\",\"kind\":\"pool\"}");
        assertEquals(2, n.statusCode() / 100, n.body());
        var s = http.adminPut("/v1/sites/" + id + "/delivery-settings",
                "{\"webhookUrl\":\"" + url + "\",\"webhookSecret\":\"s3cret\"}");
        assertEquals(200, s.statusCode(), s.body());
        dialled.put(id, number.substring(1));
        return id;
    }

    /** Someone calls the site's number and talks to reception: a completed call, so a webhook. */
    private void call(String site) {
        String number = dialled.get(site);
        FakeAsterisk.call(server.app().agiPort()).script("incoming").uniqueId("1795382012." + calls.incrementAndGet())
                .dnid(number).extension(number).args(number).callerId("+16175550123")
                .dialOutcome("PJSIP/reception", "ANSWER").talks(Duration.ofSeconds(3)).run();
    }
}
