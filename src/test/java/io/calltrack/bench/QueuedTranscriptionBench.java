package io.calltrack.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.calltrack.telephony.ami.peer.AmiPeer;
import java.nio.file.Path;
import java.sql.Array;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.HdrHistogram.Histogram;

/**
 * Drives {@code scripts/bench-transcribe}: one calltrack server transcribing its own calls, as in service. Calls come
 * as Asterisk makes them ({@link SimulatedAsterisk}: FastAGI and the replayed AMI stream together); when calltrack's
 * {@code EXEC MixMonitor} has recorded an answered call, the simulation puts one of the {@link HeldCalls} where
 * MixMonitor writes (the mixed file and the {@code r()}/{@code t()} direction files, round-robin over the set), so
 * calltrack's own call listener queues the completed call and its {@code transcription.workers} transcribe it.
 *
 * <p>Phases: the held set once (the model's first load; its transcripts count for the WER only); a warm-up of the
 * probe with the site's transcription switched off; the probe (calls at a steady rate) with the queue idle; the
 * switch on and a backlog of calls; the probe again while the backlog is transcribed. Reported: FastAGI connect ->
 * first EXEC Dial p50/p99 of both probes and their ratio; from the jobs done after the idle probe, calls transcribed
 * per hour (their {@code job.done_at}), the real-time factor per worker (the handler's own timer,
 * {@code calltrack_transcription_duration_seconds}, over the transcripts' {@code audioSeconds}); the WER per side
 * of every transcript fetched ({@code GET /v1/calls/{id}/transcript}).
 *
 * <p>Usage: {@code QueuedTranscriptionBench <http base> <token> <jdbc url> <agi port> <ami port> <set dir>
 * <workers> <probe calls per s> <probe seconds> <backlog calls>}
 */
public final class QueuedTranscriptionBench {
    private static final Pattern RECORDING_NAME = Pattern.compile("(\\d+)\\.wav");
    private static final Duration RING = Duration.ofSeconds(1);
    private static final Duration WARM_PROBE = Duration.ofSeconds(10);
    private static final Duration BACKLOG_SPREAD = Duration.ofSeconds(5);
    /** The held set's first transcription, the model's load included, before the probe with the queue idle. */
    private static final Duration WARM_LIMIT = Duration.ofMinutes(15);
    /**
     * The speed figures need a few of the backlog's jobs done: on a slow or loaded machine the measurement waits
     * past the busy probe for them (the FastAGI figures are the probe's alone), at most {@link #DRAIN_LIMIT}.
     */
    private static final int MEASURED_JOBS = 4;
    private static final Duration DRAIN_LIMIT = Duration.ofMinutes(3);

    private final String base;
    private final String token;
    private final AgiBench.BenchSite site;
    private final SimulatedAsterisk asterisk;
    private final Connection db;
    private final List<HeldCalls.Held> set;
    private long nextCaller = 5_550_000;
    private int nextNumber;
    private int nextHeld;

    private QueuedTranscriptionBench(String base, String token, AgiBench.BenchSite site, SimulatedAsterisk asterisk,
                                     Connection db, List<HeldCalls.Held> set) {
        this.base = base;
        this.token = token;
        this.site = site;
        this.asterisk = asterisk;
        this.db = db;
        this.set = set;
    }

    public static void main(String[] args) throws Exception {
        String base = args[0];
        String token = args[1];
        String jdbcUrl = args[2];
        int agiPort = Integer.parseInt(args[3]);
        int amiPort = Integer.parseInt(args[4]);
        List<HeldCalls.Held> set = HeldCalls.synthesise(Path.of(args[5]));
        int configured = Integer.parseInt(args[6]);
        int workers = configured > 0 ? configured : Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
        double rate = Double.parseDouble(args[7]);
        Duration probe = Duration.ofSeconds(Integer.parseInt(args[8]));
        int backlog = Integer.parseInt(args[9]);

        AmiPeer.Account account = new AmiPeer.Account(Set.of("call", "cdr", "dialplan"), Duration.ofMillis(100));
        try (AmiPeer peer = new AmiPeer(CallsBench.AMI_USER, CallsBench.AMI_SECRET, account, amiPort)) {
            long setUp = System.nanoTime();
            AgiBench.BenchSite site = AgiBench.setUp(base, token, jdbcUrl, CallsBench.THRESHOLD_SECONDS,
                    CallsBench.ROUTING);
            System.out.printf(Locale.ROOT, "site set up with a month of past traffic in %.0f s%n",
                    (System.nanoTime() - setUp) / 1e9);
            CallsBench.awaitAmi(peer);
            System.out.printf(Locale.ROOT, "calltrack: transcription.workers %d (%d worker(s) on %d cores); probe: "
                            + "%.1f calls/s for %d s, each answered after %d s, talking as long as its recording%n",
                    configured, workers, Runtime.getRuntime().availableProcessors(), rate, probe.toSeconds(),
                    RING.toSeconds());
            try (SimulatedAsterisk asterisk = new SimulatedAsterisk(peer, "127.0.0.1", agiPort);
                 Connection db = DriverManager.getConnection(jdbcUrl)) {
                new QueuedTranscriptionBench(base, token, site, asterisk, db, set).run(workers, rate, probe, backlog);
            }
        }
    }

