package io.calltrack.platform.jobs;

import io.calltrack.platform.db.Jdbc;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jdbi.v3.core.statement.PreparedBatch;

/**
 * The durable job queue (table job), its only owner. A job is a row before anything runs, so a receiver that is
 * down, or a restart, loses nothing. A worker claims a job in a short transaction of its own (state
 * {@code running}, a lease until {@code next_attempt_at}), runs it with no transaction open, and settles it in
 * another short one; a settlement counts only while the claim is still the worker's (same worker, same attempt).
 */
public final class JobRepository {
    /** Serialises claims across instances, so the per-target limit counts every claim committed before. */
    private static final long CLAIM_LOCK = 0x6a6f62636c61696dL; // "jobclaim"

    private static final String COLUMNS = """
            id, kind, target, site_id, call_id, event, state, attempts, created_at, next_attempt_at, done_at,
            last_error""";

    private final Jdbc jdbc;

    public JobRepository(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    /** Each job due at {@code now} plus its delay. */
    public void enqueue(List<NewJob> jobs, Instant now) {
        if (jobs.isEmpty()) return;
        jdbc.withHandle(h -> {
            PreparedBatch batch = h.prepareBatch("""
                    INSERT INTO job (kind, target, site_id, call_id, event, state, created_at, next_attempt_at,
                                     last_error)
                    VALUES (:kind, :target, :siteId, :callId, :event, :state, :now, :due, :reason)""");
            for (NewJob j : jobs) {
                batch.bind("kind", j.kind().dbValue()).bind("target", j.target()).bind("siteId", j.siteId())
                        .bind("callId", j.callId()).bind("event", j.event()).bind("state", j.state().dbValue())
                        .bind("now", Timestamp.from(now)).bind("due", Timestamp.from(now.plus(j.delay())))
                        .bind("reason", j.reason()).add();
            }
            return batch.execute();
        });
    }

    /**
     * Claims the longest-due job of {@code kinds} whose target has fewer than {@code perTarget} jobs running (on
     * any instance) and commits the claim: {@code running}, one more attempt, leased to {@code worker} until
     * {@code now + lease}. A running job whose lease ran out (its worker died) is due again. Empty when nothing
     * can be claimed.
     */
    public Optional<Job> claim(String worker, Collection<JobKind> kinds, int perTarget, Instant now, Duration lease) {
        return jdbc.inHandleTransaction(h -> {
            h.createQuery("SELECT 1 FROM pg_advisory_xact_lock(:lock)").bind("lock", CLAIM_LOCK)
                    .mapTo(Integer.class).one();
            return h.createQuery("""
                    UPDATE job SET state = 'running', attempts = attempts + 1, next_attempt_at = :leaseUntil,
                           claimed_by = :worker
                     WHERE id = (SELECT id FROM job
                                  WHERE state IN ('pending', 'running') AND next_attempt_at <= :now
                                    AND kind = ANY(:kinds)
                                    AND target NOT IN (SELECT target FROM job
                                                        WHERE state = 'running' AND next_attempt_at > :now
                                                        GROUP BY target HAVING count(*) >= :perTarget)
                                  ORDER BY next_attempt_at, id LIMIT 1 FOR UPDATE SKIP LOCKED)
                    RETURNING""" + " " + COLUMNS)
                    .bind("leaseUntil", Timestamp.from(now.plus(lease))).bind("worker", worker)
                    .bind("now", Timestamp.from(now)).bind("perTarget", perTarget)
                    .bindArray("kinds", String.class, kinds.stream().map(JobKind::dbValue).toList())
                    .map((rs, ctx) -> read(rs)).findOne();
        });
    }

    /**
     * Records how the {@code claimed} run ended. False, and nothing written, when the claim is no longer
     * {@code worker}'s: its lease ran out and the job was claimed again (that run settles it).
     */
    public boolean settle(Job claimed, String worker, Settlement s) {
        return jdbc.withHandle(h -> h.createUpdate("""
                UPDATE job SET state = :state, next_attempt_at = :next, last_error = :error, done_at = :doneAt,
                       claimed_by = NULL
                 WHERE id = :id AND state = 'running' AND attempts = :attempts AND claimed_by = :worker""")
                .bind("state", s.state().dbValue()).bind("next", Timestamp.from(s.nextAttemptAt()))
                .bind("error", s.error()).bind("doneAt", s.doneAt() == null ? null : Timestamp.from(s.doneAt()))
                .bind("id", claimed.id()).bind("attempts", claimed.attempts()).bind("worker", worker)
                .execute() == 1);
    }

    /** Extends the leases of the jobs {@code worker} is running; returns how many it still holds. */
    public int renew(String worker, Collection<Long> ids, Instant until) {
        if (ids.isEmpty()) return 0;
        return jdbc.withHandle(h -> h.createUpdate("""
                UPDATE job SET next_attempt_at = :until
                 WHERE id = ANY(:ids) AND state = 'running' AND claimed_by = :worker""")
                .bind("until", Timestamp.from(until)).bindArray("ids", Long.class, List.copyOf(ids))
                .bind("worker", worker).execute());
    }

    /** A site's jobs: per kind, how many are in each state. */
    public Map<JobKind, Map<JobState, Long>> counts(long siteId) {
        record Count(JobKind kind, JobState state, long n) {}
        List<Count> rows = jdbc.withHandle(h -> h.createQuery(
                        "SELECT kind, state, count(*) AS n FROM job WHERE site_id = :siteId GROUP BY kind, state")
                .bind("siteId", siteId)
                .map((rs, ctx) -> new Count(JobKind.ofDb(rs.getString("kind")), JobState.ofDb(rs.getString("state")),
                        rs.getLong("n")))
                .list());
        Map<JobKind, Map<JobState, Long>> out = new EnumMap<>(JobKind.class);
        rows.forEach(c -> out.computeIfAbsent(c.kind(), k -> new EnumMap<>(JobState.class)).put(c.state(), c.n()));
        return out;
    }

    /** The calls of a site that have a job of {@code kind} waiting to start (not running: one may have begun). */
    public Set<Long> waitingCalls(long siteId, JobKind kind) {
        return Set.copyOf(jdbc.withHandle(h -> h.createQuery(
                        "SELECT call_id FROM job WHERE site_id = :siteId AND kind = :kind AND state = 'pending'")
                .bind("siteId", siteId).bind("kind", kind.dbValue()).mapTo(Long.class).list()));
    }

    /** A site's dead jobs of {@code kinds}, newest first. */
    public List<Job> dead(long siteId, Collection<JobKind> kinds, int limit) {
        return jdbc.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM job WHERE state = 'dead'"
                        + " AND site_id = :siteId AND kind = ANY(:kinds) ORDER BY id DESC LIMIT :limit")
                .bind("siteId", siteId).bind("limit", limit)
                .bindArray("kinds", String.class, dbValues(kinds)).map((rs, ctx) -> read(rs)).list());
    }

    /**
     * A site's jobs of {@code kinds}, newest first, from before the job {@code beforeId} (null: from the newest):
     * a keyset page on the {@code (site_id, id)} index, as cheap deep as first.
     */
    public List<Job> ofSite(long siteId, Collection<JobKind> kinds, Long beforeId, int limit) {
        return jdbc.withHandle(h -> {
            var q = h.createQuery("SELECT " + COLUMNS + " FROM job WHERE site_id = :siteId AND kind = ANY(:kinds)"
                            + (beforeId == null ? "" : " AND id < :before") + " ORDER BY id DESC LIMIT :limit")
                    .bind("siteId", siteId).bind("limit", limit)
                    .bindArray("kinds", String.class, dbValues(kinds));
            if (beforeId != null) q.bind("before", beforeId.longValue());
            return q.map((rs, ctx) -> read(rs)).list();
        });
    }

    /** The job's site, for authorising a request about it; empty when there is no such job or it has no site. */
    public Optional<Long> siteOf(long id) {
        return jdbc.withHandle(h -> h.createQuery("SELECT site_id FROM job WHERE id = :id").bind("id", id)
                .mapTo(Long.class).findOne());
    }

    /** The newest job of {@code kind} about a call: how its work stands (a transcript's job, for instance). */
    public Optional<Job> latest(long callId, JobKind kind) {
        return jdbc.withHandle(h -> h.createQuery("SELECT " + COLUMNS
                        + " FROM job WHERE call_id = :callId AND kind = :kind ORDER BY id DESC LIMIT 1")
                .bind("callId", callId).bind("kind", kind.dbValue()).map((rs, ctx) -> read(rs)).findOne());
    }

    public Optional<Job> find(long id) {
        return jdbc.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM job WHERE id = :id")
                .bind("id", id).map((rs, ctx) -> read(rs)).findOne());
    }

    /**
     * Puts a dead job back in the queue as if new (fresh attempt count and age). False if it is not dead or not of
     * {@code kinds}.
     */
    public boolean revive(long id, Collection<JobKind> kinds, Instant now) {
        return jdbc.withHandle(h -> h.createUpdate("""
                UPDATE job SET state = 'pending', attempts = 0, created_at = :now, next_attempt_at = :now
                 WHERE id = :id AND state = 'dead' AND kind = ANY(:kinds)""")
                .bind("now", Timestamp.from(now)).bind("id", id)
                .bindArray("kinds", String.class, dbValues(kinds)).execute() == 1);
    }

    private static List<String> dbValues(Collection<JobKind> kinds) {
        return kinds.stream().map(JobKind::dbValue).toList();
    }

    /** Forgets done jobs finished before {@code cutoff} and skipped ones recorded before it; returns how many. */
    public int purge(Instant cutoff) {
        return jdbc.withHandle(h -> h.createUpdate("""
                DELETE FROM job WHERE (state = 'done' AND done_at < :cutoff)
                                   OR (state = 'skipped' AND created_at < :cutoff)""")
                .bind("cutoff", Timestamp.from(cutoff)).execute());
    }

    private static Job read(ResultSet rs) throws SQLException {
        return new Job(rs.getLong("id"), JobKind.ofDb(rs.getString("kind")), rs.getString("target"),
                (Long) rs.getObject("site_id"), (Long) rs.getObject("call_id"), rs.getString("event"),
                JobState.ofDb(rs.getString("state")), rs.getInt("attempts"), instant(rs, "created_at"),
                instant(rs, "next_attempt_at"), instant(rs, "done_at"), rs.getString("last_error"));
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp t = rs.getTimestamp(column);
        return t == null ? null : t.toInstant();
    }
}
