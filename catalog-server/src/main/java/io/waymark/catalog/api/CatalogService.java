package io.waymark.catalog.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.inject.Singleton;
import org.neo4j.driver.Driver;
import org.neo4j.driver.Record;
import org.neo4j.driver.Session;
import org.neo4j.driver.Value;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static io.waymark.catalog.api.JsonView.F;
import static io.waymark.catalog.api.JsonView.putTime;

/** Read queries of the Marquez-compatible API. Each response is built from a fixed number of queries. */
@Singleton
public class CatalogService {
    private static final String NAMESPACES = """
            MATCH (n:Namespace) WHERE NOT coalesce(n.isHidden, false) RETURN n ORDER BY n.name SKIP $offset LIMIT $limit""";
    private static final String NAMESPACE = "MATCH (n:Namespace {name: $name}) RETURN n";
    /**
     * A page of a namespace in the (namespace, name) index's order, so a page reads its rows and
     * not the namespace: sorted by name alone, a page of a namespace of 177,000 datasets read and
     * sorted all of them (0.15 s of a core for five rows). The filter comes after the order for the
     * same reason; deleted entries are few. The index is named: with many jobs in the graph the
     * planner chose the namespace index and a sort for the jobs page (seen in the full test suite).
     */
    static final String DATASETS = """
            MATCH (d:Dataset) USING INDEX d:Dataset(namespace, name) WHERE d.namespace = $ns AND d.name IS NOT NULL
            WITH d ORDER BY d.namespace, d.name WHERE $deleted OR NOT coalesce(d.deleted, false)
            RETURN d SKIP $offset LIMIT $limit""";
    private static final String DATASET_COUNT = """
            MATCH (d:Dataset {namespace: $ns}) WHERE $deleted OR NOT coalesce(d.deleted, false) RETURN count(d) AS c""";
    static final String DATASET = "MATCH (d:Dataset {key: $key}) RETURN d";
    private static final String FIELD_LABELS = """
            MATCH (:Dataset {key: $key})-[:HAS_FIELD]->(f:Field)-[r:CLASSIFIED_AS]->(c:Classification)
            WHERE r.status <> 'LIFTED'
            RETURN f.name AS field, c.code AS code, r.source AS source, r.status AS status, r.protection AS protection,
                   r.confidence AS confidence, r.origin AS origin, r.actor AS actor, r.reason AS reason,
                   r.detector AS detector, r.explanation AS explanation, r.path AS path
            ORDER BY field, code, source""";
    private static final String COLUMN_LINEAGE = """
            MATCH (:Dataset {key: $key})-[:HAS_FIELD]->(f:Field)-[e:DERIVES_FROM]->(i:Field)
            RETURN f.name AS field, i.namespace AS namespace, i.datasetName AS dataset, i.name AS input,
                   e.type AS type, e.subtype AS subtype, e.description AS description
            ORDER BY field, namespace, dataset, input, type, subtype""";
    /**
     * What a dataset's answer adds from around it, in one query: tags given to its fields through the
     * API, the names a symlinks facet gave it, and, for a bare alias, the dataset it names.
     */
    private static final String SURROUNDINGS = """
            MATCH (a:Dataset {key: $key})
            RETURN [(a)-[:HAS_FIELD]->(f:Field) WHERE size(coalesce(f.stewardTags, [])) > 0 | f {.name, .stewardTags}] AS fieldTags,
                   [(a)-[s:SYMLINK_OF]->(x:Dataset) | x {.namespace, .name, type: s.type}] AS aliases,
                   CASE WHEN %s THEN [(p:Dataset)-[:SYMLINK_OF]->(a) | p {.namespace, .name, .key}] ELSE [] END AS aliasOf""".formatted(io.waymark.catalog.lineage.Aliases.BARE);
    private static final String SUSPECTED = """
            MATCH (:Dataset {key: $key})-[r:SUSPECTED_AS]->(c:Classification)
            RETURN c.code AS code, r.origin AS origin, r.job AS job, r.path AS path ORDER BY code""";
    /** In the (namespace, name) index's order, like {@link #DATASETS}. */
    static final String JOBS = """
            MATCH (j:Job) USING INDEX j:Job(namespace, name) WHERE j.namespace = $ns AND j.name IS NOT NULL
            WITH j ORDER BY j.namespace, j.name WHERE $deleted OR NOT coalesce(j.deleted, false)
            WITH j SKIP $offset LIMIT $limit
            """ + JobParts.TAIL;
    private static final String JOB_COUNT = """
            MATCH (j:Job {namespace: $ns}) WHERE $deleted OR NOT coalesce(j.deleted, false) RETURN count(j) AS c""";
    /** The latest run's state is kept on the job (DerivedState), so the filter needs no run. */
    static final String ALL_JOBS = """
            MATCH (j:Job) USING INDEX j:Job(namespace, name) WHERE j.namespace IS NOT NULL AND j.name IS NOT NULL
            WITH j ORDER BY j.namespace, j.name WHERE NOT coalesce(j.deleted, false) AND ($state IS NULL OR j.latestRunState = $state)
            WITH j SKIP $offset LIMIT $limit
            """ + JobParts.TAIL;
    private static final String ALL_JOB_COUNT = """
            MATCH (j:Job) WHERE NOT coalesce(j.deleted, false) AND ($state IS NULL OR j.latestRunState = $state) RETURN count(j) AS c""";
    private static final String JOB = "MATCH (j:Job {key: $key}) WITH j\n" + JobParts.TAIL;
    private static final String RUNS = """
            MATCH (j:Job {key: $key})-[:HAS_RUN]->(r:Run)
            WITH r ORDER BY r.createdAt DESC SKIP $offset LIMIT $limit
            """ + RunParts.TAIL;
    /** Newest first across all jobs; the createdAt index serves the order, so the graph's size does not matter. */
    private static final String RECENT_RUNS = """
            MATCH (r:Run) WHERE r.createdAt IS NOT NULL AND ($state IS NULL OR r.state = $state)
            WITH r ORDER BY r.createdAt DESC LIMIT $limit
            """ + RunParts.TAIL;
    private static final String RUN_COUNT = "MATCH (j:Job {key: $key})-[:HAS_RUN]->(r:Run) RETURN count(r) AS c";
    private static final String RUN = "MATCH (r:Run {key: $key}) WITH r\n" + RunParts.TAIL;

