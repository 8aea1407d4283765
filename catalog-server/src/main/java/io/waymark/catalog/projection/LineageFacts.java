package io.waymark.catalog.projection;

import org.neo4j.driver.Record;
import org.neo4j.driver.Result;
import org.neo4j.driver.TransactionContext;

import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BiConsumer;

/**
 * The facts about a batch's jobs and datasets that rules with lineage reach may read upstream of
 * their subject: a job's current inputs and outputs, its latest finished run when a failure is
 * involved, annotations, owners and deleted state of jobs and datasets, and the latest
 * data-quality result on a dataset's reads. Read before and after a batch is written, in the same
 * transaction; where they differ, what lies downstream must be re-evaluated. A routine run of a
 * job (same inputs and outputs, same outcome) changes none of them, so its re-evaluation stays
 * local however much of the graph lies downstream.
 */
final class LineageFacts {
    private static final Set<String> FAILING = Set.of("FAILED", "ABORTED");
    /**
     * Node properties that change with every run and that only rules declaring {@code reads: runs}
     * may read: times, the latest run and version, and the statistics and quality facets a run
     * reports. Everything else on a job or dataset is a graph fact.
     */
    private static final Set<String> RUN_LEVEL = Set.of("createdAt", "updatedAt", "latestRunState", "latestRunKey",
            "currentVersion", "versionAt", "facet.outputStatistics", "facet.inputStatistics", "facet.dataQualityMetrics",
            "facet.dataQualityAssertions", "facet.version");
    private static final String JOBS = """
            UNWIND $keys AS k
            MATCH (j:Job {key: k}) USING INDEX j:Job(key)
            RETURN j.key AS key, properties(j) AS props,
                   [(j)-[:READS]->(d:Dataset) | d.key] AS reads, [(j)-[:WRITES]->(d:Dataset) | d.key] AS writes,
                   [(j)-[:OWNED_BY]->(o:Owner) | o.name] AS owners, [] AS symlinks""";
    private static final String DATASETS = """
            UNWIND $keys AS k
            MATCH (d:Dataset {key: k}) USING INDEX d:Dataset(key)
            CALL (d, k) {
              OPTIONAL MATCH (:Run)-[e:READ]->(d) WHERE k IN $dq AND e.dqChecked > 0
              RETURN e ORDER BY e.lastSeen DESC LIMIT 1
            }
            RETURN d.key AS key, properties(d) AS props, [(d)-[:OWNED_BY]->(o:Owner) | o.name] AS owners,
                   [(d)-[:SYMLINK_OF]->(a:Dataset) | a.key] AS symlinks,
                   CASE WHEN e IS NULL THEN null ELSE e.dqFailed END AS dq""";

    private record Job(Map<String, Object> facts, Map<String, Object> graph, Set<String> reads, Set<String> writes, String state, String run) {}

    private record Dataset(Map<String, Object> facts, Map<String, Object> graph, Object dq) {}

    private final Map<String, Job> jobs = new HashMap<>();
    private final Map<String, Dataset> datasets = new HashMap<>();

    private LineageFacts() {}

    /** Reads the facts of these jobs and datasets; {@code dq}: the datasets whose data-quality results the batch carries. */
    static LineageFacts read(TransactionContext tx, Set<String> jobKeys, Set<String> datasetKeys, Set<String> dq) {
        LineageFacts facts = new LineageFacts();
        stream(tx, jobKeys, datasetKeys, dq, facts.jobs::put, facts.datasets::put);
        return facts;
    }

    /**
     * What differs between {@code before} and the facts of these jobs and datasets now, compared
     * record by record as they are read rather than read whole and then compared: after an event
     * with 64,000 inputs the facts after were 64,000 property maps held at once while the
     * transaction that wrote them was still open (1–3 s, and young collections copying them).
     */
    static Changes changesSince(LineageFacts before, TransactionContext tx, Set<String> jobKeys, Set<String> datasetKeys, Set<String> dq) {
        Changes changes = new Changes();
        stream(tx, jobKeys, datasetKeys, dq, (key, now) -> changes.job(before.jobs.get(key), now),
                (key, now) -> changes.dataset(key, before.datasets.get(key), now));
        return changes;
    }

