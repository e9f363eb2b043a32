package io.calltrack.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.calltrack.telephony.ami.peer.AmiPeer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;

/**
 * Drives {@code scripts/bench-calls}: calls against calltrack the way Asterisk makes them, FastAGI and AMI together
 * ({@link SimulatedAsterisk}, with the AMI peer inside this process), then judges calltrack only by what a user
 * sees: the call rows (state, class, talk_seconds, manager_id, incomplete), read every 50 ms.
 *
 * <p>Phases: a warm-up (not judged), idle calls one a second (the idle time to the first Dial), bursts of calls
 * spread evenly over a few seconds, then a bounded wait for the outcomes. Reported: calls offered and completed,
 * wrong outcomes (class, talk seconds off by more than 1 s, manager) and missing ones (still open, or closed as
 * incomplete), outcome lag (from the moment the call ended in the simulation to its row being completed), time from
 * the AGI connect to the first EXEC Dial idle and in the bursts, AMI logoffs by the peer (writetimeout), and
 * calltrack's CPU per call (utime + stime of its process over the bursts).
 *
 * <p>Usage: {@code CallsBench <http base> <token> <jdbc url> <calltrack agi port> <ami port> <calltrack pid>
 * <clock ticks per s> <idle calls> <burst calls> <burst seconds> <bursts> <talk seconds> <wait seconds> <ami read>}
 */
public final class CallsBench {
    static final String AMI_USER = "calltrack";
    static final String AMI_SECRET = "bench-secret";
    static final int THRESHOLD_SECONDS = 3;
    /** Four managers as Local channels (like the captures), ringing 4 s before Dial gives up on one. */
    static final String ROUTING = """
            {"departments":[{"name":"Sales","managers":[
                {"name":"Ann","dialString":"Local/2001@managers","ringTimeoutSeconds":4},
                {"name":"Bob","dialString":"Local/2002@managers","ringTimeoutSeconds":4},
                {"name":"Cy","dialString":"Local/2003@managers","ringTimeoutSeconds":4},
                {"name":"Di","dialString":"Local/2004@managers","ringTimeoutSeconds":4}]}],
             "rules":[{"name":"all","then":{"department":"Sales","strategy":"least_recently_called"}}]}""";

    private final AgiBench.BenchSite site;
    private final SimulatedAsterisk asterisk;
    private final CallRows rows;
    private final CallPlan.Mix mix;
    private final Map<String, Long> managers = new HashMap<>();
    private long nextCaller = 5_550_000;
    private int nextNumber;

    private CallsBench(AgiBench.BenchSite site, SimulatedAsterisk asterisk, CallRows rows, CallPlan.Mix mix) {
        this.site = site;
        this.asterisk = asterisk;
        this.rows = rows;
        this.mix = mix;
        for (JsonNode d : site.routing().get("departments")) {
            for (JsonNode m : d.get("managers")) managers.put(m.get("dialString").asText(), m.get("id").asLong());
        }
    }

    public static void main(String[] args) throws Exception {
        String base = args[0];
        String token = args[1];
        String jdbcUrl = args[2];
        int agiPort = Integer.parseInt(args[3]);
        int amiPort = Integer.parseInt(args[4]);
        long pid = Long.parseLong(args[5]);
        int ticksPerSecond = Integer.parseInt(args[6]);
        int idleCalls = Integer.parseInt(args[7]);
        int burstCalls = Integer.parseInt(args[8]);
        double burstSeconds = Double.parseDouble(args[9]);
        int bursts = Integer.parseInt(args[10]);
        Duration talk = Duration.ofSeconds(Integer.parseInt(args[11]));
        Duration wait = Duration.ofSeconds(Integer.parseInt(args[12]));
        Set<String> read = Set.of(args[13].split(","));

        AmiPeer.Account account = new AmiPeer.Account(read, Duration.ofMillis(100));
        try (AmiPeer peer = new AmiPeer(AMI_USER, AMI_SECRET, account, amiPort)) {
            long setUp = System.nanoTime();
            AgiBench.BenchSite site = AgiBench.setUp(base, token, jdbcUrl, THRESHOLD_SECONDS, ROUTING);
            System.out.printf(Locale.ROOT, "site set up with a month of past traffic in %.0f s%n", (System.nanoTime() - setUp) / 1e9);
            awaitAmi(peer);
            System.out.printf(Locale.ROOT, "AMI peer: user %s read=%s writetimeout=100 ms; site threshold %d s; "
                    + "talk %d s; mix 55%% talk, 15%% 1-s talk, 10%% no answer then answer, 10%% caller gives up, "
                    + "10%% manager hangs up%n", AMI_USER, String.join(",", read), THRESHOLD_SECONDS, talk.toSeconds());
            try (SimulatedAsterisk asterisk = new SimulatedAsterisk(peer, "127.0.0.1", agiPort);
                 CallRows rows = new CallRows(jdbcUrl, site.id())) {
                CallsBench bench = new CallsBench(site, asterisk, rows, new CallPlan.Mix(12, talk));
                bench.run(peer, pid, ticksPerSecond, idleCalls, burstCalls, burstSeconds, bursts, wait);
            }
        }
    }