    private static final class JobParts {
        // A job's inputs and outputs are everything its runs (failed ones too) and static JobEvents
        // declared; the traversal edges READS/WRITES leave failed runs out.
        static final String TAIL = """
                CALL (j) {
                    CALL (j) { MATCH (j)-[:READS]->(d:Dataset) RETURN d UNION MATCH (j)-[:HAS_RUN]->(:Run)-[:READ]->(d:Dataset) RETURN d }
                    WITH d LIMIT $ioCap
                    RETURN collect(d {.namespace, .name}) AS inputs
                }
                CALL (j) {
                    CALL (j) { MATCH (j)-[:WRITES]->(d:Dataset) RETURN d UNION MATCH (j)-[:HAS_RUN]->(:Run)-[:WROTE]->(d:Dataset) RETURN d }
                    WITH d LIMIT $ioCap
                    RETURN collect(d {.namespace, .name}) AS outputs
                }
                CALL (j) {
                    OPTIONAL MATCH (j)-[:HAS_RUN]->(r:Run) WHERE r.createdAt IS NOT NULL
                    WITH r ORDER BY r.createdAt DESC LIMIT 10
                    CALL (r) { OPTIONAL MATCH (r)-[e:READ]->(d:Dataset) WITH d, e LIMIT $runIoCap RETURN collect(d {.namespace, .name, version: e.version, facets: e.facets}) AS ins }
                    CALL (r) { OPTIONAL MATCH (r)-[e:WROTE]->(d:Dataset) WITH d, e LIMIT $runIoCap RETURN collect(d {.namespace, .name, version: e.version, facets: e.facets}) AS outs }
                    RETURN [x IN collect({run: properties(r), inputs: ins, outputs: outs}) WHERE x.run IS NOT NULL] AS recent
                }
                RETURN j, inputs, outputs, recent""";
    }

