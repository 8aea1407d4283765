package io.waymark.catalog.retention;

import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Value;
import io.waymark.catalog.audit.AuditLog;
import io.waymark.catalog.ingest.Json;
import io.waymark.catalog.journal.Journal;
import io.waymark.catalog.model.NodeId;
import io.waymark.catalog.model.Times;
import io.waymark.catalog.projection.Facts;
import io.waymark.catalog.projection.Projector;
import jakarta.annotation.PreDestroy;
import org.neo4j.driver.Driver;
import org.neo4j.driver.Values;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Retention: removes what is past its period and keeps the evidence. Raw lineage events and run
 * history are compacted ({@link Compaction}): an old event goes unless it still decides something
 * in today's graph, the Run nodes of dropped runs leave the graph first, so the live graph stays
 * what {@code rebuild} makes of the compacted journal. Resolved findings and incidents (with their
 * steps and notifications) go after their own periods; the audit log's oldest entries go behind a
 * signed checkpoint so the chain still verifies. Governance entries (annotations, classification
 * decisions, deletes, tags) are never purged: they are the catalog's own record of decisions.
 * Runs on demand (API, CLI) and every {@code waymark.retention.interval} when a policy is set.
 */
@Context
public class Retention {
    private static final Logger LOG = LoggerFactory.getLogger(Retention.class);
    private static final int DELETE_CHUNK = 500;

    /** What a purge is asked: null fields fall back to the configured policy; {@code namespace} narrows {@code olderThan}. */
    public record Request(Duration olderThan, String namespace, Duration findings, Duration incidents, Duration audit, boolean dryRun) {}

