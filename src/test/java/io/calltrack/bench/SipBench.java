package io.calltrack.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Drives {@code scripts/bench-sip}: seeds calltrack as {@link AgiBench} does, with the two managers dialled by SIP
 * URI (sipp phones answering OPTIONS), then offers the same sipp redirect scenario to calltrack and to Kamailio
 * (a stateless redirect) back to back at each rate, and prints both side by side with the ratio.
 * Usage: {@code SipBench <http base> <token> <jdbc url> <calltrack sip port> <calltrack pid>,<its postmaster pid>
 * <kamailio port>
 * <kamailio pid> <ann uri> <bob uri> <seconds> <r1,r2,..> <scenario> <work dir>}
 */
public final class SipBench {
    private static final HttpClient http = HttpClient.newHttpClient();
    /** How long sipp waits for a final response before it fails the call. */
    private static final int RECV_TIMEOUT_MS = 5000;
    private static final long TICKS_PER_SECOND = 100; // USER_HZ on Linux

    public static void main(String[] args) throws Exception {
        String base = args[0];
        String token = args[1];
        String jdbcUrl = args[2];
        String[] calltrackPids = args[4].split(",");
        Server calltrack = new Server("calltrack", Integer.parseInt(args[3]), Long.parseLong(calltrackPids[0]),
                Long.parseLong(calltrackPids[1]));
        Server kamailio = new Server("Kamailio", Integer.parseInt(args[5]), Long.parseLong(args[6]), -1);
        String ann = args[7];
        String bob = args[8];
        int seconds = Integer.parseInt(args[9]);
        List<Integer> rates = Arrays.stream(args[10].split(",")).map(Integer::parseInt).toList();
        Path scenario = Path.of(args[11]).toAbsolutePath();
        Path work = Path.of(args[12]);

        Path numbers = callers(work, AgiBench.setUp(base, token, jdbcUrl, 30, """
                {"departments":[{"name":"Sales","managers":[{"name":"Ann","sipUri":"%s"},{"name":"Bob","sipUri":"%s"}]}],
                 "rules":[{"name":"all","then":{"department":"Sales","strategy":"least_recently_called"}}]}"""
                .formatted(ann, bob)).numbers());
        // a cold JIT measures low (AgiBench's first level ran up to 20 % below the same level measured later)
        System.out.println("warming calltrack up: 20 s at 200 INVITE/s (not measured)");
        sipp(calltrack, 200, 20, scenario, numbers, work.resolve("warmup"));

        List<String[]> rows = new ArrayList<>();
        for (int rate : rates) {
            Result ct = run(calltrack, base, token, rate, seconds, scenario, numbers, work);
            Result kam = run(kamailio, null, null, rate, seconds, scenario, numbers, work);
            rows.add(row(rate, ct, kam));
        }
        print(seconds, rows);
    }

    /**
     * One rate, both servers side by side. The targets: calltrack completes at least 95 % of what Kamailio
     * completes, with no failed call up to 500/s, and no probed manager marked unreachable.
     */
    private static String[] row(int rate, Result ct, Result kam) {
        double ratio = kam.perSecond() == 0 ? 0 : ct.perSecond() / kam.perSecond();
        List<String> missed = new ArrayList<>();
        if (ratio < 0.95) missed.add("ratio");
        if (rate <= 500 && ct.failed() > 0) missed.add("failed calls");
        if (!ct.unreachable().startsWith("0 of")) missed.add("managers unreachable");
        return new String[] {String.valueOf(rate), String.format("%.1f", ct.perSecond()),
                String.format("%.1f", kam.perSecond()), String.format("%.2f", ratio), String.valueOf(ct.failed()),
                String.valueOf(kam.failed()), ms(ct.p50()) + " / " + ms(ct.p99()), ms(kam.p50()) + " / " + ms(kam.p99()),
                String.format("%.0f %% + %.0f %%", ct.cpuServer(), ct.cpuDatabase()),
                String.format("%.0f %%", kam.cpuServer()), ct.unreachable(),
                missed.isEmpty() ? "met" : "missed: " + String.join(", ", missed)};
    }

    private static String ms(long value) {
        return value < 0 ? "-" : value == 0 ? "<1" : String.valueOf(value);
    }

    /** {@code pid}: the server's process (with its worker processes); {@code databasePid} its PostgreSQL, or -1. */
    record Server(String name, int port, long pid, long databasePid) {}