    private static final class RunParts {
        static final String TAIL = """
                OPTIONAL CALL (r) { MATCH (r)-[e:READ]->(d:Dataset) WITH d, e LIMIT $ioCap RETURN collect(d {.namespace, .name, version: e.version, facets: e.facets}) AS inputs }
                OPTIONAL CALL (r) { MATCH (r)-[e:WROTE]->(d:Dataset) WITH d, e LIMIT $ioCap RETURN collect(d {.namespace, .name, version: e.version, facets: e.facets}) AS outputs }
                OPTIONAL CALL (r) { MATCH (j:Job {key: r.jobKey}) RETURN j {.namespace, .name} AS job }
                RETURN r, inputs, outputs, job""";
    }

    private final Driver driver;
    private final ReadLimits reads;

    public CatalogService(Driver driver, ReadLimits reads) {
        this.driver = driver;
        this.reads = reads;
    }

    public ObjectNode namespaces(int limit, int offset) {
        ArrayNode list = F.arrayNode();
        read(NAMESPACES, Map.of("limit", limit, "offset", offset)).forEach(r -> list.add(namespace(r.get("n").asMap())));
        ObjectNode body = F.objectNode();
        body.set("namespaces", list);
        return body;
    }

    public Optional<ObjectNode> namespace(String name) {
        return read(NAMESPACE, Map.of("name", name)).stream().findFirst().map(r -> namespace(r.get("n").asMap()));
    }

    private static ObjectNode namespace(Map<String, Object> n) {
        ObjectNode node = F.objectNode().put("name", (String) n.get("name"));
        putTime(node, "createdAt", n.get("createdAt"));
        putTime(node, "updatedAt", n.get("updatedAt"));
        // Marquez's owner of a namespace nobody claimed; its client requires one.
        String owner = (String) n.get("ownerName");
        node.put("ownerName", owner == null ? "anonymous" : owner);
        node.put("description", (String) n.get("description"));
        node.put("isHidden", Boolean.TRUE.equals(n.get("isHidden")));
        return node;
    }

    public ObjectNode datasets(String namespace, int limit, int offset, boolean includeDeleted) {
        Map<String, Object> params = Map.of("ns", namespace, "limit", limit, "offset", offset, "deleted", includeDeleted);
        ArrayNode list = F.arrayNode();
        read(DATASETS, params).forEach(r -> list.add(Views.dataset(r.get("d").asMap(), true)));
        ObjectNode body = F.objectNode();
        body.set("datasets", list);
        body.put("totalCount", read(DATASET_COUNT, params).get(0).get("c").asLong());
        return body;
    }