    /** calltrack retries AMI with back-off while the peer was not up yet: give it time to log in and reconcile. */
    static void awaitAmi(AmiPeer peer) throws InterruptedException {
        for (int i = 0; ; i++) {
            try {
                peer.awaitLogin();
                break;
            } catch (AssertionError e) {
                if (i == 3) throw e;
            }
        }
        peer.awaitChannelListing();
    }

    /** One judged call: what the simulation did and what calltrack should record. */
    private record Judged(String phase, CompletableFuture<SimulatedAsterisk.Result> result) {}

    private void run(AmiPeer peer, long pid, int ticksPerSecond, int idleCalls, int burstCalls, double burstSeconds,
                     int bursts, Duration wait) throws Exception {
        long begun = System.nanoTime();
        log(begun, "warm-up: 60 calls in 10 s (not judged)");
        List<CompletableFuture<SimulatedAsterisk.Result>> warm = new ArrayList<>();
        spread(60, 10, () -> warm.add(start(false)));
        CompletableFuture.allOf(warm.toArray(CompletableFuture[]::new)).get(3, TimeUnit.MINUTES);

        List<Judged> judged = new ArrayList<>();
        log(begun, "idle: " + idleCalls + " calls, one a second");
        long idleCpu = ProcessCpu.ticks(pid);
        spread(idleCalls, idleCalls, () -> judged.add(new Judged("idle", start(true))));
        awaitEnded(judged);
        idleCpu = ProcessCpu.ticks(pid) - idleCpu;

        long burstCpu = ProcessCpu.ticks(pid);
        for (int b = 1; b <= bursts; b++) {
            String phase = "burst " + b;
            int from = judged.size();
            log(begun, phase + ": " + burstCalls + " calls in " + burstSeconds + " s");
            spread(burstCalls, burstSeconds, () -> judged.add(new Judged(phase, start(true))));
            awaitEnded(judged.subList(from, judged.size()));
            if (b < bursts) Thread.sleep(5_000);
        }
        List<String> callers = judged.stream().map(j -> j.result().join().callerNumber()).toList();
        Instant lastEnd = judged.stream().map(j -> j.result().join().ended()).max(Instant::compareTo).orElseThrow();
        Instant deadline = lastEnd.plus(wait);
        log(begun, "every call has ended; waiting up to " + wait.toSeconds() + " s after the last for the outcomes");
        while (!rows.allCompleted(callers) && Instant.now().isBefore(deadline)) Thread.sleep(CallRows.POLL_MS);
        burstCpu = ProcessCpu.ticks(pid) - burstCpu;
        log(begun, rows.allCompleted(callers) ? "all outcomes are in" : "stopped waiting");

        report(judged, peer, idleCpu / (double) ticksPerSecond, burstCpu / (double) ticksPerSecond, idleCalls,
                burstCalls * bursts, burstCalls, burstSeconds);
    }

    private static void log(long begun, String what) {
        System.out.printf(Locale.ROOT, "[%5.1f s] %s%n", (System.nanoTime() - begun) / 1e9, what);
    }

