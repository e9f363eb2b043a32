package io.calltrack.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Drives {@code scripts/bench-agi}: sets up a site through calltrack's API (pool and static numbers, routing,
 * visitors holding pool numbers so calls are attributed), then runs {@link AgiLoad} against calltrack's FastAGI
 * port and the asterisk-java baseline at each concurrency, sampling calltrack's CPU and heap from /metrics.
 * Usage: {@code AgiBench <http base> <token> <jdbc url> <calltrack agi port> <baseline agi port> <seconds>
 * <c1,c2,..> <talk ms> [soak-seconds]}
 */
public final class AgiBench {
    private static final ObjectMapper json = new ObjectMapper();
    private static final HttpClient http = HttpClient.newHttpClient();

    public static void main(String[] args) throws Exception {
        String base = args[0];
        String token = args[1];
        String jdbcUrl = args[2];
        int calltrackPort = Integer.parseInt(args[3]);
        int baselinePort = Integer.parseInt(args[4]);
        Duration duration = Duration.ofSeconds(Integer.parseInt(args[5]));
        List<Integer> levels = List.of(args[6].split(",")).stream().map(Integer::parseInt).toList();
        Duration talk = Duration.ofMillis(Long.parseLong(args[7]));
        List<String> numbers = setUp(base, token, jdbcUrl, 30, TWO_MANAGERS).numbers();
        System.out.printf("each Dial lasts %d ms (talk time), so N channels offer at most N / %.2f s calls/s%n",
                talk.toMillis(), talk.toMillis() / 1000.0);

        for (int c : levels) {
            for (String target : List.of("calltrack", "asterisk-java")) {
                int port = target.equals("calltrack") ? calltrackPort : baselinePort;
                // a server's first run also warms its JIT: measured after 10 s it ran up to 20 % below the same
                // level measured later
                Duration warmup = Duration.ofSeconds(c == levels.get(0) ? 30 : 10);
                Sampler sampler = new Sampler(base, token);
                AgiLoad.Result r = new AgiLoad(new AgiLoad.Options("127.0.0.1", port, "incoming", c,
                        talk, warmup, duration, AgiLoad.roundRobin(numbers))).run(target);
                sampler.stop();
                System.out.println(r.summary() + (target.equals("calltrack") ? sampler.summary() : ""));
            }
        }
        if (args.length > 8) soak(base, token, calltrackPort, numbers, talk, Integer.parseInt(args[8]), levels.get(0));
    }

    private static final String TWO_MANAGERS = """
            {"departments":[{"name":"Sales","managers":[{"name":"Ann","dialString":"PJSIP/101"},
                                                        {"name":"Bob","dialString":"PJSIP/102"}]}],
             "rules":[{"name":"all","then":{"department":"Sales","strategy":"least_recently_called"}}]}""";

    /** The benchmark site: its id, its tracked numbers, and the routing as calltrack stored it (managers' ids). */
    record BenchSite(long id, List<String> numbers, JsonNode routing) {}