    public Optional<ObjectNode> dataset(String key) {
        return read(DATASET, Map.of("key", key)).stream().findFirst().map(r -> {
            Map<String, Object> d = r.get("d").asMap();
            ObjectNode dataset = Views.dataset(d, true);
            Map<String, List<ObjectNode>> labels = new java.util.HashMap<>();
            for (Record l : read(FIELD_LABELS, Map.of("key", key))) {
                ObjectNode label = F.objectNode()
                        .put("code", l.get("code").asString())
                        .put("source", l.get("source").asString(null))
                        .put("status", l.get("status").asString(null))
                        .put("protection", l.get("protection").asString(null))
                        .put("confidence", l.get("confidence").isNull() ? null : l.get("confidence").asDouble())
                        .put("origin", l.get("origin").asString(null))
                        .put("actor", l.get("actor").asString(null))
                        .put("reason", l.get("reason").asString(null))
                        .put("detector", l.get("detector").asString(null))
                        .put("explanation", l.get("explanation").asString(null));
                if (!l.get("path").isNull()) {
                    label.set("path", JsonView.strings(l.get("path").asList()));
                }
                labels.computeIfAbsent(l.get("field").asString(), k -> new java.util.ArrayList<>()).add(label);
            }
            Views.classify(dataset, (String) d.get("facet.schema"), labels);
            dataset.set("columnLineage", columnLineage(key));
            Record around = read(SURROUNDINGS, Map.of("key", key)).get(0);
            for (Map<String, Object> f : maps(around.get("fieldTags"))) {
                Views.addFieldTags(dataset.path("fields"), (String) f.get("name"), ((List<?>) f.get("stewardTags")).stream().map(String::valueOf).toList());
            }
            ArrayNode aliases = dataset.putArray("aliases");
            maps(around.get("aliases")).forEach(a -> aliases.addObject().put("namespace", (String) a.get("namespace"))
                    .put("name", (String) a.get("name")).put("type", (String) a.get("type")));
            // The first by key, when several datasets declare the same alias (as Aliases resolves it).
            maps(around.get("aliasOf")).stream().min(java.util.Comparator.comparing(p -> (String) p.get("key"))).ifPresent(p -> dataset.set("aliasOf",
                    F.objectNode().put("namespace", (String) p.get("namespace")).put("name", (String) p.get("name"))));
            // Written without column lineage from labelled data: which columns hold it is unknown.
            ArrayNode suspected = dataset.putArray("suspectedClassifications");
            for (Record l : read(SUSPECTED, Map.of("key", key))) {
                ObjectNode label = suspected.addObject().put("code", l.get("code").asString()).put("source", "SUSPECTED")
                        .put("origin", l.get("origin").asString()).put("job", l.get("job").asString());
                label.set("path", JsonView.strings(l.get("path").asList()));
            }
            return dataset;
        });
    }

    /**
     * Marquez's columnLineage of a dataset: each output field with the fields it derives from and
     * how (transformationType is the OpenLineage subtype, or its type when none was given).
     */
    private ArrayNode columnLineage(String key) {
        Map<String, ObjectNode> byField = new java.util.LinkedHashMap<>();
        for (Record r : read(COLUMN_LINEAGE, Map.of("key", key))) {
            ObjectNode field = byField.computeIfAbsent(r.get("field").asString(), name -> {
                ObjectNode node = F.objectNode().put("name", name);
                node.putArray("inputFields");
                return node;
            });
            String type = r.get("subtype").isNull() ? r.get("type").asString("") : r.get("subtype").asString();
            String description = r.get("description").asString("");
            ((ArrayNode) field.get("inputFields")).addObject()
                    .put("namespace", r.get("namespace").asString(""))
                    .put("dataset", r.get("dataset").asString(""))
                    .put("field", r.get("input").asString(""))
                    .put("transformationDescription", description)
                    .put("transformationType", type);
            if (!field.has("transformationType")) {
                // Marquez's older shape names one transformation per output field.
                field.put("transformationDescription", description).put("transformationType", type);
            }
        }
        ArrayNode list = F.arrayNode();
        byField.values().forEach(list::add);
        return list;
    }

    public ObjectNode jobs(String namespace, int limit, int offset, boolean includeDeleted) {
        return jobPage(JOBS, JOB_COUNT, Map.of("ns", namespace, "limit", limit, "offset", offset, "deleted", includeDeleted));
    }

    public ObjectNode allJobs(String state, int limit, int offset) {
        Map<String, Object> params = new HashMap<>();
        params.put("state", state);
        params.put("limit", limit);
        params.put("offset", offset);
        return jobPage(ALL_JOBS, ALL_JOB_COUNT, params);
    }

    private ObjectNode jobPage(String query, String count, Map<String, Object> params) {
        ArrayNode list = F.arrayNode();
        read(query, params).forEach(r -> list.add(job(r)));
        ObjectNode body = F.objectNode();
        body.set("jobs", list);
        body.put("totalCount", read(count, params).get(0).get("c").asLong());
        return body;
    }

    public Optional<ObjectNode> job(String key) {
        return read(JOB, Map.of("key", key)).stream().findFirst().map(CatalogService::job);
    }

