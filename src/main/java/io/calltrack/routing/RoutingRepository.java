package io.calltrack.routing;

import io.calltrack.InvalidField;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.calltrack.platform.db.Jdbc;
import io.calltrack.routing.RoutingDocument.DepartmentSpec;
import io.calltrack.routing.RoutingDocument.ManagerSpec;
import io.calltrack.routing.RoutingDocument.RuleDoc;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Departments, managers and rules in PostgreSQL; round-robin counters shared by every calltrack instance. The one
 * owner of the {@code manager} table: the SIP prober and the calls side read and write it through here.
 */
public final class RoutingRepository {
    private static final Logger log = LoggerFactory.getLogger(RoutingRepository.class);

    private final Jdbc jdbc;
    private final ObjectMapper json;

    public RoutingRepository(Jdbc jdbc, ObjectMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    /** Everything routing needs for one call of the site, read in one transaction. */
    public RoutingSnapshot load(long siteId) {
        return jdbc.inHandleTransaction(h -> {
            Map<String, Department> departments = new LinkedHashMap<>();
            departments(h, siteId).forEach(d -> departments.put(d.name(), d));
            List<Rule> rules = new ArrayList<>();
            for (StoredRule r : storedRules(h, siteId)) {
                try {
                    rules.add(RoutingDocument.toRule(r.id(), r.doc(), "rule " + r.id(), null));
                } catch (InvalidField e) {
                    log.error("site {}: routing rule {} is skipped, it is not valid: {}", siteId, r.id(), e.getMessage());
                }
            }
            return new RoutingSnapshot(rules, departments);
        });
    }

    /** What changes call by call: each manager's live state, and the version of everything else. */
    public record LiveState(long version, Map<Long, Manager.Live> managers) {}

    /**
     * The site's routing version and its managers' live state, in one round trip: run for every call, so a cached
     * {@link #load} can be reused while the version stands (bumped by triggers, see V7__routing_version.sql).
     */
    public LiveState liveState(long siteId) {
        return jdbc.withHandle(h -> h.createQuery("""
                        SELECT coalesce((SELECT version FROM routing_version WHERE site_id = :siteId), 0) AS version,
                               m.id, m.active, m.reachable, m.last_call_at
                          FROM (SELECT 1) one
                          LEFT JOIN (manager m JOIN department d ON d.id = m.department_id AND d.site_id = :siteId)
                               ON true""")
                .bind("siteId", siteId)
                .scanResultSet((results, ctx) -> {
                    ResultSet rs = results.get();
                    long version = 0;
                    Map<Long, Manager.Live> managers = new HashMap<>();
                    while (rs.next()) {
                        version = rs.getLong("version");
                        long id = rs.getLong("id");
                        if (rs.wasNull()) continue;
                        managers.put(id, live(rs));
                    }
                    return new LiveState(version, managers);
                }));
    }

    /** The department's round-robin turn, advanced atomically (shared by every calltrack instance). */
    public long nextTurn(long departmentId) {
        return jdbc.withHandle(h -> h.createQuery("""
                        INSERT INTO department_cursor (department_id, next_index) VALUES (:departmentId, 1)
                        ON CONFLICT (department_id) DO UPDATE SET next_index = department_cursor.next_index + 1
                        RETURNING next_index - 1""")
                .bind("departmentId", departmentId).mapTo(Long.class).one());
    }

    /** The turn {@link #nextTurn} would hand the department's next call, without taking it (previews). */
    public long peekTurn(long departmentId) {
        return jdbc.withHandle(h -> h.createQuery(
                        "SELECT coalesce((SELECT next_index FROM department_cursor WHERE department_id = :d), 0)")
                .bind("d", departmentId).mapTo(Long.class).one());
    }

    /**
     * {@code manager.last_call_at}, its one meaning: when the manager's latest call routed to them alone (not a
     * ring-all group) and answered ended, i.e. when that FastAGI Dial returned; null until they took one. Only this
     * method writes it, and never backwards, so a late write of an older call cannot make a manager look idle.
     * Least-recently-called routing offers the call first to whoever has waited longest since.
     */
    public void recordConnected(long managerId, Instant at) {
        jdbc.withHandle(h -> h.createUpdate("""
                        UPDATE manager SET last_call_at = greatest(coalesce(last_call_at, :at), :at) WHERE id = :id""")
                .bind("at", at).bind("id", managerId).execute());
    }

    /**
     * The site's manager a channel or contact belongs to: the one whose dial string is {@code dialString} (the
     * answering channel's name without Asterisk's {@code -0000002a} suffix) or whose SIP URI is {@code sipUri};
     * the lowest id when several match. For the calls side, which names who answered from what answered while it
     * writes the answer: the lookup runs on that transaction's handle {@code h}, so it needs no second connection.
     */
    public Optional<Long> managerReachedAt(Handle h, long siteId, String dialString, String sipUri) {
        return h.createQuery("""
                        SELECT m.id FROM manager m JOIN department d ON d.id = m.department_id
                         WHERE d.site_id = :site AND (m.dial_string = :dialString OR m.sip_uri = :sipUri)
                         ORDER BY m.id LIMIT 1""")
                .bind("site", siteId).bind("dialString", dialString).bind("sipUri", sipUri)
                .mapTo(Long.class).findOne();
    }

    /** A manager's SIP phone the OPTIONS prober watches. */
    public record SipPhone(long managerId, String name, String uri) {}

    /** Active managers with a SIP URI: read fresh every probe round, so new managers are probed without a restart. */
    public List<SipPhone> sipPhones() {
        return jdbc.withHandle(h -> h.createQuery("""
                        SELECT id, name, sip_uri FROM manager WHERE active AND sip_uri IS NOT NULL ORDER BY id""")
                .map((rs, ctx) -> new SipPhone(rs.getLong("id"), rs.getString("name"), rs.getString("sip_uri").trim()))
                .list());
    }

    /**
     * Forgets the reachability of managers no longer probed (deactivated, or their SIP URI removed), so a stale
     * "unreachable" cannot keep routing away from them.
     */
    public void clearUnprobed() {
        jdbc.withHandle(h -> h.createUpdate("""
                        UPDATE manager SET reachable = NULL
                         WHERE reachable IS NOT NULL AND NOT (active AND sip_uri IS NOT NULL)""")
                .execute());
    }

    /** The OPTIONS verdict on the manager's SIP phone; written only when it changes (no row churn every round). */
    public void markReachable(long managerId, boolean reachable) {
        jdbc.withHandle(h -> h.createUpdate("""
                        UPDATE manager SET reachable = :reachable WHERE id = :id AND reachable IS DISTINCT FROM :reachable""")
                .bind("reachable", reachable).bind("id", managerId).execute());
    }

    /** The site's routing as the JSON document leads edit. */
    public RoutingDocument export(long siteId) {
        return jdbc.inHandleTransaction(h -> {
            List<RoutingDocument.DepartmentDoc> departments = departments(h, siteId).stream()
                    .map(d -> new RoutingDocument.DepartmentDoc(d.name(), d.managers().stream()
                            .map(m -> new RoutingDocument.ManagerDoc(m.id(), m.name(), m.dialString().orElse(null),
                                    m.sipUri().orElse(null), m.active(), m.ringTimeoutSeconds(),
                                    m.reachable().orElse(null)))
                            .toList()))
                    .toList();
            return new RoutingDocument(departments, storedRules(h, siteId).stream().map(StoredRule::doc).toList());
        });
    }

    /**
     * Replaces the site's routing in one transaction. Departments and managers are matched by name, so a manager
     * kept across an import keeps its id, call history and reachability; the rules are replaced in order.
     */
    public void replace(long siteId, List<DepartmentSpec> departments, List<RuleDoc> rules) {
        jdbc.inHandleTransaction(h -> {
            List<Long> keptDepartments = new ArrayList<>();
            for (DepartmentSpec d : departments) {
                long departmentId = h.createQuery("""
                                INSERT INTO department (site_id, name) VALUES (:siteId, :name)
                                ON CONFLICT (site_id, name) DO UPDATE SET name = excluded.name RETURNING id""")
                        .bind("siteId", siteId).bind("name", d.name()).mapTo(Long.class).one();
                keptDepartments.add(departmentId);
                List<String> keptManagers = new ArrayList<>();
                int position = 0;
                for (ManagerSpec m : d.managers()) {
                    h.createUpdate("""
                                    INSERT INTO manager (department_id, name, dial_string, sip_uri, active,
                                                         ring_timeout_seconds, position)
                                    VALUES (:departmentId, :name, :dialString, :sipUri, :active, :ringTimeoutSeconds,
                                            :position)
                                    ON CONFLICT (department_id, name) DO UPDATE SET dial_string = excluded.dial_string,
                                        sip_uri = excluded.sip_uri, active = excluded.active,
                                        ring_timeout_seconds = excluded.ring_timeout_seconds,
                                        position = excluded.position""")
                            .bind("departmentId", departmentId).bind("name", m.name())
                            .bind("dialString", m.dialString().orElse(null)).bind("sipUri", m.sipUri().orElse(null))
                            .bind("active", m.active()).bind("ringTimeoutSeconds", m.ringTimeoutSeconds())
                            .bind("position", position++)
                            .execute();
                    keptManagers.add(m.name());
                }
                h.createUpdate("DELETE FROM manager WHERE department_id = :departmentId AND NOT (name = ANY (:kept))")
                        .bind("departmentId", departmentId).bindArray("kept", String.class, keptManagers).execute();
            }
            h.createUpdate("DELETE FROM department WHERE site_id = :siteId AND NOT (id = ANY (:kept))")
                    .bind("siteId", siteId).bindArray("kept", Long.class, keptDepartments).execute();
            h.createUpdate("DELETE FROM routing_rule WHERE site_id = :siteId").bind("siteId", siteId).execute();
            int position = 0;
            for (RuleDoc r : rules) {
                h.createUpdate("""
                                INSERT INTO routing_rule (site_id, position, name, spec, enabled)
                                VALUES (:siteId, :position, :name, :spec::jsonb, :enabled)""")
                        .bind("siteId", siteId).bind("position", position++).bind("name", r.name())
                        .bind("spec", write(r)).bind("enabled", r.enabled() == null || r.enabled())
                        .execute();
            }
            return null;
        });
    }

    /** The manager's site, for authorising a request about them; empty when there is no such manager. */
    public Optional<Long> siteOfManager(long managerId) {
        return jdbc.withHandle(h -> h.createQuery("""
                        SELECT d.site_id FROM manager m JOIN department d ON d.id = m.department_id WHERE m.id = :id""")
                .bind("id", managerId).mapTo(Long.class).findOne());
    }

    /** Whether the manager is switched on; empty when there is no such manager. */
    public Optional<Boolean> active(long managerId) {
        return jdbc.withHandle(h -> h.createQuery("SELECT active FROM manager WHERE id = :id")
                .bind("id", managerId).mapTo(Boolean.class).findOne());
    }

    /** Turns a manager on or off (on leave, left the company) without touching the rest of the routing. */
    public boolean setActive(long managerId, boolean active) {
        return jdbc.withHandle(h -> h.createUpdate("UPDATE manager SET active = :active WHERE id = :id")
                .bind("active", active).bind("id", managerId).execute() == 1);
    }

    private record StoredRule(long id, RuleDoc doc) {}

    private List<StoredRule> storedRules(Handle h, long siteId) {
        return h.createQuery("""
                        SELECT id, spec::text AS spec, enabled FROM routing_rule WHERE site_id = :siteId
                         ORDER BY position""")
                .bind("siteId", siteId)
                .map((rs, ctx) -> {
                    RuleDoc doc = read(rs.getString("spec"));
                    return new StoredRule(rs.getLong("id"), new RuleDoc(doc.name(), rs.getBoolean("enabled"),
                            doc.when(), doc.schedule(), doc.then()));
                })
                .list();
    }

    private static List<Department> departments(Handle h, long siteId) {
        Map<Long, List<Manager>> managers = new HashMap<>();
        h.createQuery("""
                        SELECT m.id, m.department_id, m.name, m.dial_string, m.sip_uri, m.ring_timeout_seconds,
                               m.active, m.reachable, m.last_call_at
                          FROM manager m JOIN department d ON d.id = m.department_id
                         WHERE d.site_id = :siteId ORDER BY m.position, m.id""")
                .bind("siteId", siteId)
                .map((rs, ctx) -> {
                    Manager.Live live = live(rs);
                    return new Manager(rs.getLong("id"), rs.getLong("department_id"), rs.getString("name"),
                            Optional.ofNullable(rs.getString("dial_string")),
                            Optional.ofNullable(rs.getString("sip_uri")), live.active(),
                            rs.getInt("ring_timeout_seconds"), live.reachable(), live.lastCallAt());
                })
                .forEach(m -> managers.computeIfAbsent(m.departmentId(), id -> new ArrayList<>()).add(m));
        return h.createQuery("SELECT id, name FROM department WHERE site_id = :siteId ORDER BY id")
                .bind("siteId", siteId)
                .map((rs, ctx) -> new Department(rs.getLong("id"), rs.getString("name"),
                        managers.getOrDefault(rs.getLong("id"), List.of())))
                .list();
    }

    private String write(RuleDoc r) {
        try {
            return json.writeValueAsString(new RuleDoc(r.name(), null, r.when(), r.schedule(), r.then()));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private RuleDoc read(String spec) {
        try {
            return json.readValue(spec, RuleDoc.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable routing rule: " + e.getOriginalMessage(), e);
        }
    }

    /**
     * A manager's live state from the row's {@code active}, {@code reachable} (null: never probed) and
     * {@code last_call_at}: the same for the cached routing and the per-call refresh.
     */
    private static Manager.Live live(ResultSet rs) throws SQLException {
        boolean active = rs.getBoolean("active");
        boolean reachable = rs.getBoolean("reachable");
        Optional<Boolean> probed = rs.wasNull() ? Optional.empty() : Optional.of(reachable);
        Timestamp last = rs.getTimestamp("last_call_at");
        return new Manager.Live(active, probed, Optional.ofNullable(last).map(Timestamp::toInstant));
    }
}