    private final Journal journal;
    private final AuditLog audit;
    private final Driver driver;
    private final Projector projector;
    private final RetentionPolicy policy;
    private final Duration minAudit;
    private final Facts facts = new Facts(Json.STRICT);
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "waymark-retention");
        t.setDaemon(true);
        return t;
    });
    private volatile boolean closed;

    /** Replicas: the scheduled work runs on the leader only (null outside the server, where this process is alone). */
    @jakarta.inject.Inject
    io.waymark.catalog.cluster.Leadership leadership;

    public Retention(Journal journal, AuditLog audit, Driver driver, Projector projector,
                     @Value("${waymark.retention.events:}") String events, @Value("${waymark.retention.namespaces:}") String namespaces,
                     @Value("${waymark.retention.findings:}") String findings, @Value("${waymark.retention.incidents:}") String incidents,
                     @Value("${waymark.retention.audit:}") String auditPeriod, @Value("${waymark.retention.min-audit:P1D}") String minAudit,
                     @Value("${waymark.retention.interval:P1D}") String interval, @Value("${waymark.retention.enabled:true}") boolean enabled) {
        this.journal = journal;
        this.audit = audit;
        this.driver = driver;
        this.projector = projector;
        this.minAudit = RetentionPolicy.duration("waymark.retention.min-audit", minAudit);
        // Refused at start: a retention that silently never runs is an obligation missed.
        try {
            this.policy = RetentionPolicy.parse(events, namespaces, findings, incidents, auditPeriod, this.minAudit);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("waymark.retention." + e.getMessage(), e);
        }
        Duration every = RetentionPolicy.duration("waymark.retention.interval", interval);
        if (enabled && !policy.empty()) {
            long millis = Math.max(1000, every.toMillis());
            scheduler.scheduleWithFixedDelay(this::scheduled, millis, millis, TimeUnit.MILLISECONDS);
            LOG.info("retention every {}: {}", every, policy.describe());
        }
    }

    public RetentionPolicy policy() {
        return policy;
    }

    @PreDestroy
    void close() throws InterruptedException {
        closed = true;
        scheduler.shutdown();
        if (!scheduler.awaitTermination(30, TimeUnit.SECONDS)) {
            scheduler.shutdownNow();
        }
    }

    private void scheduled() {
        if (closed || !io.waymark.catalog.cluster.Leadership.leads(leadership)) {
            return;
        }
        try {
            Map<String, Object> counts = purge(new Request(null, null, null, null, null, false), "retention-schedule");
            audit.record(new AuditLog.Entry("retention-schedule", "system", "retention.purge", "journal", counts, null));
        } catch (RuntimeException e) {
            if (!closed) {
                LOG.warn("scheduled retention failed, the next runs as scheduled: {}", e.toString());
            }
        }
    }

    /** Validates a request's periods against the same rules as the configured policy; returns the policy it amounts to. */
    public RetentionPolicy effective(Request r) {
        List<RetentionPolicy.NamespaceRule> rules = policy.namespaces();
        Duration events = policy.events();
        if (r.olderThan() != null) {
            rules = r.namespace() == null ? List.of()
                    : List.of(new RetentionPolicy.NamespaceRule(r.namespace(), io.waymark.catalog.model.Globs.pattern(r.namespace(), false), r.olderThan()));
            events = r.namespace() == null ? r.olderThan() : null;
        } else if (r.namespace() != null) {
            throw new IllegalArgumentException("namespace: narrows olderThan, so give olderThan too");
        }
        if (r.audit() != null && r.audit().compareTo(minAudit) < 0) {
            throw new IllegalArgumentException("audit: at least " + minAudit + " (the audit log is evidence), got " + r.audit());
        }
        return new RetentionPolicy(events, rules, r.findings() != null ? r.findings() : policy.findings(),
                r.incidents() != null ? r.incidents() : policy.incidents(), r.audit() != null ? r.audit() : policy.audit());
    }

    /** Runs (or, dry, measures) a purge and records it; returns the counts. One purge at a time. */
    public synchronized Map<String, Object> purge(Request request, String actor) {
        RetentionPolicy p = effective(request);
        Instant started = Instant.now();
        Map<String, Object> counts = new LinkedHashMap<>();
        counts.put("dryRun", request.dryRun());
        counts.put("policy", p.describe());
        try {
            events(p, started, request.dryRun(), counts);
        } catch (Exception e) {
            throw new IllegalStateException("retention of lineage events failed: " + e.getMessage(), e);
        }
        if (p.findings() != null) {
            counts.put("findings", count("finding", "resolved_at IS NOT NULL AND resolved_at < :cut", p.findings(), started, request.dryRun()));
        }
        if (p.incidents() != null) {
            incidents(p.incidents(), started, request.dryRun(), counts);
        }
        if (p.audit() != null) {
            Instant cut = started.minus(p.audit());
            counts.put("auditEntries", request.dryRun()
                    ? journal.jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM audit_log WHERE seq <= (SELECT coalesce(max(seq), 0) FROM audit_log WHERE at < :cut)")
                            .bind("cut", Times.format(cut)).mapTo(Long.class).one())
                    : audit.purgeBefore(cut));
        }
        counts.put("millis", Duration.between(started, Instant.now()).toMillis());
        record(started, actor, request, counts);
        LOG.info("retention {} by {}: {}", request.dryRun() ? "dry run" : "purge", actor, counts);
        return counts;
    }

    private void events(RetentionPolicy p, Instant now, boolean dryRun, Map<String, Object> counts) throws Exception {
        if (p.events() == null && p.namespaces().isEmpty()) {
            return;
        }
        Compaction.Plan plan = Compaction.plan(journal, facts, (namespaces, eventTime) -> p.old(namespaces, eventTime, now), projector.watermark());
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("scanned", plan.scanned());
        e.put("pastRetention", plan.candidates());
        e.put("keptForCurrentGraph", plan.keptOld());
        e.put("deleted", plan.dropIds().size());
        e.put("runsDeleted", plan.dropRuns().size());
        e.put("bytesDeleted", plan.droppedBytes());
        counts.put("events", e);
        if (dryRun || plan.dropIds().isEmpty()) {
            return;
        }
        // The graph first: a crash after this and before the journal's delete leaves events whose
        // runs the graph lacks, and the next purge deletes them; the other order would leave the
        // graph with runs no rebuild could make.
        deleteRuns(plan.dropRuns(), "");
        // A parent Waymark only knew from its children's facets goes once no child is left.
        deleteRuns(plan.orphanParents(), "WHERE NOT (r)<-[:CHILD_OF]-()");
        for (List<Long> chunk : chunks(plan.dropIds())) {
            journal.writeTransaction(h -> {
                h.createUpdate("DELETE FROM projection_error WHERE event_id IN (<ids>)").bindList("ids", chunk).execute();
                return h.createUpdate("DELETE FROM lineage_event WHERE id IN (<ids>)").bindList("ids", chunk).execute();
            });
        }
    }

    /** Deletes these runs' Run nodes (those passing {@code where}), a chunk per transaction. */
    private void deleteRuns(List<String> runIds, String where) {
        List<String> keys = runIds.stream().map(NodeId::run).toList();
        for (List<String> chunk : chunks(keys)) {
            try (var session = driver.session()) {
                session.executeWrite(tx -> tx.run("UNWIND $keys AS k MATCH (r:Run {key: k}) " + where + " DETACH DELETE r",
                        Values.parameters("keys", chunk)).consume());
            }
        }
    }

    private static <T> List<List<T>> chunks(List<T> all) {
        List<List<T>> chunks = new java.util.ArrayList<>();
        for (int i = 0; i < all.size(); i += DELETE_CHUNK) {
            chunks.add(all.subList(i, Math.min(all.size(), i + DELETE_CHUNK)));
        }
        return chunks;
    }

    private long count(String table, String where, Duration period, Instant now, boolean dryRun) {
        String cut = Times.format(now.minus(period));
        return dryRun
                ? journal.jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM " + table + " WHERE " + where).bind("cut", cut).mapTo(Long.class).one())
                : journal.writeTransaction(h -> (long) h.createUpdate("DELETE FROM " + table + " WHERE " + where).bind("cut", cut).execute());
    }

    /** Resolved incidents past their period, with their steps and notifications, in one transaction. */
    private void incidents(Duration period, Instant now, boolean dryRun, Map<String, Object> counts) {
        String cut = Times.format(now.minus(period));
        String gone = "SELECT id FROM incident WHERE state = 'RESOLVED' AND resolved_at < :cut";
        Map<String, Object> c = journal.writeTransaction(h -> {
            Map<String, Object> n = new LinkedHashMap<>();
            n.put("incidents", h.createQuery("SELECT count(*) FROM (" + gone + ")").bind("cut", cut).mapTo(Long.class).one());
            n.put("incidentSteps", h.createQuery("SELECT count(*) FROM incident_event WHERE incident_id IN (" + gone + ")").bind("cut", cut).mapTo(Long.class).one());
            n.put("notifications", h.createQuery("SELECT count(*) FROM alert_delivery WHERE incident_id IN (" + gone + ") AND state <> 'PENDING'")
                    .bind("cut", cut).mapTo(Long.class).one());
            if (!dryRun) {
                h.createUpdate("DELETE FROM alert_delivery WHERE incident_id IN (" + gone + ") AND state <> 'PENDING'").bind("cut", cut).execute();
                h.createUpdate("DELETE FROM incident_event WHERE incident_id IN (" + gone + ")").bind("cut", cut).execute();
                h.createUpdate("DELETE FROM incident WHERE id IN (" + gone + ")").bind("cut", cut).execute();
            }
            return n;
        });
        counts.putAll(c);
    }

    private void record(Instant started, String actor, Request request, Map<String, Object> counts) {
        Map<String, Object> asked = new LinkedHashMap<>();
        asked.put("olderThan", request.olderThan() == null ? null : RetentionPolicy.text(request.olderThan()));
        asked.put("namespace", request.namespace());
        asked.put("findings", request.findings() == null ? null : RetentionPolicy.text(request.findings()));
        asked.put("incidents", request.incidents() == null ? null : RetentionPolicy.text(request.incidents()));
        asked.put("audit", request.audit() == null ? null : RetentionPolicy.text(request.audit()));
        journal.writeTransaction(h -> h.createUpdate("""
                        INSERT INTO retention_purge (started_at, finished_at, actor, dry_run, request, counts)
                        VALUES (:started, :finished, :actor, :dry, :request, :counts)""")
                .bind("started", Times.format(started)).bind("finished", Times.format(Instant.now())).bind("actor", actor)
                .bind("dry", request.dryRun() ? 1 : 0).bind("request", io.waymark.catalog.api.JsonView.write(Json.STRICT.valueToTree(asked)))
                .bind("counts", io.waymark.catalog.api.JsonView.write(Json.STRICT.valueToTree(counts))).execute());
    }

    /** The newest purges first: when, who, what was asked, what went. */
    public List<Map<String, Object>> history(int limit) {
        return journal.jdbi().withHandle(h -> h.createQuery(
                        "SELECT id, started_at, finished_at, actor, dry_run, request, counts FROM retention_purge ORDER BY id DESC LIMIT :limit")
                .bind("limit", limit)
                .map((rs, ctx) -> {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("id", rs.getLong(1));
                    m.put("startedAt", rs.getString(2));
                    m.put("finishedAt", rs.getString(3));
                    m.put("actor", rs.getString(4));
                    m.put("dryRun", rs.getInt(5) == 1);
                    m.put("request", io.waymark.catalog.api.JsonView.parse(rs.getString(6)));
                    m.put("counts", io.waymark.catalog.api.JsonView.parse(rs.getString(7)));
                    return m;
                }).list());
    }
}
