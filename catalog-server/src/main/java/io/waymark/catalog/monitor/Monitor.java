package io.waymark.catalog.monitor;

import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Value;
import io.waymark.catalog.compliance.FindingDao;
import io.waymark.catalog.compliance.FindingRow;
import io.waymark.catalog.incident.Incidents;
import io.waymark.catalog.journal.Journal;
import io.waymark.catalog.model.NodeId;
import io.waymark.catalog.ops.Metrics;
import jakarta.annotation.PreDestroy;
import org.neo4j.driver.Driver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The monitor: every {@code waymark.monitor.interval} (environment WAYMARK_MONITOR_INTERVAL,
 * ISO-8601, default PT1M) it judges every job's runs, every dataset's freshness and quality and
 * the open compliance FAILs, and brings incidents in line with what it saw. A check that fails
 * (the graph away, a bad value) is logged and the next one runs; ingest never waits for it.
 */
@Context
public class Monitor {
    private static final Logger LOG = LoggerFactory.getLogger(Monitor.class);
    public static final Set<String> KINDS = Set.of("JOB_FAILING", "JOB_STUCK", "JOB_LATE", "DATASET_STALE", "QUALITY_FAILED", SchemaChanges.KIND,
            "COMPLIANCE_FAIL");
    private static final int MAX_COMPLIANCE_INCIDENTS = 5000;

    /** What one check saw. */
    public record Check(Instant at, List<JobStates.Health> jobs, List<DatasetHealth.Freshness> freshness, int opened, int resolved,
                        Map<String, Long> millis) {}