    /** A job with its latest runs (Marquez's latestRun and latestRuns), each with its job version, and its current version. */
    private static ObjectNode job(Record r) {
        Map<String, Object> j = r.get("j").asMap();
        List<Map<String, Object>> recent = maps(r.get("recent"));
        List<Map<String, Object>> inputs = maps(r.get("inputs"));
        List<Map<String, Object>> outputs = maps(r.get("outputs"));
        ObjectNode job = Views.cappedJob(j, inputs, outputs, null, true);
        ArrayNode latestRuns = job.putArray("latestRuns");
        for (Map<String, Object> x : recent) {
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> ins = (List<Map<String, Object>>) x.get("inputs");
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> outs = (List<Map<String, Object>>) x.get("outputs");
            @SuppressWarnings("unchecked")
            Map<String, Object> runNode = (Map<String, Object>) x.get("run");
            ObjectNode run = Views.cappedRun(runNode, ins, outs, Views.EMBEDDED_RUN_IO_CAP);
            run.set("jobVersion", JobVersions.versionId((String) j.get("namespace"), (String) j.get("name"), runNode, ins, outs));
            latestRuns.add(run);
        }
        job.set("latestRun", latestRuns.isEmpty() ? F.nullNode() : latestRuns.get(0).deepCopy());
        if (latestRuns.isEmpty()) {
            // Marquez sends none for a job that never ran; its web UI reduces a present list without
            // an initial value and fails on an empty one (seen running it against Waymark).
            job.putNull("latestRuns");
        }
        job.put("currentVersion", latestRuns.isEmpty() ? null : latestRuns.get(0).path("jobVersion").path("version").asText());
        return job;
    }

    public ObjectNode runs(String jobKey, int limit, int offset) {
        ArrayNode list = F.arrayNode();
        read(RUNS, Map.of("key", jobKey, "limit", limit, "offset", offset, "ioCap", Views.EMBEDDED_RUN_IO_CAP + 1))
                .forEach(r -> list.add(run(r, Views.EMBEDDED_RUN_IO_CAP)));
        ObjectNode body = F.objectNode();
        body.set("runs", list);
        body.put("totalCount", read(RUN_COUNT, Map.of("key", jobKey)).get(0).get("c").asLong());
        return body;
    }

    /** The latest runs of every job, optionally of one state (FAILED for a home page's failures). */
    public ObjectNode recentRuns(String state, int limit) {
        ArrayNode list = F.arrayNode();
        Map<String, Object> params = new HashMap<>();
        params.put("state", state);
        params.put("limit", limit);
        params.put("ioCap", Views.EMBEDDED_RUN_IO_CAP + 1);
        read(RECENT_RUNS, params).forEach(r -> list.add(run(r, Views.EMBEDDED_RUN_IO_CAP)));
        ObjectNode body = F.objectNode();
        body.set("runs", list);
        return body;
    }

    public Optional<ObjectNode> run(String runId) {
        return read(RUN, Map.of("key", "run:" + runId.toLowerCase())).stream().findFirst().map(r -> run(r, Views.IO_CAP));
    }

    /** A run with at most {@code cap} inputs and outputs: {@link Views#IO_CAP} alone, fewer in a list. */
    private static ObjectNode run(Record r, int cap) {
        List<Map<String, Object>> inputs = maps(r.get("inputs"));
        List<Map<String, Object>> outputs = maps(r.get("outputs"));
        Map<String, Object> node = r.get("r").asMap();
        ObjectNode run = Views.cappedRun(node, inputs, outputs, cap);
        if (!r.get("job").isNull()) {
            Map<String, Object> job = r.get("job").asMap();
            run.set("jobVersion", JobVersions.versionId((String) job.get("namespace"), (String) job.get("name"), node, inputs, outputs));
        }
        return run;
    }

    public boolean exists(String label, String key) {
        return !read("MATCH (n:" + label + " {key: $key}) RETURN n.key", Map.of("key", key)).isEmpty();
    }