    /**
     * One server at one rate: completed calls per second of the run (first INVITE to last 302), failed calls (no
     * 302 naming the managers within 5 s), INVITE-to-302 percentiles in ms, CPU in % of one core (calltrack's
     * PostgreSQL apart), and for calltrack which probed managers were marked unreachable meanwhile.
     */
    record Result(long failed, double perSecond, long p50, long p99, double cpuServer,
                  double cpuDatabase, String unreachable) {}

    /** sipp's injection file: field0 the dialled number (without +), field1 a caller; sequential rows. */
    private static Path callers(Path work, List<String> dialled) throws IOException {
        Random random = new Random(7);
        List<String> lines = new ArrayList<>(List.of("SEQUENTIAL"));
        for (int i = 0; i < 5000; i++) {
            lines.add(dialled.get(i % dialled.size()).substring(1) + ";1646555" + String.format("%04d", random.nextInt(3000)));
        }
        Path file = work.resolve("callers.csv");
        Files.write(file, lines);
        return file;
    }

    private static Result run(Server server, String calltrackBase, String token, int rate, int seconds, Path scenario,
                              Path numbers, Path work) throws Exception {
        Thread.sleep(3000); // the previous run's tail (retransmissions, the database's writes) settles
        Path dir = work.resolve(server.name() + "-" + rate);
        ReachabilityWatch watch = calltrackBase == null ? null : new ReachabilityWatch(calltrackBase, token);
        long t0 = System.nanoTime();
        Map<Long, Long> cpu0 = ticks(server.pid());
        Map<Long, Long> db0 = ticks(server.databasePid());
        sipp(server, rate, seconds, scenario, numbers, dir);
        Map<Long, Long> cpu1 = ticks(server.pid());
        Map<Long, Long> db1 = ticks(server.databasePid());
        double wall = (System.nanoTime() - t0) / 1e9;
        String unreachable = watch == null ? "-" : watch.stop();

        Map<String, String> stats = lastStats(dir);
        long ok = Long.parseLong(stats.get("SuccessfulCall(C)"));
        long failed = Long.parseLong(stats.get("FailedCall(C)"));
        long[] times = responseTimes(dir);
        Arrays.sort(times);
        double span = lastResponseSeconds(dir);
        double cpuServer = percent(sum(cpu1) - sum(cpu0), wall);
        double cpuDatabase = server.databasePid() < 0 ? -1 : percent(sum(db1) - sum(db0), wall);
        Result r = new Result(failed, span > 0 ? ok / span : 0, percentile(times, 50), percentile(times, 99),
                cpuServer, cpuDatabase, unreachable);
        System.out.printf("%s at %d INVITE/s: %d completed, %d failed, %.1f/s%n", server.name(), rate, ok, failed,
                r.perSecond());
        return r;
    }

    private static double percent(long ticks, double wallSeconds) {
        return 100.0 * ticks / TICKS_PER_SECOND / wallSeconds;
    }

