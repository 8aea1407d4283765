package io.waymark.catalog.compliance;

import io.micronaut.core.annotation.Order;
import io.waymark.catalog.config.WaymarkConfig;
import io.waymark.catalog.ops.Metrics;
import io.waymark.catalog.projection.GraphChange;
import io.waymark.catalog.projection.GraphChangeListener;
import jakarta.inject.Singleton;
import org.neo4j.driver.Driver;
import org.neo4j.driver.Session;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Keeps findings current as events arrive. After each projection commit (this listener runs
 * last, after propagation) the batch's change is queued; a background thread merges what is
 * queued and re-evaluates every rule for the subjects it could have changed: the datasets and
 * jobs it touched, the datasets those jobs read and write, and everything downstream of them,
 * because rules look upstream from their subject (sources of a key report, the DSAR source of a
 * copy, where a label came from). Projection never waits for it; a bulk import is evaluated in a
 * few merged rounds. A change that reaches more than {@link #MAX_SUBJECTS} subjects is evaluated
 * whole. At start-up and after a rebuild the whole pack runs once, so findings follow a changed
 * rule pack too.
 */
@Singleton
@Order(Integer.MAX_VALUE)
public class ContinuousCompliance implements GraphChangeListener {
    static final int MAX_SUBJECTS = 20_000;
    private static final int MAX_HOPS = 50;
    private static final Logger LOG = LoggerFactory.getLogger(ContinuousCompliance.class);
    private static final String TOUCHED = """
            UNWIND $jobs AS k
            MATCH (:Job {key: k})-[:READS|WRITES]->(d:Dataset)
            RETURN DISTINCT d.key AS key""";
    /** One hop downstream: through jobs, and through column lineage that names no job input. */
    private static final String DOWNSTREAM = """
            UNWIND $keys AS k
            MATCH (d:Dataset {key: k})
            CALL (d) {
              MATCH (d)<-[:READS]-(:Job)-[:WRITES]->(x:Dataset) RETURN x
              UNION
              MATCH (d)-[:HAS_FIELD]->(:Field)<-[:DERIVES_FROM]-(:Field)<-[:HAS_FIELD]-(x:Dataset) RETURN x
            }
            RETURN DISTINCT x.key AS key""";

    private final ComplianceService compliance;
    private final Metrics metrics;
    private final Driver driver;
    private final boolean enabled;
    private final ExecutorService background = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "waymark-compliance");
        t.setDaemon(true);
        return t;
    });
    private final Object lock = new Object();
    private Set<String> pendingJobs = new LinkedHashSet<>();
    private Set<String> pendingNodes = new LinkedHashSet<>();
    private boolean pendingAll;
    private boolean running;
    private volatile long lastDurationMs = -1;

    public ContinuousCompliance(ComplianceService compliance, Driver driver, WaymarkConfig config, Metrics metrics) {
        this.compliance = compliance;
        this.metrics = metrics;
        this.driver = driver;
        this.enabled = config.isComplianceContinuous();
    }

    @Override
    public void changed(GraphChange change) {
        if (!enabled || (change.jobs().isEmpty() && change.nodes().isEmpty())) {
            return;
        }
        synchronized (lock) {
            pendingJobs.addAll(change.jobs());
            pendingNodes.addAll(change.nodes());
            schedule();
        }
    }

    @Override
    public void reset() {
        if (!enabled) {
            return;
        }
        synchronized (lock) {
            pendingAll = true;
            schedule();
        }
    }

    /** Waits until everything queued so far has been evaluated (tests, benchmarks). */
    public void awaitIdle() throws InterruptedException {
        synchronized (lock) {
            while (running) {
                lock.wait(100);
            }
        }
    }

    /** True while changes wait for evaluation or a round runs. */
    public boolean busy() {
        synchronized (lock) {
            return running;
        }
    }

    /** How long the last evaluation round took, in milliseconds (-1 before the first). */
    public long lastDurationMs() {
        return lastDurationMs;
    }

    private void schedule() {
        if (!running) {
            running = true;
            background.submit(this::drain);
        }
    }

    private void drain() {
        while (true) {
            Set<String> jobs;
            Set<String> nodes;
            boolean all;
            synchronized (lock) {
                if (!pendingAll && pendingJobs.isEmpty() && pendingNodes.isEmpty()) {
                    running = false;
                    lock.notifyAll();
                    return;
                }
                jobs = pendingJobs;
                nodes = pendingNodes;
                all = pendingAll;
                pendingJobs = new LinkedHashSet<>();
                pendingNodes = new LinkedHashSet<>();
                pendingAll = false;
            }
            long started = System.nanoTime();
            try {
                Set<String> subjects = all ? null : affected(jobs, nodes);
                boolean whole = subjects == null || subjects.size() > MAX_SUBJECTS;
                compliance.evaluate(whole ? null : subjects);
                metrics.complianceRound(!whole, whole ? -1 : subjects.size(), System.nanoTime() - started);
            } catch (RuntimeException e) {
                // Findings are derived: a failed round is logged and the next change or full run catches up.
                LOG.error("continuous compliance evaluation failed", e);
            }
            lastDurationMs = (System.nanoTime() - started) / 1_000_000;
        }
    }

    /** The subjects a change can affect; more than the cap means "everything". */
    Set<String> affected(Set<String> jobs, Set<String> nodes) {
        Set<String> subjects = new LinkedHashSet<>(nodes);
        subjects.addAll(jobs);
        try (Session session = driver.session()) {
            Set<String> start = new LinkedHashSet<>();
            nodes.stream().filter(k -> k.startsWith("dataset:")).forEach(start::add);
            start.addAll(session.executeRead(tx -> tx.run(TOUCHED, Map.of("jobs", List.copyOf(jobs))).list(r -> r.get("key").asString())));
            subjects.addAll(start);
            List<String> frontier = new ArrayList<>(start);
            for (int hop = 0; hop < MAX_HOPS && !frontier.isEmpty() && subjects.size() <= MAX_SUBJECTS; hop++) {
                List<String> keys = List.copyOf(frontier);
                frontier.clear();
                for (String key : session.executeRead(tx -> tx.run(DOWNSTREAM, Map.of("keys", keys)).list(r -> r.get("key").asString()))) {
                    if (subjects.add(key)) {
                        frontier.add(key);
                    }
                }
            }
        }
        return subjects;
    }
}