    static List<Map<String, Object>> maps(Value value) {
        return value.isNull() ? List.of() : value.asList(Value::asMap);
    }

    /** One page of a job's inputs or outputs (current and every run's), in namespace and name order. */
    public ObjectNode jobDatasets(String jobKey, boolean inputs, int limit, int offset) {
        String query = inputs ? JOB_INPUTS : JOB_OUTPUTS;
        ArrayNode list = F.arrayNode();
        List<Record> rows = read(query, Map.of("key", jobKey, "limit", limit + 1, "offset", offset));
        rows.stream().limit(limit).forEach(r -> list.add(JsonView.id(r.get("namespace").asString(), r.get("name").asString())));
        ObjectNode body = F.objectNode();
        body.set(inputs ? "inputs" : "outputs", list);
        body.put("truncated", rows.size() > limit);
        return body;
    }

    private static final String JOB_INPUTS = """
            MATCH (j:Job {key: $key})
            CALL (j) { MATCH (j)-[:READS]->(d:Dataset) RETURN d UNION MATCH (j)-[:HAS_RUN]->(:Run)-[:READ]->(d:Dataset) RETURN d }
            RETURN d.namespace AS namespace, d.name AS name ORDER BY namespace, name SKIP $offset LIMIT $limit""";
    private static final String JOB_OUTPUTS = """
            MATCH (j:Job {key: $key})
            CALL (j) { MATCH (j)-[:WRITES]->(d:Dataset) RETURN d UNION MATCH (j)-[:HAS_RUN]->(:Run)-[:WROTE]->(d:Dataset) RETURN d }
            RETURN d.namespace AS namespace, d.name AS name ORDER BY namespace, name SKIP $offset LIMIT $limit""";

    /**
     * Plans every read statement of the catalog API with keys no node has (Cypher caches a plan per statement
     * and parameter types, so the real reads find theirs), and renders a dataset, a job and a run: on a cold
     * JVM the first dataset read after start took 460–540 ms, most of the first event's second (issue 14).
     */
    void warmUp() {
        String none = "waymark-warmup:none";
        Map<String, Object> page = Map.of("ns", none, "limit", 1, "offset", 0, "deleted", false);
        read(NAMESPACES, Map.of("limit", 1, "offset", 0));
        read(NAMESPACE, Map.of("name", none));
        for (String query : List.of(DATASETS, DATASET_COUNT, JOBS, JOB_COUNT)) {
            read(query, page);
        }
        for (String query : List.of(DATASET, FIELD_LABELS, COLUMN_LINEAGE, SURROUNDINGS, SUSPECTED, JOB, RUN_COUNT, RUN)) {
            read(query, Map.of("key", none));
        }
        read(RUNS, Map.of("key", none, "limit", 1, "offset", 0));
        Map<String, Object> allJobs = new HashMap<>();
        allJobs.put("state", null);
        allJobs.put("limit", 1);
        allJobs.put("offset", 0);
        read(ALL_JOBS, allJobs);
        read(ALL_JOB_COUNT, allJobs);
        Map<String, Object> node = Map.of("key", none, "namespace", "waymark-warmup", "name", "none",
                "createdAt", java.time.ZonedDateTime.parse("2000-01-01T00:00:00Z"), "runId", "00000000-0000-4000-8000-000000000000");
        JsonView.ok(Views.dataset(node, true));
        JsonView.ok(Views.job(node, List.of(), List.of(), null, true));
        JsonView.ok(Views.run(node, List.of(), List.of()));
    }

    List<Record> read(String query, Map<String, Object> params) {
        Map<String, Object> all = new HashMap<>(params);
        all.putIfAbsent("ioCap", Views.IO_CAP + 1);
        all.putIfAbsent("runIoCap", Views.EMBEDDED_RUN_IO_CAP + 1);
        return reads.run(() -> {
            try (Session session = driver.session()) {
                return session.executeRead(tx -> tx.run(query, all).list(), reads.config());
            }
        });
    }
}