    /**
     * A site with 200 pool numbers and 2 static ones, a target threshold, the given routing, a month of past
     * traffic, and 150 visitors holding pool numbers.
     */
    static BenchSite setUp(String base, String token, String jdbcUrl, int targetThresholdSeconds, String routing)
            throws Exception {
        JsonNode site = call("POST", base + "/v1/sites", token, """
                {"name":"Bench","timeZone":"America/New_York","fallbackNumber":"+12125550100","allowedOrigins":["*"],
                 "targetThresholdSeconds":%d}""".formatted(targetThresholdSeconds));
        long id = site.get("id").asLong();
        List<String> numbers = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            String n = String.format("+1312555%04d", i);
            call("POST", base + "/v1/sites/" + id + "/numbers", token, "{\"number\":\"" + n + "\",\"kind\":\"pool\"}");
            numbers.add(n);
        }
        long channel = call("POST", base + "/v1/sites/" + id + "/channels", token,
                "{\"name\":\"billboard\",\"tracking\":\"static\"}").get("id").asLong();
        for (String n : List.of("+13125559001", "+13125559002")) {
            call("POST", base + "/v1/sites/" + id + "/numbers", token,
                    "{\"number\":\"" + n + "\",\"kind\":\"static\",\"channelId\":" + channel + "}");
            numbers.add(n);
        }
        JsonNode stored = call("PUT", base + "/v1/sites/" + id + "/routing", token, routing);
        PastTraffic.seed(jdbcUrl, id, 250_000);
        for (int v = 0; v < 150; v++) {
            call("POST", base + "/v1/visitor/" + site.get("publicKey").asText() + "/sessions", null,
                    "{\"clientId\":\"bench-" + v + "\",\"page\":\"https://shop.example/?utm_source=google&utm_campaign=bench\"}");
        }
        return new BenchSite(id, numbers, stored);
    }

    static void soak(String base, String token, int port, List<String> numbers, Duration talk, int seconds, int concurrency)
            throws Exception {
        System.out.printf("soak: %d concurrent channels for %d s; heap sampled every 30 s%n", concurrency, seconds);
        Sampler sampler = new Sampler(base, token);
        AgiLoad.Result r = new AgiLoad(new AgiLoad.Options("127.0.0.1", port, "incoming", concurrency,
                talk, Duration.ofSeconds(5), Duration.ofSeconds(seconds), AgiLoad.roundRobin(numbers))).run("soak");
        sampler.stop();
        System.out.println(r.summary() + sampler.summary());
        System.out.println("heap MiB every 30 s: " + sampler.heapEvery30s());
    }

    static JsonNode call(String method, String url, String token, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(body));
        if (token != null) b.header("Authorization", "Bearer " + token);
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() / 100 != 2) throw new IllegalStateException(method + " " + url + " -> " + r.statusCode() + " " + r.body());
        return json.readTree(r.body());
    }

    /** calltrack's Prometheus text; /metrics needs a token of an owner or admin (README, Security). */
    static String metrics(String base, String token, Duration timeout) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base + "/metrics")).timeout(timeout)
                .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    /** Samples calltrack's process CPU and heap from its Prometheus endpoint once a second. */
    static final class Sampler {
        private static final Pattern CPU = Pattern.compile("(?m)^process_cpu_usage (\\S+)");
        private static final Pattern HEAP = Pattern.compile("(?m)^jvm_memory_used_bytes\\{area=\"heap\"[^}]*} (\\S+)");
        private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
        private final List<Double> cpu = new ArrayList<>();
        private final List<Double> heapMiB = new ArrayList<>();

        Sampler(String base, String token) {
            timer.scheduleAtFixedRate(() -> {
                try {
                    String text = metrics(base, token, Duration.ofSeconds(20));
                    Matcher m = CPU.matcher(text);
                    if (m.find()) add(cpu, Double.parseDouble(m.group(1)));
                    double heap = 0;
                    Matcher h = HEAP.matcher(text);
                    while (h.find()) heap += Double.parseDouble(h.group(1));
                    add(heapMiB, heap / 1024 / 1024);
                } catch (Exception e) {
                    // a missed sample is only a missed sample
                }
            }, 1, 1, TimeUnit.SECONDS);
        }

        private synchronized void add(List<Double> list, double v) {
            list.add(v);
        }

        void stop() throws InterruptedException {
            timer.shutdownNow();
            timer.awaitTermination(2, TimeUnit.SECONDS);
        }

        synchronized String summary() {
            return String.format("; server CPU avg %.0f%% of 2 cores, heap avg %.0f MiB, max %.0f MiB",
                    cpu.stream().mapToDouble(d -> d).average().orElse(0) * 100,
                    heapMiB.stream().mapToDouble(d -> d).average().orElse(0),
                    heapMiB.stream().mapToDouble(d -> d).max().orElse(0));
        }

        synchronized List<Long> heapEvery30s() {
            List<Long> out = new ArrayList<>();
            for (int i = 0; i < heapMiB.size(); i += 30) out.add(Math.round(heapMiB.get(i)));
            return out;
        }
    }
}
