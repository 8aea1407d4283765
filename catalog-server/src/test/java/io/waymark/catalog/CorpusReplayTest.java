package io.waymark.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import io.waymark.catalog.model.NodeId;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import static io.waymark.catalog.TestServer.enc;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Replays every event file of ../shared/corpus and checks the API against EXPECTED.json. */
class CorpusReplayTest {
    private static TestServer server;
    private static JsonNode expected;

    @BeforeAll
    static void replay() throws IOException {
        server = TestServer.get();
        expected = TestServer.JSON.readTree(TestServer.CORPUS.resolve("EXPECTED.json").toFile());
        Iterator<String> files = expected.fieldNames();
        while (files.hasNext()) {
            String file = files.next();
            int line = 0;
            for (String event : Files.readAllLines(TestServer.CORPUS.resolve(file), StandardCharsets.UTF_8)) {
                line++;
                if (event.isBlank()) {
                    continue;
                }
                var response = server.post("/api/v1/lineage", event.getBytes(StandardCharsets.UTF_8));
                assertEquals(201, response.statusCode(), file + ":" + line + " " + response.body());
            }
        }
        server.awaitProjection();
    }

    @TestFactory
    Stream<DynamicTest> corpus() {
        List<DynamicTest> tests = new ArrayList<>();
        expected.fields().forEachRemaining(file -> {
            JsonNode spec = file.getValue();
            for (JsonNode run : spec.path("runs")) {
                tests.add(DynamicTest.dynamicTest(file.getKey() + " run " + run.path("runId").asText(), () -> checkRun(run)));
            }
            for (JsonNode job : spec.path("jobs")) {
                String namespace = job.path("job").path("namespace").asText();
                String name = job.path("job").path("name").asText();
                Set<String> runIds = new TreeSet<>();
                for (JsonNode run : spec.path("runs")) {
                    if (run.path("job").path("namespace").asText().equals(namespace) && run.path("job").path("name").asText().equals(name)) {
                        runIds.add(run.path("runId").asText());
                    }
                }
                tests.add(DynamicTest.dynamicTest(file.getKey() + " job " + name, () -> {
                    checkJob(namespace, name, job);
                    checkJobRuns(namespace, name, runIds);
                }));
            }
            for (JsonNode job : spec.path("jobEvents")) {
                tests.add(DynamicTest.dynamicTest(file.getKey() + " static job " + job.path("job").get(1).asText(), () -> checkJob(
                        job.path("job").get(0).asText(), job.path("job").get(1).asText(), job)));
            }
            for (JsonNode ds : spec.path("datasetEvents")) {
                tests.add(DynamicTest.dynamicTest(file.getKey() + " dataset event " + ds.path("dataset").get(1).asText(), () -> checkDatasetEvent(ds)));
            }
        });
        assertTrue(tests.size() > 100, "the corpus expectations were read");
        return tests.stream();
    }

    /** A failed run says why, also when its producer sent only its own exception facet (Spark 1.53: spark.exception). */
    @org.junit.jupiter.api.Test
    void failedRunsSayWhy() {
        String spark = server.getJson("/api/v1/jobs/runs/01a2009e-f857-7a5c-9033-df6c778672ef").path("errorMessage").asText();
        assertTrue(spark.startsWith("Job aborted due to stage failure"), spark);
        assertTrue(spark.contains("TASK_WRITE_FAILED"), spark);
        assertTrue(!spark.contains("\tat "), "the message, not the stack frames: " + spark);
        assertEquals("Application Status: FAILED", server.getJson("/api/v1/jobs/runs/4cac12e4-bdfb-5718-8491-bd0affce44a8").path("errorMessage").asText());
    }

    private static void checkRun(JsonNode run) {
        JsonNode actual = server.getJson("/api/v1/jobs/runs/" + run.path("runId").asText());
        assertEquals(expectedState(run), actual.path("state").asText(), "state of run " + run.path("runId"));
        assertEquals(pairs(run.path("inputs")), versionPairs(actual.path("inputDatasetVersions")), "inputs of run " + run.path("runId"));
        assertEquals(pairs(run.path("outputs")), versionPairs(actual.path("outputDatasetVersions")), "outputs of run " + run.path("runId"));
        assertEquals(NodeId.job(run.path("job").path("namespace").asText(), run.path("job").path("name").asText()), actual.path("jobKey").asText());
        if (run.path("parent").isObject()) {
            JsonNode job = server.getJson("/api/v1/namespaces/" + enc(run.path("job").path("namespace").asText())
                    + "/jobs/" + enc(run.path("job").path("name").asText()));
            assertEquals(run.path("parent").path("name").asText(), job.path("parentJobName").asText());
        }
        run.path("columnLineage").fields().forEachRemaining(output -> checkColumnLineage(output.getKey(), output.getValue()));
    }

    /** FAIL is sticky (Spark sends COMPLETE after FAIL); otherwise the last terminal event by eventTime decides. */
    private static String expectedState(JsonNode run) {
        List<String> terminal = new ArrayList<>();
        run.path("terminal_events_by_eventTime").forEach(t -> terminal.add(t.asText()));
        if (terminal.contains("FAIL")) {
            return "FAILED";
        }
        if (terminal.isEmpty()) {
            return "RUNNING";
        }
        return Map.of("COMPLETE", "COMPLETED", "ABORT", "ABORTED").get(terminal.get(terminal.size() - 1));
    }

