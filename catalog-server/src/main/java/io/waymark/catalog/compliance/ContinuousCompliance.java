package io.waymark.catalog.compliance;

import io.micronaut.core.annotation.Order;
import io.waymark.catalog.config.WaymarkConfig;
import io.waymark.catalog.governance.Propagator;
import io.waymark.catalog.ops.Metrics;
import io.waymark.catalog.projection.GraphChange;
import io.waymark.catalog.projection.GraphChangeListener;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import org.neo4j.driver.Driver;
import org.neo4j.driver.Result;
import org.neo4j.driver.Session;
import org.neo4j.driver.TransactionContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Keeps findings current as events arrive. After each projection commit (this listener runs
 * last, after propagation) the batch's change is queued; a background thread merges what is
 * queued and re-evaluates the rules for the subjects it could have changed. Local rules (a
 * subject, its fields and direct neighbours) get the datasets the batch touched, those its jobs
 * read and write, those whose propagated labels changed, and one hop downstream of all of them;
 * lineage rules (which look further upstream) also get everything downstream of the datasets
 * whose upstream facts changed (GraphChange.lineageSeeds, and relabelled datasets), found with
 * one breadth-first walk over FEEDS: a routine run of a job at the top of a big DAG stays local.
 * When the merged changes touched nothing but run-level facts (GraphChange.runsOnly: a routine
 * run), only the rules that read runs are evaluated. Projection never waits for any of it; a bulk
 * import is evaluated in a few merged rounds. At start-up and after a rebuild the whole pack runs once, so findings follow
 * a changed rule pack too.
 */
@Singleton
@Order(Integer.MAX_VALUE)
public class ContinuousCompliance implements GraphChangeListener {
    /** Past this many subjects a change's keys are not even kept: the round evaluates everything. */
    static final int MAX_SUBJECTS = 20_000;
    /** A round lists at least this many subjects, whatever the graph's size. */
    static final int MIN_LISTED = 1_000;
    /**
     * A round evaluated for a list of subjects cost about 0.7 ms a subject, one over the whole graph about 5 µs a
     * dataset or job (177,000 datasets: 0.75–1.0 s whole, 0.6 s for 1,000 subjects, 3.6 s for 4,000, 10.8 s for
     * 16,000; BENCHMARKS.md): past a hundredth of the graph, everything is evaluated instead.
     */
    static final int GRAPH_SHARE = 100;
    private static final String GRAPH_SIZE = "CALL () { MATCH (d:Dataset) RETURN count(d) AS n UNION ALL MATCH (j:Job) RETURN count(j) AS n } RETURN sum(n) AS n";
    private static final int LINEAGE_HOPS = 25;
    private static final Logger LOG = LoggerFactory.getLogger(ContinuousCompliance.class);
    private static final String TOUCHED = """
            UNWIND $jobs AS k
            MATCH (:Job {key: k})-[:READS|WRITES]->(d:Dataset)
            RETURN DISTINCT d.key AS key""";
    /** One hop downstream: through jobs, and through column lineage that names no job input. */
    private static final String NEXT = """
            UNWIND $keys AS k
            MATCH (d:Dataset {key: k})
            CALL (d) {
              MATCH (d)-[:FEEDS]->(x:Dataset) RETURN x
              UNION
              MATCH (d)-[:HAS_FIELD]->(:Field)<-[:DERIVES_FROM]-(:Field)<-[:HAS_FIELD]-(x:Dataset) RETURN x
            }
            RETURN DISTINCT x.key AS key""";
    private static final String DOWNSTREAM = """
            UNWIND $keys AS k
            MATCH (:Dataset {key: k})-[:FEEDS*1..%d]->(x:Dataset)
            RETURN DISTINCT x.key AS key""".formatted(LINEAGE_HOPS);

    private final ComplianceService compliance;
    private final Metrics metrics;
    private final Propagator propagator;
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
    private Set<String> pendingSeeds = new LinkedHashSet<>();
    private boolean pendingAll;
    /** The queued changes touched more subjects than are listed: all of them are evaluated (graph or run rules, as {@link #pendingGraph} says). */
    private boolean pendingWhole;
    /** Some queued change touched more than run-level facts: every rule is evaluated. */
    private boolean pendingGraph;
    private boolean running;
    private volatile boolean closed;
    /** The evaluation that start-up asks for has run (or there is none): until then the server is still warming up. */
    private volatile boolean started;
    private static final java.time.Duration QUIET = java.time.Duration.ofSeconds(3);
    private static final java.time.Duration GIVE_WAY_AT_MOST = java.time.Duration.ofSeconds(20);
    private volatile long resetAt = System.nanoTime();
    private volatile long lastChange = Long.MIN_VALUE;

