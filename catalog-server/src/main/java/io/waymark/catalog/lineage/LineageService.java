package io.waymark.catalog.lineage;

import io.micronaut.http.HttpResponse;
import io.waymark.catalog.api.JsonBody;
import io.waymark.catalog.api.JsonView;
import io.waymark.catalog.api.RawJson;
import io.waymark.catalog.api.ReadLimits;
import io.waymark.catalog.api.Views;
import io.waymark.catalog.config.WaymarkConfig;
import io.waymark.catalog.model.NodeId;
import io.waymark.catalog.projection.Visibility;
import jakarta.inject.Singleton;
import org.neo4j.driver.Driver;
import org.neo4j.driver.Record;
import org.neo4j.driver.Session;
import org.neo4j.driver.TransactionContext;
import org.neo4j.driver.Value;

import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;


/**
 * Dataset/job lineage in Marquez's graph shape. The walk is hop by hop from Java: one query per
 * hop for the whole frontier, a fan-out cap per node and a node cap overall, never a
 * variable-length pattern; {@code truncated} says when a cap cut the result.
 */
@Singleton
public class LineageService {
    private final ReadLimits reads;
    /** An edge e to a node m as it stood at $asOf (null: now): seen by then and not deleted by then. */
    private static final String VISIBLE = "($asOf IS NULL OR e.firstSeen <= $asOf) AND (NOT coalesce(m.deleted, false) OR ($asOf IS NOT NULL AND m.deletedAt > $asOf))";
    /** One hop of both walks: %1$s upstream pattern, %2$s downstream pattern, %3$s frontier label, %4$s the edge filter. */
    private static final String HOP = """
            UNWIND $up AS k
            MATCH (n:%3$s {key: k})
            CALL (n) {
                MATCH %1$s
                WHERE %4$s
                RETURN m.key AS other ORDER BY other LIMIT $limit
            }
            RETURN true AS upstream, k, collect(other) AS others
            UNION ALL
            UNWIND $down AS k
            MATCH (n:%3$s {key: k})
            CALL (n) {
                MATCH %2$s
                WHERE %4$s
                RETURN m.key AS other ORDER BY other LIMIT $limit
            }
            RETURN false AS upstream, k, collect(other) AS others """;
    /** Upstream of a dataset are the jobs writing it; upstream of a job, the datasets it reads. */
    private static final String FROM_DATASETS = HOP.formatted("(m:Job)-[e:WRITES]->(n)", "(m:Job)-[e:READS]->(n)", "Dataset", VISIBLE);
    private static final String FROM_JOBS = HOP.formatted("(n)-[e:READS]->(m:Dataset)", "(n)-[e:WRITES]->(m:Dataset)", "Job", VISIBLE);
    /** A node's annotations ({@code ann.*} properties) as [key, value] pairs, so lineage shows what the dataset and job APIs show. */
    private static final String ANNOTATIONS = "[k IN keys(%1$s) WHERE k STARTS WITH 'ann.' | [k, %1$s[k]]]";
    /** Only what a graph node shows: facets stay out, they are most of a node's bytes. */
    private static final String DATASETS = """
            UNWIND $keys AS k MATCH (d:Dataset {key: k})
            RETURN d {.key, .namespace, .name, .type, .createdAt, .updatedAt, .sourceName, .tags, .stewardTags, .hiddenTags, .versionAt,
                      .lastLifecycleState, .description, .currentVersion, .deleted, .fieldsJson, .fieldCount, `facet.schema`: CASE WHEN d.fieldsJson IS NULL THEN d.`facet.schema` END,
                      annotationPairs: %1$s} AS d """.formatted(ANNOTATIONS.formatted("d"));
    private static final String JOBS = """
            UNWIND $keys AS k MATCH (j:Job {key: k})
            OPTIONAL CALL (j) { MATCH (j)-[:HAS_RUN]->(r:Run) WHERE r.createdAt IS NOT NULL RETURN r AS latest ORDER BY r.createdAt DESC LIMIT 1 }
            CALL (j) { OPTIONAL MATCH (j)-[:READS]->(d:Dataset) WITH d LIMIT $ioCap RETURN collect(d {.namespace, .name}) AS inputs }
            CALL (j) { OPTIONAL MATCH (j)-[:WRITES]->(d:Dataset) WITH d LIMIT $ioCap RETURN collect(d {.namespace, .name}) AS outputs }
            RETURN inputs, outputs, j {.key, .namespace, .name, .type, .createdAt, .updatedAt, .description, .location, .parentName, .tags, .stewardTags, .hiddenTags, .deleted,
                                       annotationPairs: %1$s} AS j,
                   latest {.runId, .state, .createdAt, .updatedAt, .startTime, .failTime, .completeTime, .abortTime, .jobKey,
                           .nominalStartTime, .nominalEndTime, .errorMessage} AS latest """.formatted(ANNOTATIONS.formatted("j"));

