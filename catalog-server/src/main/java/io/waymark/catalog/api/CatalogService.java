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
            MATCH (n:Namespace) RETURN n ORDER BY n.name SKIP $offset LIMIT $limit""";
    private static final String NAMESPACE = "MATCH (n:Namespace {name: $name}) RETURN n";
    private static final String DATASETS = """
            MATCH (d:Dataset {namespace: $ns}) WHERE $deleted OR NOT coalesce(d.deleted, false)
            RETURN d ORDER BY d.name SKIP $offset LIMIT $limit""";
    private static final String DATASET_COUNT = """
            MATCH (d:Dataset {namespace: $ns}) WHERE $deleted OR NOT coalesce(d.deleted, false) RETURN count(d) AS c""";
    private static final String DATASET = "MATCH (d:Dataset {key: $key}) RETURN d";
    private static final String FIELD_LABELS = """
            MATCH (:Dataset {key: $key})-[:HAS_FIELD]->(f:Field)-[r:CLASSIFIED_AS]->(c:Classification)
            RETURN f.name AS field, c.code AS code, r.source AS source, r.status AS status, r.protection AS protection,
                   r.confidence AS confidence, r.origin AS origin, r.actor AS actor, r.reason AS reason,
                   r.detector AS detector, r.explanation AS explanation, r.path AS path
            ORDER BY field, code, source""";
    private static final String SUSPECTED = """
            MATCH (:Dataset {key: $key})-[r:SUSPECTED_AS]->(c:Classification)
            RETURN c.code AS code, r.origin AS origin, r.job AS job, r.path AS path ORDER BY code""";
    private static final String DATASET_VERSIONS = """
            MATCH (d:Dataset {key: $key})<-[w:WROTE]-(r:Run)
            WITH d, w.version AS version, min(w.firstSeen) AS createdAt, collect({run: r, at: w.firstSeen, schema: w.schema}) AS writes
            WITH d, version, createdAt, [x IN writes WHERE x.at = createdAt][0] AS first
            RETURN d, version, createdAt, first.run AS run, first.schema AS schema
            ORDER BY createdAt DESC SKIP $offset LIMIT $limit""";
    private static final String JOBS = """
            MATCH (j:Job {namespace: $ns}) WHERE $deleted OR NOT coalesce(j.deleted, false)
            WITH j ORDER BY j.name SKIP $offset LIMIT $limit
            """ + JobParts.TAIL;
    private static final String JOB_COUNT = """
            MATCH (j:Job {namespace: $ns}) WHERE $deleted OR NOT coalesce(j.deleted, false) RETURN count(j) AS c""";
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
                    RETURN collect(d {.namespace, .name}) AS inputs
                }
                CALL (j) {
                    CALL (j) { MATCH (j)-[:WRITES]->(d:Dataset) RETURN d UNION MATCH (j)-[:HAS_RUN]->(:Run)-[:WROTE]->(d:Dataset) RETURN d }
                    RETURN collect(d {.namespace, .name}) AS outputs
                }
                OPTIONAL CALL (j) { MATCH (j)-[:HAS_RUN]->(r:Run) WHERE r.createdAt IS NOT NULL RETURN r AS latest ORDER BY r.createdAt DESC LIMIT 1 }
                RETURN j, inputs, outputs, latest""";
    }

    private static final class RunParts {
        static final String TAIL = """
                OPTIONAL CALL (r) { MATCH (r)-[e:READ]->(d:Dataset) RETURN collect(d {.namespace, .name, version: e.version, facets: e.facets}) AS inputs }
                OPTIONAL CALL (r) { MATCH (r)-[e:WROTE]->(d:Dataset) RETURN collect(d {.namespace, .name, version: e.version, facets: e.facets}) AS outputs }
                RETURN r, inputs, outputs""";
    }

    private final Driver driver;

    public CatalogService(Driver driver) {
        this.driver = driver;
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
        node.putNull("ownerName");
        node.putNull("description");
        node.put("isHidden", false);
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

    public ObjectNode datasetVersions(String key, int limit, int offset) {
        ArrayNode list = F.arrayNode();
        for (Record r : read(DATASET_VERSIONS, Map.of("key", key, "limit", limit, "offset", offset))) {
            Map<String, Object> d = r.get("d").asMap();
            ObjectNode version = Views.dataset(d, false);
            String v = r.get("version").isNull() ? null : r.get("version").asString();
            version.set("id", JsonView.id((String) d.get("namespace"), (String) d.get("name")).put("version", v));
            version.put("version", v);
            putTime(version, "createdAt", r.get("createdAt").asObject());
            version.set("fields", Views.fields(r.get("schema").isNull() ? null : r.get("schema").asString()));
            version.set("createdByRun", r.get("run").isNull() ? F.nullNode() : Views.run(r.get("run").asMap(), List.of(), List.of()));
            list.add(version);
        }
        ObjectNode body = F.objectNode();
        body.set("versions", list);
        body.put("totalCount", list.size());
        return body;
    }

    public ObjectNode jobs(String namespace, int limit, int offset, boolean includeDeleted) {
        Map<String, Object> params = Map.of("ns", namespace, "limit", limit, "offset", offset, "deleted", includeDeleted);
        ArrayNode list = F.arrayNode();
        read(JOBS, params).forEach(r -> list.add(job(r)));
        ObjectNode body = F.objectNode();
        body.set("jobs", list);
        body.put("totalCount", read(JOB_COUNT, params).get(0).get("c").asLong());
        return body;
    }

    public Optional<ObjectNode> job(String key) {
        return read(JOB, Map.of("key", key)).stream().findFirst().map(CatalogService::job);
    }

    private static ObjectNode job(Record r) {
        return Views.job(r.get("j").asMap(), maps(r.get("inputs")), maps(r.get("outputs")),
                r.get("latest").isNull() ? null : r.get("latest").asMap(), true);
    }

    public ObjectNode runs(String jobKey, int limit, int offset) {
        ArrayNode list = F.arrayNode();
        read(RUNS, Map.of("key", jobKey, "limit", limit, "offset", offset)).forEach(r -> list.add(run(r)));
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
        read(RECENT_RUNS, params).forEach(r -> list.add(run(r)));
        ObjectNode body = F.objectNode();
        body.set("runs", list);
        return body;
    }

    public Optional<ObjectNode> run(String runId) {
        return read(RUN, Map.of("key", "run:" + runId.toLowerCase())).stream().findFirst().map(CatalogService::run);
    }

    private static ObjectNode run(Record r) {
        return Views.run(r.get("r").asMap(), maps(r.get("inputs")), maps(r.get("outputs")));
    }

    public boolean exists(String label, String key) {
        return !read("MATCH (n:" + label + " {key: $key}) RETURN n.key", Map.of("key", key)).isEmpty();
    }

    static List<Map<String, Object>> maps(Value value) {
        return value.isNull() ? List.of() : value.asList(Value::asMap);
    }

    List<Record> read(String query, Map<String, Object> params) {
        try (Session session = driver.session()) {
            return session.executeRead(tx -> tx.run(query, params).list());
        }
    }
}