    /** Only {@code serve} has an HTTP server to wait for; the commands evaluate at once. */
    private final boolean serving;
    private volatile boolean serverStarted;

    public ContinuousCompliance(ComplianceService compliance, Propagator propagator, Driver driver, WaymarkConfig config, Metrics metrics,
                                @io.micronaut.context.annotation.Value("${waymark.command:serve}") String command) {
        this.serving = command.equals("serve");
        this.compliance = compliance;
        this.propagator = propagator;
        this.metrics = metrics;
        this.driver = driver;
        this.enabled = config.isComplianceContinuous();
        this.started = !enabled;
    }

    @Override
    public void changed(GraphChange change) {
        lastChange = System.nanoTime();
        // Propagation ran before this listener: the datasets whose propagated labels changed count as touched.
        Set<String> relabelled = propagator.takeChangedDatasets();
        if (!enabled || (change.jobs().isEmpty() && change.nodes().isEmpty() && relabelled.isEmpty() && change.lineageSeeds().isEmpty())) {
            return;
        }
        synchronized (lock) {
            pendingGraph |= !change.runsOnly() || !relabelled.isEmpty();
            if (!pendingWhole) {
                pendingJobs.addAll(change.jobs());
                pendingNodes.addAll(change.nodes());
                pendingNodes.addAll(relabelled);
                pendingSeeds.addAll(change.lineageSeeds());
                // Labels are facts lineage rules may read upstream too.
                pendingSeeds.addAll(relabelled);
                if (pendingJobs.size() > MAX_SUBJECTS || pendingNodes.size() > MAX_SUBJECTS) {
                    // Past the cap every subject is evaluated anyway (see affected): the keys are not kept
                    // for the round. A job with 114,000 inputs had them held through the whole round it
                    // caused, seconds in which young collections copied them.
                    pendingWhole = true;
                    pendingJobs = new LinkedHashSet<>();
                    pendingNodes = new LinkedHashSet<>();
                    pendingSeeds = new LinkedHashSet<>();
                }
            }
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
            resetAt = System.nanoTime();
            schedule();
        }
    }

    /**
     * The start-up round plans every rule query, seconds of CPU on a cold JVM that the first events'
     * projection would share (measured: a first event readable 3.5–4 s after its POST with the round
     * beside it, 1 s without). So it gives way: it begins once projection has been quiet for
     * {@link #QUIET} and at least {@link #QUIET} after the reset and after the server started taking
     * requests (the read warm-up lies between them), and in any case {@link #GIVE_WAY_AT_MOST} after the reset.
     */
    private void giveWayToFirstEvents() throws InterruptedException {
        long until = resetAt + GIVE_WAY_AT_MOST.toNanos();
        while (!closed && System.nanoTime() < until
                && (serving && !serverStarted || System.nanoTime() - Math.max(resetAt, lastChange) < QUIET.toNanos())) {
            Thread.sleep(100);
        }
    }

    /**
     * The quiet time counts from when the server takes requests and has warmed its HTTP read path
     * ({@link io.waymark.catalog.api.HttpWarmup}), not from the reset: start-up's read warm-up comes
     * between them, and a round that began at once would share the CPU with the first events.
     */
    @io.micronaut.runtime.event.annotation.EventListener
    void serverStarted(io.waymark.catalog.api.HttpWarmup.Warm event) {
        lastChange = System.nanoTime();
        serverStarted = true;
    }