    /** The calls of one phase: how each went, and the held call each recorded call's file is (by call id). */
    private record Phase(List<CompletableFuture<SimulatedAsterisk.Result>> calls, Map<Long, HeldCalls.Held> recorded) {
        Phase() {
            this(new ArrayList<>(), new ConcurrentHashMap<>());
        }

        void awaitEnded() throws Exception {
            CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).get(5, TimeUnit.MINUTES);
        }

        /** Connect -> first EXEC Dial of every call, in microseconds; simulation errors counted. */
        Histogram firstDial() {
            Histogram h = new Histogram(3);
            for (CompletableFuture<SimulatedAsterisk.Result> c : calls) {
                if (c.join().firstDialNanos() > 0) h.recordValue(c.join().firstDialNanos() / 1000);
            }
            return h;
        }

        long errors() {
            return calls.stream().filter(c -> c.join().error() != null).count();
        }
    }

    private void run(int workers, double rate, Duration probe, int backlogCalls) throws Exception {
        long begun = System.nanoTime();
        log(begun, "the held set once through the queue (the model's first load; for the WER only)");
        transcription(true);
        Phase warm = calls(set.size(), Duration.ofSeconds(set.size() / 2));
        warm.awaitEnded();
        Map<Long, Job> warmJobs = awaitDone(warm.recorded().keySet(), WARM_LIMIT);
        log(begun, "transcribed: " + count(warmJobs.values(), "done") + " of " + warm.recorded().size());

        transcription(false);
        log(begun, "the site's transcription off; probe warm-up " + WARM_PROBE.toSeconds() + " s (not judged)");
        calls((int) (rate * WARM_PROBE.toSeconds()), WARM_PROBE).awaitEnded();
        log(begun, "probe with the queue idle (" + queued() + " jobs queued or running): " + rate + " calls/s for "
                + probe.toSeconds() + " s");
        Phase idle = calls((int) (rate * probe.toSeconds()), probe);
        idle.awaitEnded();
        Thread.sleep(2_000); // the probe's last calls completed (and, transcription off, not queued) before the switch
        Timer before = Timer.read(base, token);

        transcription(true);
        log(begun, "the site's transcription on; backlog: " + backlogCalls + " calls in " + BACKLOG_SPREAD.toSeconds() + " s");
        Phase busy = calls(backlogCalls, BACKLOG_SPREAD);
        busy.awaitEnded();
        long queued = queued();
        log(begun, "probe while transcribing (" + queued + " jobs queued or running): " + rate + " calls/s for "
                + probe.toSeconds() + " s");
        Phase probed = calls((int) (rate * probe.toSeconds()), probe);
        probed.awaitEnded();
        busy.calls().addAll(probed.calls());
        busy.recorded().putAll(probed.recorded());
        log(begun, "probe over; until " + MEASURED_JOBS + " of its and the backlog's jobs are done (at most "
                + DRAIN_LIMIT.toMinutes() + " min)");
        awaitDone(busy.recorded().keySet(), MEASURED_JOBS, DRAIN_LIMIT);

        Timer after;
        Map<Long, Job> jobs;
        do { // the timer and the job rows of one moment: no job finished between the two reads
            after = Timer.read(base, token);
            jobs = jobs(busy.recorded().keySet());
        } while (after.count() != Timer.read(base, token).count());
        log(begun, "measured; the jobs left are not waited for");
        report(workers, before, after, warmJobs, warm, jobs, busy, idle.firstDial(), probed.firstDial(),
                idle.errors() + busy.errors(), queued);
    }

    private void report(int workers, Timer before, Timer after, Map<Long, Job> warmJobs, Phase warm, Map<Long, Job> jobs,
                        Phase busy, Histogram idleDial, Histogram busyDial, long simErrors, long queued) throws Exception {
        List<Job> done = jobs.values().stream().filter(j -> j.state().equals("done"))
                .sorted((a, b) -> a.doneAt().compareTo(b.doneAt())).toList();
        double audio = 0;
        List<HeldCalls.Heard> heard = new ArrayList<>();
        for (Map.Entry<Long, Job> e : warmJobs.entrySet()) {
            if (e.getValue().state().equals("done")) heard.add(heard(e.getKey(), warm.recorded().get(e.getKey())).heard());
        }
        for (Job j : done) {
            Transcribed t = heard(j.callId(), busy.recorded().get(j.callId()));
            heard.add(t.heard());
            audio += t.audioSeconds();
        }
        long timed = after.count() - before.count();
        System.out.printf(Locale.ROOT, "transcription through the job queue, %d worker(s): %d calls done after the idle "
                        + "probe (the handler's timer counted %d), %d left queued or running; %d were queued when "
                        + "the busy probe began%n", workers, done.size(), timed,
                count(jobs.values(), "pending", "running"), queued);
        if (done.size() >= 2) {
            double span = Duration.between(done.get(0).doneAt(), done.get(done.size() - 1).doneAt()).toMillis() / 1000.0;
            System.out.printf(Locale.ROOT, "calls transcribed per hour: %.0f (of %.1f s each; %d done in %.1f s "
                    + "between the first and the last)%n", (done.size() - 1) * 3600 / span, audio / done.size(),
                    done.size(), span);
        }
        if (done.isEmpty()) {
            System.out.println("real-time factor per worker: - (no job of the backlog finished during the run: the "
                    + "machine is too slow or too loaded for it)");
        } else if (timed == done.size()) {
            System.out.printf(Locale.ROOT, "real-time factor per worker: %.2f (%.1f s of work for %.1f s of audio)%n",
                    (after.seconds() - before.seconds()) / audio, after.seconds() - before.seconds(), audio);
        } else {
            System.out.println("real-time factor per worker: - (the handler's timer and the done jobs disagree)");
        }
        if (count(jobs.values(), "pending", "running") == 0) {
            System.out.println("note: the backlog ran dry before the probe ended (a larger backlog keeps the workers busy)");
        }
        long dead = count(jobs.values(), "dead") + count(warmJobs.values(), "dead");
        if (dead > 0) System.out.println("dead transcription jobs: " + dead);
        HeldCalls.printWer(heard);
        System.out.printf(Locale.ROOT, "FastAGI connect -> first EXEC Dial: queue idle p50 %s p99 %s (%d calls); "
                        + "while transcribing p50 %s p99 %s (%d calls); x%.2f p50, x%.2f p99 (goal: p99 at most x2); "
                        + "simulation errors %d%n", CallsBench.ms(idleDial, 50), CallsBench.ms(idleDial, 99),
                idleDial.getTotalCount(), CallsBench.ms(busyDial, 50), CallsBench.ms(busyDial, 99),
                busyDial.getTotalCount(), CallsBench.ratio(busyDial, idleDial, 50),
                CallsBench.ratio(busyDial, idleDial, 99), simErrors);
    }

    private static void log(long begun, String what) {
        System.out.printf(Locale.ROOT, "[%5.1f s] %s%n", (System.nanoTime() - begun) / 1e9, what);
    }

    /** {@code count} calls spread evenly over {@code over}, each answered and recorded with the next held call. */
    private Phase calls(int count, Duration over) {
        Phase phase = new Phase();
        CallsBench.spread(count, over.toMillis() / 1000.0, () -> {
            HeldCalls.Held held = set.get(nextHeld++ % set.size());
            CallPlan plan = CallPlan.answered(CallPlan.Kind.TALKS, RING,
                    Duration.ofMillis((long) Math.ceil(held.seconds() * 1000)));
            String tracked = site.numbers().get(nextNumber++ % site.numbers().size());
            phase.calls().add(asterisk.call(plan, "+1617" + (nextCaller++), tracked, files -> {
                held.placeAt(files);
                Matcher m = RECORDING_NAME.matcher(files.mixed().getFileName().toString());
                if (m.matches()) phase.recorded().put(Long.parseLong(m.group(1)), held);
            }));
        });
        return phase;
    }

    private void transcription(boolean on) throws Exception {
        AgiBench.call("PUT", base + "/v1/sites/" + site.id() + "/transcription", token,
                "{\"enabled\":" + on + ",\"language\":\"en\"}");
    }

    private record Job(long callId, String state, Instant doneAt) {}

    /** Transcription jobs waiting or running, of any call. */
    private long queued() throws SQLException {
        try (PreparedStatement ps = db.prepareStatement("SELECT count(*) FROM job WHERE kind = 'transcription'"
                + " AND state IN ('pending', 'running')"); ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Until every call's job has ended, at most {@code limit}. */
    private Map<Long, Job> awaitDone(Collection<Long> callIds, Duration limit) throws Exception {
        long deadline = System.nanoTime() + limit.toNanos();
        Map<Long, Job> jobs = jobs(callIds);
        while ((jobs.size() < callIds.size() || count(jobs.values(), "pending", "running") > 0)
                && System.nanoTime() < deadline) {
            Thread.sleep(500);
            jobs = jobs(callIds);
        }
        return jobs;
    }

    /** Until at least {@code done} of the calls' jobs are done, at most {@code limit}. */
    private void awaitDone(Collection<Long> callIds, int done, Duration limit) throws Exception {
        long deadline = System.nanoTime() + limit.toNanos();
        Map<Long, Job> jobs = jobs(callIds);
        while (count(jobs.values(), "done") < done && System.nanoTime() < deadline) {
            Thread.sleep(500);
            jobs = jobs(callIds);
        }
    }

    /** The calls' transcription jobs, read from the job table. */
    private Map<Long, Job> jobs(Collection<Long> callIds) throws SQLException {
        Map<Long, Job> out = new ConcurrentHashMap<>();
        try (PreparedStatement ps = db.prepareStatement("SELECT call_id, state, done_at FROM job"
                + " WHERE kind = 'transcription' AND call_id = ANY (?)")) {
            Array ids = db.createArrayOf("bigint", callIds.toArray());
            ps.setArray(1, ids);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Timestamp doneAt = rs.getTimestamp(3);
                    out.put(rs.getLong(1), new Job(rs.getLong(1), rs.getString(2),
                            doneAt == null ? null : doneAt.toInstant()));
                }
            }
        }
        return out;
    }

    private static int count(Collection<Job> jobs, String... states) {
        Set<String> wanted = Set.of(states);
        return (int) jobs.stream().filter(j -> wanted.contains(j.state())).count();
    }

    private record Transcribed(HeldCalls.Heard heard, double audioSeconds) {}

    /** The call's transcript as a user reads it, per side. */
    private Transcribed heard(long callId, HeldCalls.Held held) throws Exception {
        JsonNode t = AgiBench.call("GET", base + "/v1/calls/" + callId + "/transcript", token, "").get("transcript");
        return new Transcribed(new HeldCalls.Heard(held.index(), said(t, "caller"), said(t, "manager")),
                t.get("audioSeconds").asDouble());
    }

    private static String said(JsonNode transcript, String side) {
        List<String> text = new ArrayList<>();
        for (JsonNode turn : transcript.get("turns")) {
            if (turn.get("side").asText().equals(side)) text.add(turn.get("text").asText());
        }
        return String.join(" ", text);
    }

    /** The transcription handler's timer from /metrics: how many calls it transcribed, in how many seconds. */
    private record Timer(long count, double seconds) {
        private static final Pattern COUNT =
                Pattern.compile("(?m)^calltrack_transcription_duration_seconds_count(?:\\{[^}]*})? (\\S+)");
        private static final Pattern SUM =
                Pattern.compile("(?m)^calltrack_transcription_duration_seconds_sum(?:\\{[^}]*})? (\\S+)");

        static Timer read(String base, String token) throws Exception {
            String text = AgiBench.metrics(base, token, Duration.ofSeconds(10));
            return new Timer((long) number(COUNT, text), number(SUM, text));
        }

        private static double number(Pattern p, String text) {
            Matcher m = p.matcher(text);
            if (!m.find()) throw new IllegalStateException("no " + p.pattern() + " in /metrics");
            return Double.parseDouble(m.group(1));
        }
    }
}