    /** Starts {@code count} calls evenly over {@code seconds}, each at its time. */
    static void spread(int count, double seconds, Runnable start) {
        long t0 = System.nanoTime();
        for (int i = 0; i < count; i++) {
            long due = t0 + (long) (i * seconds * 1e9 / count);
            for (long now; (now = System.nanoTime()) < due; ) LockSupport.parkNanos(due - now);
            start.run();
        }
    }

    private static void awaitEnded(List<Judged> calls) throws Exception {
        CompletableFuture.allOf(calls.stream().map(Judged::result).toArray(CompletableFuture[]::new))
                .get(5, TimeUnit.MINUTES);
    }

    /** The next call of the mix to one of the site's numbers, from a caller of its own; its row watched if judged. */
    private CompletableFuture<SimulatedAsterisk.Result> start(boolean judged) {
        String caller = "+1617" + (nextCaller++);
        String tracked = site.numbers().get(nextNumber++ % site.numbers().size());
        if (judged) rows.expect(caller);
        return asterisk.call(mix.next(), caller, tracked);
    }

    private void report(List<Judged> judged, AmiPeer peer, double idleCpuSeconds, double burstCpuSeconds,
                        int idleCalls, int burstTotal, int burstCalls, double burstSeconds) throws Exception {
        Histogram dialIdle = new Histogram(3);
        Histogram dialBurst = new Histogram(3);
        Histogram lagIdle = new Histogram(3);
        Histogram lagBurst = new Histogram(3);
        int completed = 0;
        int wrongClass = 0;
        int wrongTalk = 0;
        int wrongManager = 0;
        int open = 0;
        int incomplete = 0;
        int absent = 0;
        int simErrors = 0;
        int wrong = 0;
        List<String> examples = new ArrayList<>();
        List<String> notSeen = judged.stream().map(j -> j.result().join())
                .filter(r -> rows.completed(r.callerNumber()).isEmpty()).map(SimulatedAsterisk.Result::callerNumber).toList();
        Map<String, CallRows.Row> now = notSeen.isEmpty() ? Map.of() : rows.current(notSeen);
        for (Judged j : judged) {
            SimulatedAsterisk.Result r = j.result().join();
            boolean idle = j.phase().equals("idle");
            if (r.error() != null) {
                simErrors++;
                if (examples.size() < 12) examples.add(j.phase() + " " + r.callerNumber() + ": " + r.error());
            }
            if (r.firstDialNanos() > 0) (idle ? dialIdle : dialBurst).recordValue(r.firstDialNanos() / 1000);
            CallRows.Row row = rows.completed(r.callerNumber()).orElse(now.get(r.callerNumber()));
            if (row == null) {
                absent++;
                continue;
            }
            if (!"completed".equals(row.state())) {
                open++;
                continue;
            }
            if (row.incomplete()) {
                incomplete++;
                if (examples.size() < 12) examples.add(describe(j, r, row, "closed as incomplete"));
                continue;
            }
            completed++;
            if (row.seen() != null) {
                (idle ? lagIdle : lagBurst).recordValue(Math.max(1, Duration.between(r.ended(), row.seen()).toNanos() / 1000));
            }
            String problem = "";
            String truthClass = r.plan().truthClass(THRESHOLD_SECONDS);
            if (!truthClass.equals(row.callClass())) {
                wrongClass++;
                problem += " class";
            }
            double talk = r.plan().truthTalkSeconds();
            if (row.talkSeconds() == null || Math.abs(row.talkSeconds() - talk) > 1) {
                wrongTalk++;
                problem += " talk";
            }
            int answered = r.plan().answeredAttempt();
            Long manager = answered < 0 || answered >= r.dialled().size() ? null : managers.get(r.dialled().get(answered));
            if (!Objects.equals(manager, row.managerId())) {
                wrongManager++;
                problem += " manager";
            }
            if (!problem.isEmpty()) {
                wrong++;
                if (examples.size() < 12) examples.add(describe(j, r, row, "wrong" + problem));
            }
        }
        int offered = judged.size();
        System.out.printf(Locale.ROOT, "idle: %d calls, one a second; bursts: %d x %d calls in %.1f s (%.0f calls/s)%n",
                idleCalls, burstTotal / Math.max(1, burstCalls), burstCalls, burstSeconds, burstCalls / burstSeconds);
        System.out.printf(Locale.ROOT, "calls offered %d, outcomes completed %d; wrong %d (class %d, talk seconds off by > 1 s %d, "
                + "manager %d); missing %d (still open %d, closed as incomplete %d, never recorded %d); simulation errors %d%n",
                offered, completed, wrong, wrongClass, wrongTalk, wrongManager, open + incomplete + absent, open,
                incomplete, absent, simErrors);
        System.out.printf(Locale.ROOT, "outcome lag (call ended -> row completed): idle p50 %s p99 %s; bursts p50 %s p99 %s max %s%n",
                ms(lagIdle, 50), ms(lagIdle, 99), ms(lagBurst, 50), ms(lagBurst, 99), ms(lagBurst, 100));
        System.out.printf(Locale.ROOT, "AGI connect -> first EXEC Dial: idle p50 %s p99 %s; bursts p50 %s p99 %s max %s; "
                + "burst/idle p50 %.1fx, p99 %.1fx (target <= 2x)%n", ms(dialIdle, 50), ms(dialIdle, 99), ms(dialBurst, 50),
                ms(dialBurst, 99), ms(dialBurst, 100), ratio(dialBurst, dialIdle, 50), ratio(dialBurst, dialIdle, 99));
        System.out.printf(Locale.ROOT, "AMI: logged off by the peer (writetimeout) %d times; logins %d%n",
                peer.writeTimeoutLogoffs(), peer.logins());
        System.out.printf(Locale.ROOT, "calltrack CPU (utime+stime): idle %.1f ms per call; bursts and their outcomes %.1f ms per call "
                + "(%.1f s for %d calls)%n", idleCpuSeconds * 1000 / idleCalls, burstCpuSeconds * 1000 / burstTotal,
                burstCpuSeconds, burstTotal);
        rows.failure().ifPresent(f -> System.out.println("call-row poll failed at least once: " + f));
        if (!examples.isEmpty()) {
            System.out.println("examples:");
            examples.forEach(e -> System.out.println("  " + e));
        }
        System.out.println(wrong == 0 && open + incomplete + absent == 0 ? "RESULT: no wrong or missing outcomes"
                : "RESULT: wrong or missing outcomes");
    }