    /** Stops evaluating before the graph driver closes; findings are derived and the next start re-evaluates. */
    @PreDestroy
    void close() throws InterruptedException {
        closed = true;
        // The round in progress may finish (interrupting it mid-query makes the driver retry
        // and complain); the driver must stay open until it has.
        background.shutdown();
        if (!background.awaitTermination(10, TimeUnit.SECONDS)) {
            background.shutdownNow();
            background.awaitTermination(5, TimeUnit.SECONDS);
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

    /** Whether start-up's evaluation round has run: its rule queries are planned and its findings current. */
    public boolean started() {
        return started;
    }

    /** True while changes wait for evaluation or a round runs. */
    public boolean busy() {
        synchronized (lock) {
            return running;
        }
    }


    private void schedule() {
        if (!running) {
            running = true;
            background.submit(this::drain);
        }
    }

    private void drain() {
        if (!started) {
            try {
                giveWayToFirstEvents();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        while (true) {
            Set<String> jobs;
            Set<String> nodes;
            Set<String> seeds;
            boolean all;
            boolean whole;
            boolean runsOnly;
            synchronized (lock) {
                if (closed || !pendingAll && !pendingWhole && pendingJobs.isEmpty() && pendingNodes.isEmpty() && pendingSeeds.isEmpty()) {
                    started = true;
                    running = false;
                    lock.notifyAll();
                    return;
                }
                jobs = pendingJobs;
                nodes = pendingNodes;
                seeds = pendingSeeds;
                all = pendingAll;
                whole = pendingWhole;
                runsOnly = !pendingGraph;
                pendingGraph = false;
                pendingJobs = new LinkedHashSet<>();
                pendingNodes = new LinkedHashSet<>();
                pendingSeeds = new LinkedHashSet<>();
                pendingAll = false;
                pendingWhole = false;
            }
            long started = System.nanoTime();
            try {
                ComplianceService.Subjects subjects = all ? null
                        : whole ? new ComplianceService.Subjects(null, null, runsOnly) : affected(jobs, nodes, seeds, runsOnly);
                long affectedMs = (System.nanoTime() - started) / 1_000_000;
                var summary = compliance.evaluate(subjects);
                metrics.complianceRound(subjects != null, subjects == null || subjects.local() == null ? -1 : subjects.local().size(), System.nanoTime() - started);
                LOG.debug("compliance round over {}: finding subjects {} ms, evaluation {} ms (recording {} ms: {}), slowest rules {}",
                        summary.path("scope").asText(), affectedMs, summary.path("durationMs").asLong(), summary.path("recordingMs").asLong(),
                        summary.path("recording").asText(), summary.path("slowestRulesMs"));
            } catch (RuntimeException e) {
                if (closed) {
                    // Shutting down: the driver went away under a running round.
                    synchronized (lock) {
                        running = false;
                        lock.notifyAll();
                    }
                    return;
                }
                // Findings are derived: a failed round is logged and the next change or full run catches up.
                LOG.error("continuous compliance evaluation failed", e);
            }
        }
    }

    /** The subjects a change can affect: local ones, and (null: too many to list) those of lineage rules. */
    ComplianceService.Subjects affected(Set<String> jobs, Set<String> nodes, Set<String> seeds, boolean runsOnly) {
        try (Session session = driver.session()) {
            // One transaction for the three lookups: at this size round trips cost more than the queries.
            return session.executeRead(tx -> {
                // Past the cap a list costs more than evaluating everything, and so does finding it: each lookup
                // stops there. Run to the end, a job with 114,000 inputs had them read 114,000 datasets'
                // neighbours and walk downstream of 50,000 seeds (750 MB in a second, young pauses of 150 ms
                // for every thread) only to give the list up.
                int limit = subjectLimit(tx);
                Set<String> local = new LinkedHashSet<>(nodes);
                local.addAll(jobs);
                Set<String> touched = new LinkedHashSet<>();
                nodes.stream().filter(k -> k.startsWith("dataset:")).forEach(touched::add);
                if (local.size() > limit || !addKeys(tx, TOUCHED, "jobs", jobs, touched, local, limit)
                        || !addKeys(tx, NEXT, "keys", touched, local, local, limit)) {
                    return new ComplianceService.Subjects(null, null, runsOnly);
                }
                Set<String> lineage = new LinkedHashSet<>(local);
                lineage.addAll(seeds);
                boolean listed = lineage.size() <= limit && (seeds.isEmpty() || addKeys(tx, DOWNSTREAM, "keys", seeds, lineage, lineage, limit));
                return new ComplianceService.Subjects(local, listed ? lineage : null, runsOnly);
            });
        }
    }

    /**
     * How many subjects a round lists before it evaluates everything instead, for a graph of
     * {@code graphNodes} datasets and jobs: a hundredth of them, at least {@link #MIN_LISTED}, at
     * most {@link #MAX_SUBJECTS}.
     */
    static int subjectLimit(long graphNodes) {
        return (int) Math.max(MIN_LISTED, Math.min(MAX_SUBJECTS, graphNodes / GRAPH_SHARE));
    }

    /** The limit {@link #affected} applies to the graph as it is now. */
    int subjectLimit() {
        try (Session session = driver.session()) {
            return session.executeRead(ContinuousCompliance::subjectLimit);
        }
    }

    private static int subjectLimit(TransactionContext tx) {
        return subjectLimit(tx.run(GRAPH_SIZE).single().get("n").asLong());
    }

    /**
     * Adds what {@code query} finds for {@code from} to {@code into} (and to {@code capped}, the set the limit
     * counts); false, having stopped early, when {@code capped} would pass {@code limit}.
     */
    private static boolean addKeys(TransactionContext tx, String query, String param, Set<String> from, Set<String> into, Set<String> capped,
                                   int limit) {
        if (from.isEmpty()) {
            return true;
        }
        Result result = tx.run(query + " LIMIT $limit", Map.of(param, List.copyOf(from), "limit", limit + 1));
        while (result.hasNext()) {
            String key = result.next().get("key").asString();
            into.add(key);
            capped.add(key);
            if (capped.size() > limit) {
                result.consume();
                return false;
            }
        }
        return true;
    }
}