    /** Every neighbour of each node a walk reached, under the same as-of and deletion filters as a hop. */
    private static final String NEIGHBOURS = """
            UNWIND $datasets AS k MATCH (n:Dataset {key: k})
            RETURN k,
                   COUNT { MATCH (m:Job)-[e:WRITES]->(n) WHERE %1$s } AS up,
                   COUNT { MATCH (m:Job)-[e:READS]->(n) WHERE %1$s } AS down
            UNION ALL
            UNWIND $jobs AS k MATCH (n:Job {key: k})
            RETURN k,
                   COUNT { MATCH (n)-[e:READS]->(m:Dataset) WHERE %1$s } AS up,
                   COUNT { MATCH (n)-[e:WRITES]->(m:Dataset) WHERE %1$s } AS down""".formatted(VISIBLE);

    private final Driver driver;
    private final Visibility visibility;
    private final LineageIndex index;
    private final NodeViewCache views;
    private final LabelOverlay badges;
    private final int fanOutCap;
    private final int maxDepth;
    private final int maxNodes;

    public LineageService(Driver driver, WaymarkConfig config, LineageIndex index, NodeViewCache views, LabelOverlay badges,
                          Visibility visibility, ReadLimits reads) {
        this.reads = reads;
        this.badges = badges;
        this.visibility = visibility;
        this.driver = driver;
        this.index = index;
        this.views = views;
        this.fanOutCap = config.getLineageFanOutCap();
        this.maxDepth = config.getLineageMaxDepth();
        this.maxNodes = 20 * config.getLineageFanOutCap();
    }

    /**
     * Plans the statements a lineage answer runs, with a key no node has (see CatalogService.warmUp);
     * static, so the warm-up need not wait for the lineage index, which waits for the projection.
     */
    public static void warmUp(Driver driver) {
        List<String> none = List.of("waymark-warmup:none");
        try (Session session = driver.session()) {
            session.executeRead(tx -> {
                for (String label : List.of("Dataset", "Job")) {
                    tx.run(exists(label), Map.of("key", none.get(0))).list();
                }
                tx.run(DATASETS, Map.of("keys", none)).list();
                tx.run(JOBS, Map.of("keys", none, "ioCap", Views.IO_CAP + 1)).list();
                return LineageLabels.ofDatasets(tx, none);
            });
        }
    }

    /** Whether a node of {@code label} has the key: the statement a walk starts with, and the warm-up plans. */
    private static String exists(String label) {
        return "MATCH (n:" + label + " {key: $key}) RETURN n.key";
    }

    public int maxDepth() {
        return maxDepth;
    }

    /** Returns null when the start node does not exist. */
    public JsonBody lineage(NodeId start, int depth, Direction direction, ZonedDateTime asOf) {
        return read(tx -> tx.run(exists(label(start)), Map.of("key", start.value())).hasNext() ? walk(tx, start, depth, direction, asOf, true) : null);
    }