    private String describe(Judged j, SimulatedAsterisk.Result r, CallRows.Row row, String what) {
        int answered = r.plan().answeredAttempt();
        return String.format(Locale.ROOT, "%s %s %s (%s): expected %s, talk %.1f s, manager %s; row: %s, talk %s s, "
                        + "ring %s s, manager %s, incomplete %s", j.phase(), r.callerNumber(), what, r.plan().kind(),
                r.plan().truthClass(THRESHOLD_SECONDS), r.plan().truthTalkSeconds(),
                answered < 0 || answered >= r.dialled().size() ? null : managers.get(r.dialled().get(answered)),
                row.callClass(), row.talkSeconds(), row.ringSeconds(), row.managerId(), row.incomplete());
    }

    /** A percentile (100: the maximum) of microseconds, in ms. */
    static String ms(Histogram h, double percentile) {
        if (h.getTotalCount() == 0) return "-";
        long v = percentile >= 100 ? h.getMaxValue() : h.getValueAtPercentile(percentile);
        return String.format(Locale.ROOT, "%.1f ms", v / 1000.0);
    }

    static double ratio(Histogram a, Histogram b, double percentile) {
        if (a.getTotalCount() == 0 || b.getTotalCount() == 0) return Double.NaN;
        return (double) a.getValueAtPercentile(percentile) / Math.max(1, b.getValueAtPercentile(percentile));
    }

    /** CPU time of a process from /proc/&lt;pid&gt;/stat: utime + stime, in clock ticks. */
    static final class ProcessCpu {
        private ProcessCpu() {}

        static long ticks(long pid) throws IOException {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(f[11]) + Long.parseLong(f[12]); // fields 14 and 15 of proc(5)
        }
    }
}
