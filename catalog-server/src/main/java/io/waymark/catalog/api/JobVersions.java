package io.waymark.catalog.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.inject.Singleton;
import org.neo4j.driver.Record;
import org.neo4j.driver.Value;

import io.waymark.catalog.model.JobVersion;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static io.waymark.catalog.api.JsonView.F;
import static io.waymark.catalog.api.JsonView.str;

/**
 * Job versions as Marquez has them: a job's version changes when the datasets its runs read or
 * write change. A version is a name-based UUID of the job's namespace and name and the sorted
 * inputs and outputs of a run, so the same I/O always gives the same version, computed from the
 * graph when asked (the graph keeps runs' I/O; nothing is stored twice). Unlike Marquez the source
 * code location is left out, so a version does not change under runs when the location does.
 */
@Singleton
public class JobVersions {
    /** How many of a job's latest runs its version history is read from. */
    static final int RUNS_READ = 1000;
    private static final String RUNS = """
            MATCH (j:Job {key: $key})-[:HAS_RUN]->(r:Run) WHERE r.createdAt IS NOT NULL
            WITH j, r ORDER BY r.createdAt DESC LIMIT $runs
            CALL (r) { OPTIONAL MATCH (r)-[e:READ]->(d:Dataset) WITH d, e LIMIT $ioCap RETURN collect(d {.namespace, .name, version: e.version}) AS inputs }
            CALL (r) { OPTIONAL MATCH (r)-[e:WROTE]->(d:Dataset) WITH d, e LIMIT $ioCap RETURN collect(d {.namespace, .name, version: e.version}) AS outputs }
            RETURN j {.namespace, .name, .location} AS job, r, inputs, outputs""";

    private final CatalogService catalog;

    public JobVersions(CatalogService catalog) {
        this.catalog = catalog;
    }

    /** The version of a job whose run read {@code inputs} and wrote {@code outputs} (maps with namespace and name). */
    public static String version(String namespace, String name, List<Map<String, Object>> inputs, List<Map<String, Object>> outputs) {
        return JobVersion.of(namespace, name, inputs, outputs);
    }

    /**
     * {@code {namespace, name, version}} of the job version a run ran as: the one the projection
     * keeps on the run, else (a run without I/O, or projected before runs kept it) computed from
     * the run's inputs and outputs, which are then all of them.
     */
    public static ObjectNode versionId(String namespace, String name, Map<String, Object> run, List<Map<String, Object>> inputs,
                                       List<Map<String, Object>> outputs) {
        Object kept = run.get("jobVersion");
        String version = kept instanceof String v ? v : version(namespace, name, inputs, outputs);
        return F.objectNode().put("namespace", namespace).put("name", name).put("version", version);
    }

    public ObjectNode list(String jobKey, int limit, int offset) {
        List<ObjectNode> all = versions(jobKey);
        ArrayNode page = F.arrayNode();
        all.stream().skip(offset).limit(limit).forEach(page::add);
        ObjectNode body = F.objectNode();
        body.set("versions", page);
        body.put("totalCount", all.size());
        return body;
    }

    public Optional<ObjectNode> get(String jobKey, String version) {
        return versions(jobKey).stream().filter(v -> v.path("version").asText().equals(version)).findFirst();
    }

    /** Newest first: each version with the run that first ran it as its creation and its newest run as latestRun. */
    private List<ObjectNode> versions(String jobKey) {
        Map<String, ObjectNode> byVersion = new LinkedHashMap<>();
        Map<String, Object> created = new LinkedHashMap<>();
        for (Record r : catalog.read(RUNS, Map.of("key", jobKey, "runs", RUNS_READ))) {
            Map<String, Object> job = r.get("job").asMap();
            List<Map<String, Object>> inputs = r.get("inputs").asList(Value::asMap);
            List<Map<String, Object>> outputs = r.get("outputs").asList(Value::asMap);
            String namespace = str(job, "namespace");
            String name = str(job, "name");
            Map<String, Object> run = r.get("r").asMap();
            String version = versionId(namespace, name, run, inputs, outputs).path("version").asText();
            // Runs arrive newest first: the first run seen of a version is its latest, the last its first.
            created.put(version, run.get("createdAt"));
            byVersion.computeIfAbsent(version, v -> {
                ObjectNode node = F.objectNode();
                node.set("id", F.objectNode().put("namespace", namespace).put("name", name).put("version", v));
                node.put("name", name);
                node.put("version", v);
                node.put("namespace", namespace);
                node.put("location", str(job, "location"));
                node.set("context", F.objectNode());
                // Cut like a job's answer: a run that read 100,000 datasets lists the first thousand.
                node.set("inputs", ids(inputs.subList(0, Math.min(inputs.size(), Views.IO_CAP))));
                node.set("outputs", ids(outputs.subList(0, Math.min(outputs.size(), Views.IO_CAP))));
                if (inputs.size() > Views.IO_CAP) {
                    node.put("inputsTruncated", true);
                }
                if (outputs.size() > Views.IO_CAP) {
                    node.put("outputsTruncated", true);
                }
                ObjectNode latest = Views.cappedRun(run, inputs, outputs, Views.EMBEDDED_RUN_IO_CAP);
                latest.set("jobVersion", node.get("id").deepCopy());
                node.set("latestRun", latest);
                return node;
            });
        }
        List<ObjectNode> versions = new ArrayList<>(byVersion.values());
        versions.forEach(v -> JsonView.putTime(v, "createdAt", created.get(v.path("version").asText())));
        versions.sort(java.util.Comparator.comparing((ObjectNode v) -> (java.time.ZonedDateTime) created.get(v.path("version").asText())).reversed());
        return versions;
    }

    private static ArrayNode ids(List<Map<String, Object>> datasets) {
        ArrayNode array = F.arrayNode();
        datasets.stream().map(d -> str(d, "namespace") + "\t" + str(d, "name")).distinct().sorted()
                .forEach(k -> array.add(JsonView.id(k.substring(0, k.indexOf('\t')), k.substring(k.indexOf('\t') + 1))));
        return array;
    }
}