    /**
     * The answer to a client's id: resolved (ambiguity, aliases) and walked in one read
     * transaction. Without {@code fields}, dataset nodes leave out their schema's fields: most of
     * a deep answer's bytes, which a caller drawing the graph does not need (Marquez's shape has
     * them, so they are in by default).
     */
    public HttpResponse<?> lineage(NodeId id, String namespace, String name, int depth, Direction direction, ZonedDateTime asOf, boolean fields) {
        List<HttpResponse<?>> refused = new ArrayList<>(1);
        JsonBody body = read(tx -> {
            refused.clear(); // a retried transaction starts over
            NodeResolver.Resolution node = NodeResolver.resolve(tx, id, namespace, name);
            if (node.error() != null) {
                refused.add(node.error());
                return null;
            }
            // A resolved node exists: the resolution found it by its key.
            return walk(tx, node.node(), depth, direction, asOf, fields);
        });
        return refused.isEmpty() ? JsonView.ok(body) : refused.get(0);
    }

    /**
     * Within a turn among the API's bounded reads (96 viewers of a huge job's lineage took every
     * connection otherwise; the controller's {@link io.waymark.catalog.api.ReadTurn} has taken it
     * already) and under the read side of the visibility switch (the index and the graph show the
     * same batches). The turn comes first, as for every read: a thread holding the switch's read
     * side while waiting for a turn would hold up the projection's switch, and with it the readers.
     */
    private JsonBody read(java.util.function.Function<TransactionContext, JsonBody> work) {
        return reads.run(() -> visibility.read(() -> {
            try (Session session = driver.session()) {
                return session.executeRead(work::apply, reads.config());
            }
        }));
    }

    private static String label(NodeId start) {
        return switch (start.type()) {
            case DATASET -> "Dataset";
            case JOB -> "Job";
            default -> throw new IllegalArgumentException("lineage starts at a dataset or a job, not " + start.type().prefix());
        };
    }

    private JsonBody walk(TransactionContext tx, NodeId start, int depth, Direction direction, ZonedDateTime asOf, boolean fields) {
        String label = label(start);
        Walk walk = new Walk(fanOutCap, maxNodes);
        walk.add(start.value(), label);
        Set<String> up = direction.up() ? Set.of(start.value()) : Set.of();
        Set<String> down = direction.down() ? Set.of(start.value()) : Set.of();
        boolean fromDataset = label.equals("Dataset");
        // depth counts jobs along a path, as Marquez does: dataset -> job -> dataset is one level.
        // Both walks advance together, one query per hop; the frontier alternates datasets and jobs.
        for (int hop = 0; hop < 2 * depth && (!up.isEmpty() || !down.isEmpty()); hop++) {
            List<Set<String>> next = index.ready()
                    ? stepInMemory(walk, up, down, fromDataset, asOf)
                    : step(tx, walk, up, down, fromDataset, asOf);
            up = next.get(0);
            down = next.get(1);
            fromDataset = !fromDataset;
        }
        return render(tx, walk, asOf, fields);
    }

    private List<Set<String>> stepInMemory(Walk walk, Set<String> up, Set<String> down, boolean fromDataset, ZonedDateTime asOf) {
        Set<String> nextUp = new LinkedHashSet<>();
        Set<String> nextDown = new LinkedHashSet<>();
        for (String from : up) {
            walk.follow(from, index.neighbours(from, fromDataset, true, asOf, fanOutCap + 1), true, other(fromDataset), nextUp);
        }
        for (String from : down) {
            walk.follow(from, index.neighbours(from, fromDataset, false, asOf, fanOutCap + 1), false, other(fromDataset), nextDown);
        }
        walk.expanded(up, true);
        walk.expanded(down, false);
        return List.of(nextUp, nextDown);
    }

    private List<Set<String>> step(TransactionContext tx, Walk walk, Set<String> up, Set<String> down,
                                   boolean fromDataset, ZonedDateTime asOf) {
        Set<String> nextUp = new LinkedHashSet<>();
        Set<String> nextDown = new LinkedHashSet<>();
        Map<String, Object> params = new HashMap<>();
        params.put("up", List.copyOf(up));
        params.put("down", List.copyOf(down));
        params.put("asOf", asOf);
        params.put("limit", fanOutCap + 1);
        for (Record r : tx.run(fromDataset ? FROM_DATASETS : FROM_JOBS, params).list()) {
            boolean upstream = r.get("upstream").asBoolean();
            walk.follow(r.get("k").asString(), r.get("others").asList(Value::asString), upstream, other(fromDataset), upstream ? nextUp : nextDown);
        }
        walk.expanded(up, true);
        walk.expanded(down, false);
        return List.of(nextUp, nextDown);
    }