    private static void sipp(Server server, int rate, int seconds, Path scenario, Path numbers, Path dir)
            throws Exception {
        Files.createDirectories(dir);
        List<String> command = List.of("sipp", "127.0.0.1:" + server.port(), "-sf", scenario.toString(),
                "-inf", numbers.toAbsolutePath().toString(), "-i", "127.0.0.1", "-p", String.valueOf(freeUdpPort()), "-t", "u1",
                "-r", String.valueOf(rate), "-rp", "1000", "-m", String.valueOf((long) rate * seconds),
                "-l", String.valueOf(rate * 10), "-recv_timeout", String.valueOf(RECV_TIMEOUT_MS),
                "-timeout", (seconds + 60) + "s", "-nostdin", "-trace_stat", "-stf", "stats.csv", "-fd", "1",
                "-trace_rtt", "-rtt_freq", "1", "-trace_err", "-error_file", "errors.log");
        Process sipp = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("sipp.out").toFile()).start();
        if (!sipp.waitFor(seconds + 90L, TimeUnit.SECONDS)) {
            sipp.destroyForcibly();
            throw new IllegalStateException("sipp did not stop within its -timeout; see " + dir);
        }
    }

    /** sipp's own port: never its default 5060, where another run's late retransmissions would find it. */
    private static int freeUdpPort() throws IOException {
        try (java.net.DatagramSocket s = new java.net.DatagramSocket(0, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** The final line of sipp's statistics file, by column name. */
    private static Map<String, String> lastStats(Path dir) throws IOException {
        List<String> lines = Files.readAllLines(dir.resolve("stats.csv"));
        String[] names = lines.get(0).split(";");
        String[] values = lines.get(lines.size() - 1).split(";");
        Map<String, String> out = new TreeMap<>();
        for (int i = 0; i < Math.min(names.length, values.length); i++) out.put(names[i], values[i]);
        return out;
    }

    private static Stream<String[]> rtt(Path dir) throws IOException {
        Path file;
        try (Stream<Path> files = Files.list(dir)) {
            file = files.filter(f -> f.getFileName().toString().endsWith("_rtt.csv")).findFirst().orElse(null);
        }
        if (file == null) return Stream.empty();
        return Files.readAllLines(file).stream().skip(1).map(l -> l.split(";")).filter(f -> f.length >= 2);
    }

    /** INVITE to 302 of every successful call, in ms (sipp's clock resolution). */
    private static long[] responseTimes(Path dir) throws IOException {
        return rtt(dir).mapToLong(f -> Math.round(Double.parseDouble(f[1]))).toArray();
    }

    /** When the last 302 arrived, in seconds from sipp's start: completed/s is measured over this span. */
    private static double lastResponseSeconds(Path dir) throws IOException {
        return rtt(dir).mapToDouble(f -> Double.parseDouble(f[0])).max().orElse(0) / 1000;
    }

    private static long percentile(long[] sorted, int p) {
        if (sorted.length == 0) return -1;
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)];
    }

    /** CPU ticks (user + system) of the process and each of its descendants, by pid. */
    private static Map<Long, Long> ticks(long pid) {
        Map<Long, Long> out = new TreeMap<>();
        if (pid < 0) return out;
        ProcessHandle.of(pid).ifPresent(p -> Stream.concat(Stream.of(p), p.descendants())
                .forEach(h -> readTicks(h.pid()).ifPresent(t -> out.put(h.pid(), t))));
        return out;
    }

    private static java.util.Optional<Long> readTicks(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            // fields after the command name (which may contain spaces) start at state: utime is 14th, stime 15th
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return java.util.Optional.of(Long.parseLong(f[11]) + Long.parseLong(f[12]));
        } catch (IOException | RuntimeException gone) {
            return java.util.Optional.empty();
        }
    }

    private static long sum(Map<Long, Long> ticks) {
        return ticks.values().stream().mapToLong(Long::longValue).sum();
    }

    /**
     * Polls calltrack's {@code calltrack_sip_manager_reachable} gauges every 100 ms during a run: which managers the
     * OPTIONS prober marked unreachable, and for how long.
     */
    static final class ReachabilityWatch {
        private static final Pattern GAUGE =
                Pattern.compile("(?m)^calltrack_sip_manager_reachable\\{manager=\"([^\"]+)\"[^}]*} (\\S+)");
        private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
        private final Map<String, Integer> downSamples = new TreeMap<>();
        private int samples;

        ReachabilityWatch(String base, String token) {
            timer.scheduleAtFixedRate(() -> {
                try {
                    String text = AgiBench.metrics(base, token, Duration.ofSeconds(1));
                    Matcher m = GAUGE.matcher(text);
                    synchronized (this) {
                        samples++;
                        while (m.find()) {
                            downSamples.merge(m.group(1), m.group(2).startsWith("0") ? 1 : 0, Integer::sum);
                        }
                    }
                } catch (Exception e) {
                    // a missed sample is only a missed sample
                }
            }, 0, 100, TimeUnit.MILLISECONDS);
        }

        /** "0 of 2", or "1 of 2 (1.3 s)" with the longest time one was down. */
        String stop() throws InterruptedException {
            timer.shutdownNow();
            timer.awaitTermination(2, TimeUnit.SECONDS);
            synchronized (this) {
                long down = downSamples.values().stream().filter(n -> n > 0).count();
                int longest = downSamples.values().stream().mapToInt(Integer::intValue).max().orElse(0);
                String of = down + " of " + downSamples.size();
                return samples == 0 ? "no samples" : down == 0 ? of : of + String.format(" (%.1f s)", longest / 10.0);
            }
        }
    }

    private static void print(int seconds, List<String[]> rows) {
        String[] head = {"offered/s", "completed/s calltrack", "completed/s Kamailio", "ratio", "failed calltrack",
                "failed Kamailio", "p50 / p99 ms calltrack", "p50 / p99 ms Kamailio", "CPU calltrack + its PostgreSQL",
                "CPU Kamailio", "managers unreachable", "targets"};
        System.out.printf("%nsipp INVITE -> 100 -> 302 -> ACK over UDP, %d s per run, calltrack then Kamailio at each "
                + "rate; CPU in %% of one core; p50/p99 from INVITE to 302 (sipp's ms clock)%n", seconds);
        System.out.println("| " + String.join(" | ", head) + " |");
        System.out.println("|" + "---|".repeat(head.length));
        for (String[] r : rows) System.out.println("| " + String.join(" | ", r) + " |");
    }
}