    private final Driver driver;
    private final Journal journal;
    private final Incidents incidents;
    private final Metrics metrics;
    private final io.waymark.catalog.impact.ImpactService impact;
    private final Duration grace;
    private final double rowDropRatio;
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "waymark-monitor");
        t.setDaemon(true);
        return t;
    });
    private volatile Check last;
    private volatile boolean closed;

    /** Replicas: the scheduled work runs on the leader only (null outside the server, where this process is alone). */
    @jakarta.inject.Inject
    io.waymark.catalog.cluster.Leadership leadership;

    public Monitor(Driver driver, Journal journal, Incidents incidents, Metrics metrics, io.waymark.catalog.impact.ImpactService impact,
                   @Value("${waymark.monitor.interval:PT1M}") String interval, @Value("${waymark.monitor.grace:PT5M}") String grace,
                   @Value("${waymark.monitor.enabled:true}") boolean enabled,
                   @Value("${waymark.monitor.row-drop-ratio:0.5}") double rowDropRatio) {
        this.rowDropRatio = rowDropRatio;
        this.driver = driver;
        this.journal = journal;
        this.incidents = incidents;
        this.metrics = metrics;
        this.impact = impact;
        Duration every = Schedule.duration(interval);
        Duration late = grace.equals("PT0S") ? Duration.ZERO : Schedule.duration(grace);
        if (every == null || late == null) {
            // Refuse at start: a monitor that silently never runs is worse than a server that says why it will not start.
            throw new IllegalArgumentException("waymark.monitor.interval and waymark.monitor.grace must be ISO-8601 durations such as PT1M, got '"
                    + interval + "' and '" + grace + "'");
        }
        this.grace = late;
        metrics.gauge("waymark_monitor_last_check_timestamp_seconds", "When the monitor last finished a check",
                () -> last == null ? 0 : last.at().getEpochSecond());
        if (enabled) {
            long millis = Math.max(1000, every.toMillis());
            scheduler.scheduleWithFixedDelay(this::scheduled, millis, millis, TimeUnit.MILLISECONDS);
        }
    }

    /**
     * Lets a check in progress finish before the graph driver closes (interrupting it mid-query makes
     * the driver retry and complain): a normal stop logs nothing.
     */
    @PreDestroy
    void close() throws InterruptedException {
        closed = true;
        scheduler.shutdown();
        if (!scheduler.awaitTermination(10, TimeUnit.SECONDS)) {
            scheduler.shutdownNow();
            scheduler.awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    private void scheduled() {
        if (closed || !io.waymark.catalog.cluster.Leadership.leads(leadership)) {
            return;
        }
        try {
            check();
        } catch (RuntimeException e) {
            if (!closed) {
                LOG.warn("monitor check failed, the next runs as scheduled: {}", e.toString());
            }
        }
    }

    public Duration grace() {
        return grace;
    }

    /** Judges everything now and reconciles incidents; one check at a time. */
    public synchronized Check check() {
        Instant now = Instant.now();
        // Where a check's time goes, per phase: in the check's answer and the log.
        Map<String, Long> millis = new LinkedHashMap<>();
        long t = System.nanoTime();
        List<JobStates.Health> jobs = JobStates.read(driver, null, now, grace);
        t = lap(millis, "jobs", t);
        Map<String, JobStates.Health> byKey = new HashMap<>();
        jobs.forEach(j -> byKey.put(j.key(), j));
        List<Incidents.Problem> problems = new ArrayList<>();
        for (JobStates.Health j : jobs) {
            if (!j.state().equals("OK")) {
                Map<String, Object> detail = new LinkedHashMap<>();
                detail.put("reason", j.reason());
                detail.put("p50Ms", j.p50Ms());
                detail.put("p95Ms", j.p95Ms());
                detail.put("successRate", j.successRate());
                problems.add(new Incidents.Problem("JOB_" + j.state(), j.key(), j.namespace(), j.name(), j.episode(),
                        severity(j.tier(), j.state().equals("LATE") ? "medium" : "high"),
                        "Job " + j.namespace() + "/" + j.name() + " is " + j.state().toLowerCase() + ": " + j.reason(), detail, j.owner()));
            }
        }
        List<DatasetHealth.Freshness> freshness = DatasetHealth.freshness(driver, now);
        List<DatasetHealth.Problem> datasetProblems = new ArrayList<>(DatasetHealth.problems(driver, freshness, byKey, rowDropRatio));
        t = lap(millis, "datasets", t);
        datasetProblems.addAll(SchemaChanges.problems(driver, journal.jdbi(), impact));
        t = lap(millis, "schemaChanges", t);
        for (DatasetHealth.Problem p : datasetProblems) {
            Map<String, Object> detail = new LinkedHashMap<>(p.detail());
            detail.put("reason", p.reason());
            String what = switch (p.kind()) {
                case "DATASET_STALE" -> " is stale: ";
                case SchemaChanges.KIND -> " changed its schema in a way that breaks downstream column lineage: ";
                default -> " failed its quality checks: ";
            };
            problems.add(new Incidents.Problem(p.kind(), p.key(), p.namespace(), p.name(), p.episode(),
                    severity(p.tier(), p.kind().equals(SchemaChanges.KIND) ? "high" : "medium"),
                    "Dataset " + p.namespace() + "/" + p.name() + what + p.reason(), detail, p.owner()));
        }
        problems.addAll(complianceProblems());
        t = lap(millis, "compliance", t);
        List<Incidents.Change> changes = incidents.reconcile(problems, KINDS);
        lap(millis, "incidents", t);
        Check check = new Check(now, jobs, freshness, (int) changes.stream().filter(c -> c.action().equals("opened")).count(),
                (int) changes.stream().filter(c -> c.action().equals("resolved")).count(), millis);
        LOG.debug("monitor check: {} jobs, {} problems, ms per phase {}", jobs.size(), problems.size(), millis);
        last = check;
        publish(check);
        return check;
    }

    private static long lap(Map<String, Long> millis, String phase, long since) {
        long now = System.nanoTime();
        millis.put(phase, (now - since) / 1_000_000);
        return now;
    }

    public Check last() {
        return last;
    }

    /** One job judged now, with its history (empty when it has no runs or does not exist). */
    public java.util.Optional<JobStates.Health> job(String key) {
        return JobStates.read(driver, key, Instant.now(), grace).stream().findFirst();
    }

    public List<JobStates.Health> jobs() {
        return JobStates.read(driver, null, Instant.now(), grace);
    }

    public List<Map<String, Object>> qualityHistory(String datasetKey) {
        return DatasetHealth.history(driver, datasetKey, JobStates.HISTORY);
    }

    public List<DatasetHealth.Freshness> freshness() {
        return DatasetHealth.freshness(driver, Instant.now());
    }

    /** Each open compliance FAIL is an incident, its severity the rule's. */
    private List<Incidents.Problem> complianceProblems() {
        List<FindingRow> fails = journal.jdbi().withExtension(FindingDao.class,
                d -> d.find(false, null, null, "FAIL", null, null, MAX_COMPLIANCE_INCIDENTS));
        List<Incidents.Problem> problems = new ArrayList<>();
        for (FindingRow f : fails) {
            String[] ns = namespaceAndName(f.nodeId());
            Map<String, Object> detail = new LinkedHashMap<>();
            detail.put("findingId", f.id());
            detail.put("ruleId", f.ruleId());
            detail.put("regulation", f.regulation());
            detail.put("remediation", f.remediation());
            detail.put("evidence", io.waymark.catalog.api.JsonView.parse(f.evidence() == null ? "{}" : f.evidence()));
            problems.add(new Incidents.Problem("COMPLIANCE_FAIL", f.ruleId() + "@" + f.nodeId(), ns[0], ns[1], f.firstSeen(),
                    f.severity() == null ? "high" : f.severity(), f.regulation() + " " + f.ruleId() + " fails on " + ns[1] + ": " + f.title(), detail, null));
        }
        return problems;
    }

    /**
     * A node key's namespace and name: the namespace ends at the key's last colon (a field's: the
     * last but one, its name then {@code dataset:field}); the name's escapes are undone.
     */
    static String[] namespaceAndName(String key) {
        int colon = key.indexOf(':');
        int cut = key.lastIndexOf(':');
        if (key.startsWith("datasetField:") && cut > colon) {
            cut = key.lastIndexOf(':', cut - 1);
        }
        if (colon < 0 || cut <= colon) {
            return new String[] {"", key};
        }
        return new String[] {key.substring(colon + 1, cut), NodeId.display(key).substring(cut + 1)};
    }

    private static String severity(Long tier, String otherwise) {
        if (tier == null) {
            return otherwise;
        }
        return switch (tier.intValue()) {
            case 1 -> "critical";
            case 2 -> "high";
            case 3 -> "medium";
            default -> "low";
        };
    }

    private void publish(Check check) {
        Map<String, Integer> states = new HashMap<>();
        for (String s : List.of("OK", "FAILING", "STUCK", "LATE")) {
            states.put(s, 0);
        }
        check.jobs().forEach(j -> states.merge(j.state(), 1, Integer::sum));
        Map<List<String>, Number> jobRows = new HashMap<>();
        states.forEach((state, n) -> jobRows.put(List.of(state), n));
        metrics.table("waymark_monitor_jobs", "Jobs by the monitor's state", List.of("state"), jobRows);
        Map<List<String>, Number> lag = new HashMap<>();
        check.freshness().forEach(f -> lag.put(List.of(f.namespace(), f.name()), f.lagMs() == null ? Double.NaN : f.lagMs() / 1000.0));
        metrics.table("waymark_dataset_freshness_lag_seconds", "Seconds since a dataset with a freshnessSla was last written",
                List.of("namespace", "dataset"), lag);
        Map<List<String>, Number> incidentRows = new HashMap<>(incidents.counts());
        metrics.table("waymark_incidents", "Incidents by kind and state", List.of("kind", "state"), incidentRows);
    }
}