    private static Map<String, Object> withAnnotations(Map<String, Object> node) {
        Map<String, Object> props = new HashMap<>(node);
        if (props.remove("annotationPairs") instanceof List<?> pairs) {
            for (Object pair : pairs) {
                List<?> kv = (List<?>) pair;
                props.put((String) kv.get(0), kv.get(1));
            }
        }
        return props;
    }

    private JsonBody render(TransactionContext tx, Walk walk, ZonedDateTime asOf, boolean fields) {
        long generation = views.generation();
        Map<String, NodeViewCache.NodeView> data = new HashMap<>(views.getAll(walk.labels.keySet()));
        Map<String, NodeViewCache.NodeView> read = new HashMap<>();
        List<String> datasets = walk.keys("Dataset").stream().filter(k -> !data.containsKey(k)).toList();
        List<String> jobs = walk.keys("Job").stream().filter(k -> !data.containsKey(k)).toList();
        if (!datasets.isEmpty()) {
            for (Record r : tx.run(DATASETS, Map.of("keys", datasets)).list()) {
                Map<String, Object> d = withAnnotations(r.get("d").asMap());
                read.put((String) d.get("key"), NodeViewCache.NodeView.of(Views.dataset(d, false)));
            }
        }
        if (!jobs.isEmpty()) {
            for (Record r : tx.run(JOBS, Map.of("keys", jobs, "ioCap", Views.IO_CAP + 1)).list()) {
                Map<String, Object> j = withAnnotations(r.get("j").asMap());
                // A job node carries its current inputs and outputs, as Marquez's lineage does.
                read.put((String) j.get("key"), NodeViewCache.NodeView.of(Views.cappedJob(j, r.get("inputs").asList(org.neo4j.driver.Value::asMap),
                        r.get("outputs").asList(org.neo4j.driver.Value::asMap), r.get("latest").isNull() ? null : r.get("latest").asMap(), false)));
            }
        }
        views.putAll(read, generation);
        data.putAll(read);
        Map<String, RawJson> texts = new HashMap<>();
        data.forEach((key, view) -> texts.put(key, view.text(fields)));
        Map<String, long[]> neighbours = index.ready() ? neighboursInMemory(walk, asOf) : neighbours(tx, walk, asOf);
        return walk.toGraph(texts, label -> label.equals("Dataset") ? "DATASET" : "JOB", neighbours,
                badges.ofDatasets(tx, walk.keys("Dataset")), json -> {});
    }

    /** Every neighbour count of the walk's nodes from the in-memory index, as a hop reads it when the index is ready. */
    private Map<String, long[]> neighboursInMemory(Walk walk, ZonedDateTime asOf) {
        Map<String, long[]> counts = new HashMap<>();
        walk.labels.forEach((key, label) -> {
            boolean dataset = label.equals("Dataset");
            counts.put(key, new long[] {index.count(key, dataset, true, asOf), index.count(key, dataset, false, asOf)});
        });
        return counts;
    }

    private static Map<String, long[]> neighbours(TransactionContext tx, Walk walk, ZonedDateTime asOf) {
        Map<String, Object> params = new HashMap<>();
        params.put("datasets", walk.keys("Dataset"));
        params.put("jobs", walk.keys("Job"));
        params.put("asOf", asOf);
        Map<String, long[]> counts = new HashMap<>();
        for (Record r : tx.run(NEIGHBOURS, params).list()) {
            counts.put(r.get("k").asString(), new long[] {r.get("up").asLong(), r.get("down").asLong()});
        }
        return counts;
    }

    /** The label of the nodes one hop from a dataset (jobs) or from a job (datasets). */
    private static String other(boolean fromDataset) {
        return fromDataset ? "Job" : "Dataset";
    }
}