    private static void checkJob(String namespace, String name, JsonNode expectedJob) {
        JsonNode actual = server.getJson("/api/v1/namespaces/" + enc(namespace) + "/jobs/" + enc(name));
        assertEquals(pairs(expectedJob.path("inputs")), idPairs(actual.path("inputs")), "inputs of job " + name);
        assertEquals(pairs(expectedJob.path("outputs")), idPairs(actual.path("outputs")), "outputs of job " + name);
    }

    /** Job names recur across corpus files (a dbt run and a failed dbt run), so check membership, not counts. */
    private static void checkJobRuns(String namespace, String name, Set<String> runIds) {
        JsonNode runs = server.getJson("/api/v1/namespaces/" + enc(namespace) + "/jobs/" + enc(name) + "/runs");
        Set<String> actual = new TreeSet<>();
        runs.path("runs").forEach(r -> actual.add(r.path("id").asText()));
        assertTrue(actual.containsAll(runIds), "runs of job " + name + ": expected " + runIds + " in " + actual);
    }

    private static void checkDatasetEvent(JsonNode ds) {
        JsonNode actual = server.getJson("/api/v1/namespaces/" + enc(ds.path("dataset").get(0).asText())
                + "/datasets/" + enc(ds.path("dataset").get(1).asText()));
        for (JsonNode facet : ds.path("facets")) {
            assertTrue(actual.path("facets").has(facet.asText()), "facet " + facet.asText() + " served back");
        }
    }

    /** Expected "ns | name" -> {fields: {out: [[ns, name, field, "TYPE/SUB(masked),..."]]}, dataset: [...]}. */
    private static void checkColumnLineage(String output, JsonNode spec) {
        String[] parts = output.split(" \\| ", 2);
        spec.path("fields").fields().forEachRemaining(field -> {
            String fieldId = NodeId.field(parts[0], parts[1], field.getKey());
            JsonNode graph = server.getJson("/api/v1/column-lineage?depth=1&nodeId=" + enc(fieldId));
            JsonNode node = null;
            for (JsonNode n : graph.path("graph")) {
                if (n.path("id").asText().equals(fieldId)) {
                    node = n;
                }
            }
            assertTrue(node != null, "column lineage node " + fieldId);
            for (JsonNode input : field.getValue()) {
                Set<String> actual = new HashSet<>();
                for (JsonNode in : node.path("data").path("inputFields")) {
                    if (in.path("namespace").asText().equals(input.get(0).asText()) && in.path("dataset").asText().equals(input.get(1).asText())
                            && in.path("field").asText().equals(input.get(2).asText())) {
                        in.path("transformations").forEach(t -> actual.add(transformation(t)));
                    }
                }
                assertTrue(!actual.isEmpty(), fieldId + " <- " + input + " is missing");
                // An empty expectation is a 1.x facet without transformation details: presence is all it says.
                for (String t : input.get(3).asText().split(",")) {
                    assertTrue(t.isEmpty() || actual.contains(t), fieldId + " <- " + input + ": expected " + t + " in " + actual);
                }
            }
        });
        for (JsonNode dependency : spec.path("dataset")) {
            JsonNode graph = server.getJson("/api/v1/column-lineage?depth=0&nodeId=" + enc(NodeId.dataset(parts[0], parts[1])));
            Set<String> actual = new HashSet<>();
            String inputKey = NodeId.field(dependency.get(0).asText(), dependency.get(1).asText(), dependency.get(2).asText());
            for (JsonNode d : graph.path("datasetDependencies")) {
                if (d.path("inputField").asText().equals(inputKey)) {
                    actual.add(transformation(d));
                }
            }
            for (String t : dependency.get(3).asText().split(",")) {
                assertTrue(actual.contains(t), output + " depends on " + inputKey + ": expected " + t + " in " + actual);
            }
        }
    }

    private static String transformation(JsonNode t) {
        return t.path("type").asText() + "/" + t.path("subtype").asText() + (t.path("masking").asBoolean() ? "(masked)" : "");
    }

    private static Set<String> pairs(JsonNode list) {
        Set<String> set = new TreeSet<>();
        list.forEach(p -> set.add(p.get(0).asText() + " | " + p.get(1).asText()));
        return set;
    }

    private static Set<String> idPairs(JsonNode list) {
        Set<String> set = new TreeSet<>();
        list.forEach(p -> set.add(p.path("namespace").asText() + " | " + p.path("name").asText()));
        return set;
    }

    private static Set<String> versionPairs(JsonNode list) {
        Set<String> set = new TreeSet<>();
        list.forEach(p -> set.add(p.path("datasetVersionId").path("namespace").asText() + " | " + p.path("datasetVersionId").path("name").asText()));
        return set;
    }

    static Path file(String name) {
        return TestServer.CORPUS.resolve(name);
    }
}