    private static void stream(TransactionContext tx, Set<String> jobKeys, Set<String> datasetKeys, Set<String> dq,
                               BiConsumer<String, Job> jobs, BiConsumer<String, Dataset> datasets) {
        if (!jobKeys.isEmpty()) {
            Result result = tx.run(JOBS, Map.of("keys", List.copyOf(jobKeys)));
            while (result.hasNext()) {
                Record r = result.next();
                Map<String, Object> props = r.get("props").asMap();
                jobs.accept(r.get("key").asString(), new Job(facts(props, r), graph(props, r), new HashSet<>(r.get("reads").asList(v -> v.asString())),
                        new HashSet<>(r.get("writes").asList(v -> v.asString())), (String) props.get("latestRunState"),
                        (String) props.get("latestRunKey")));
            }
        }
        if (!datasetKeys.isEmpty()) {
            Result result = tx.run(DATASETS, Map.of("keys", List.copyOf(datasetKeys), "dq", List.copyOf(dq)));
            while (result.hasNext()) {
                Record r = result.next();
                Map<String, Object> props = r.get("props").asMap();
                datasets.accept(r.get("key").asString(), new Dataset(facts(props, r), graph(props, r), r.get("dq").asObject()));
            }
        }
    }

    /** Annotations (ann.*), deleted state and owners: the node facts rules read along lineage. */
    private static Map<String, Object> facts(Map<String, Object> props, Record r) {
        Map<String, Object> facts = new TreeMap<>();
        props.forEach((k, v) -> {
            if (k.startsWith("ann.")) {
                facts.put(k, v);
            }
        });
        facts.put("deleted", Boolean.TRUE.equals(props.get("deleted")));
        facts.put("owners", new HashSet<>(r.get("owners").asList(v -> v.asString())));
        return facts;
    }

    /** Every graph fact of a node: its properties but the run-level ones, its owners and symlinks. */
    private static Map<String, Object> graph(Map<String, Object> props, Record r) {
        Map<String, Object> graph = new HashMap<>(props);
        graph.keySet().removeAll(RUN_LEVEL);
        graph.put("owners", new HashSet<>(r.get("owners").asList(v -> v.asString())));
        graph.put("symlinks", new HashSet<>(r.get("symlinks").asList(v -> v.asString())));
        return graph;
    }

    /**
     * What a batch changed, as lineage rules see it. {@code graphChanged}: anything but run-level
     * facts differs (a new job or dataset, a changed property, owner, symlink, current input or
     * output); when nothing does, the batch was routine runs and only rules reading runs can change
     * their verdicts. {@code seeds}: datasets whose upstream differs.
     */
    static final class Changes {
        private final Set<String> seeds = new LinkedHashSet<>();
        private boolean graphChanged;

        Set<String> seeds() {
            return seeds;
        }

        boolean graphChanged() {
            return graphChanged;
        }

        private void job(Job was, Job now) {
            if (was == null) {
                // A new job: whatever it writes has a new writer upstream.
                graphChanged = true;
                seeds.addAll(now.writes());
                return;
            }
            boolean sameEdges = was.reads().equals(now.reads()) && was.writes().equals(now.writes());
            graphChanged |= !sameEdges || !was.graph().equals(now.graph());
            boolean runMatters = !Objects.equals(was.state(), now.state())
                    || (!Objects.equals(was.run(), now.run()) && (FAILING.contains(was.state()) || FAILING.contains(now.state())));
            if (runMatters || !sameEdges || !was.facts().equals(now.facts())) {
                seeds.addAll(was.writes());
                seeds.addAll(now.writes());
            }
        }

        private void dataset(String key, Dataset was, Dataset now) {
            graphChanged |= was == null || !was.graph().equals(now.graph());
            if (was == null || !was.facts().equals(now.facts()) || !Objects.equals(was.dq(), now.dq())) {
                seeds.add(key);
            }
        }
    }
}
