package io.waymark.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;

import static io.waymark.catalog.TestServer.enc;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The parts of Marquez's API its Java client and web UI rely on (../shared/reference/marquez-openapi.yml
 * and the client's models, whose required fields may not be null).
 */
class MarquezApiTest {
    private static final TestServer server = TestServer.get();
    private static final String NS = Events.ns();
    private static final String FIRST_RUN = UUID.randomUUID().toString();
    private static final String SECOND_RUN = UUID.randomUUID().toString();
    private static final String FAILED_RUN = UUID.randomUUID().toString();

    @BeforeAll
    static void events() {
        String now = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
        ObjectNode first = Events.run("COMPLETE", FIRST_RUN, "2025-03-01T00:00:00Z", NS, "etl");
        ((com.fasterxml.jackson.databind.node.ArrayNode) first.get("inputs")).add(Events.dataset(NS, "raw"));
        ObjectNode out = Events.dataset(NS, "curated");
        ObjectNode facets = out.putObject("facets");
        facets.putObject("dataSource").put("name", "warehouse").put("uri", "postgres://db:5432");
        facets.putObject("schema").putArray("fields").addObject().put("name", "id").put("type", "INT");
        facets.putObject("columnLineage").putObject("fields").putObject("id").putArray("inputFields").addObject()
                .put("namespace", NS).put("name", "raw").put("field", "id")
                .putArray("transformations").addObject().put("type", "DIRECT").put("subtype", "IDENTITY");
        ((com.fasterxml.jackson.databind.node.ArrayNode) first.get("outputs")).add(out);
        server.postJson("/api/v1/lineage", first.toString());
        // A second run that also reads another input: a new job version.
        ObjectNode second = Events.run("COMPLETE", SECOND_RUN, now, NS, "etl");
        ((com.fasterxml.jackson.databind.node.ArrayNode) second.get("inputs")).add(Events.dataset(NS, "raw")).add(Events.dataset(NS, "extra"));
        ((com.fasterxml.jackson.databind.node.ArrayNode) second.get("outputs")).add(Events.dataset(NS, "curated"));
        server.postJson("/api/v1/lineage", second.toString());
        server.postJson("/api/v1/lineage", Events.run("FAIL", FAILED_RUN, now, NS, "broken").toString());
        server.awaitProjection();
    }

    @Test
    void namespacesHaveAnOwnerAndDatasetsASource() {
        JsonNode namespace = server.getJson("/api/v1/namespaces/" + enc(NS));
        assertEquals("anonymous", namespace.path("ownerName").asText(), namespace.toString());
        assertEquals("warehouse", server.getJson("/api/v1/namespaces/" + enc(NS) + "/datasets/curated").path("sourceName").asText());
        assertEquals("default", server.getJson("/api/v1/namespaces/" + enc(NS) + "/datasets/raw").path("sourceName").asText());
        for (JsonNode d : server.getJson("/api/v1/namespaces/" + enc(NS) + "/datasets").path("datasets")) {
            assertFalse(d.path("sourceName").isNull(), d.toString());
        }
    }

    @Test
    void everyDatasetHasAVersionInputsToo() {
        JsonNode raw = server.getJson("/api/v1/namespaces/" + enc(NS) + "/datasets/raw");
        String version = raw.path("currentVersion").asText(null);
        assertTrue(version != null && !version.equals("null"), "an input-only dataset has a version: " + raw);
        JsonNode versions = server.getJson("/api/v1/namespaces/" + enc(NS) + "/datasets/raw/versions");
        assertTrue(versions.path("totalCount").asInt() >= 1, versions.toString());
        Set<String> listed = new HashSet<>();
        versions.path("versions").forEach(v -> listed.add(v.path("version").asText()));
        assertTrue(listed.contains(version), "the current version is listed: " + versions);
        JsonNode one = server.getJson("/api/v1/namespaces/" + enc(NS) + "/datasets/raw/versions/" + version);
        assertEquals(version, one.path("version").asText());
        assertEquals(version, one.path("id").path("version").asText());
        assertEquals("default", one.path("sourceName").asText());
        assertEquals(404, server.get("/api/v1/namespaces/" + enc(NS) + "/datasets/raw/versions/" + UUID.randomUUID()).statusCode());

        JsonNode curated = server.getJson("/api/v1/namespaces/" + enc(NS) + "/datasets/curated/versions");
        assertTrue(curated.path("versions").get(0).path("createdByRun").path("id").asText().length() > 0, curated.toString());
    }

    @Test
    void datasetsCarryTheirColumnLineage() {
        JsonNode lineage = server.getJson("/api/v1/namespaces/" + enc(NS) + "/datasets/curated").path("columnLineage");
        assertEquals(1, lineage.size(), lineage.toString());
        assertEquals("id", lineage.get(0).path("name").asText());
        JsonNode input = lineage.get(0).path("inputFields").get(0);
        assertEquals(NS, input.path("namespace").asText());
        assertEquals("raw", input.path("dataset").asText());
        assertEquals("id", input.path("field").asText());
        assertEquals("IDENTITY", input.path("transformationType").asText());
    }

    @Test
    void jobsHaveVersionsLatestRunsAndRunsTheirJobVersion() {
        JsonNode job = server.getJson("/api/v1/namespaces/" + enc(NS) + "/jobs/etl");
        assertEquals(2, job.path("latestRuns").size(), job.toString());
        assertEquals(SECOND_RUN, job.path("latestRun").path("id").asText());
        String current = job.path("currentVersion").asText();
        assertEquals(current, job.path("latestRun").path("jobVersion").path("version").asText());
        UUID.fromString(current);

        JsonNode versions = server.getJson("/api/v1/namespaces/" + enc(NS) + "/jobs/etl/versions");
        assertEquals(2, versions.path("totalCount").asInt(), "different inputs are different versions: " + versions);
        assertEquals(current, versions.path("versions").get(0).path("version").asText(), "newest first");
        assertEquals(2, versions.path("versions").get(0).path("inputs").size());
        String older = versions.path("versions").get(1).path("version").asText();
        assertNotEquals(current, older);
        JsonNode run = server.getJson("/api/v1/jobs/runs/" + FIRST_RUN);
        assertEquals(older, run.path("jobVersion").path("version").asText(), run.toString());
        assertEquals("etl", run.path("jobVersion").path("name").asText());
        assertEquals(older, server.getJson("/api/v1/namespaces/" + enc(NS) + "/jobs/etl/versions/" + older).path("version").asText());
        assertEquals(404, server.get("/api/v1/namespaces/" + enc(NS) + "/jobs/etl/versions/" + UUID.randomUUID()).statusCode());
    }

    @Test
    void allJobsArePagedAndFilteredByTheirLatestRunState() {
        JsonNode failed = server.getJson("/api/v1/jobs?runState=FAILED&limit=1000");
        Set<String> names = new HashSet<>();
        failed.path("jobs").forEach(j -> {
            assertEquals("FAILED", j.path("latestRun").path("state").asText(), j.toString());
            names.add(j.path("namespace").asText() + "/" + j.path("name").asText());
        });
        assertTrue(names.contains(NS + "/broken"), failed.toString());
        assertFalse(names.contains(NS + "/etl"));
        JsonNode page = server.getJson("/api/v1/jobs?limit=1&offset=0");
        assertEquals(1, page.path("jobs").size());
        assertTrue(page.path("totalCount").asInt() >= 2);
        assertEquals(400, server.get("/api/v1/jobs?runState=SLEEPING").statusCode());
    }

    /** Marquez's web UI reduces latestRuns without an initial value: a job that never ran has none, not an empty list. */
    @Test
    void aJobThatNeverRanHasNoLatestRuns() {
        ObjectNode jobEvent = TestServer.JSON.createObjectNode().put("eventTime", "2025-01-01T00:00:00Z").put("producer", "https://example.com/tests");
        jobEvent.putObject("job").put("namespace", NS).put("name", "declared");
        jobEvent.putArray("inputs").addObject().put("namespace", NS).put("name", "raw");
        jobEvent.putArray("outputs");
        server.postJson("/api/v1/lineage", jobEvent.toString());
        server.awaitProjection();
        JsonNode job = server.getJson("/api/v1/namespaces/" + enc(NS) + "/jobs/declared");
        assertTrue(job.path("latestRuns").isNull(), job.toString());
        assertTrue(job.path("latestRun").isNull());
    }

    @Test
    void lineageJobNodesCarryTheirInputsAndOutputs() {
        JsonNode graph = server.getJson("/api/v1/lineage?nodeId=" + enc("job:" + NS + ":etl") + "&depth=1").path("graph");
        JsonNode etl = null;
        for (JsonNode node : graph) {
            if (node.path("id").asText().equals("job:" + NS + ":etl")) {
                etl = node;
            }
        }
        assertTrue(etl != null, graph.toString());
        assertEquals(2, etl.path("data").path("inputs").size(), etl.toString());
        assertEquals("curated", etl.path("data").path("outputs").get(0).path("name").asText());
    }

    @Test
    void statsForTheDashboard() {
        JsonNode day = server.getJson("/api/v1/stats/lineage-events?period=DAY&timezone=Europe/Berlin");
        assertEquals(24, day.size());
        long complete = 0;
        long fail = 0;
        for (JsonNode bucket : day) {
            assertTrue(bucket.has("startInterval") && bucket.has("endInterval") && bucket.has("start") && bucket.has("abort"), bucket.toString());
            complete += bucket.path("complete").asLong();
            fail += bucket.path("fail").asLong();
        }
        assertTrue(complete >= 1 && fail >= 1, "this test's events of the last hour: " + day);
        assertEquals(7, server.getJson("/api/v1/stats/lineage-events?period=WEEK&timezone=America/New_York").size());
        for (String asset : new String[] {"jobs", "datasets", "sources"}) {
            JsonNode counts = server.getJson("/api/v1/stats/" + asset + "?period=WEEK&timezone=UTC");
            assertEquals(7, counts.size(), asset);
            assertTrue(counts.get(6).path("count").asLong() >= 1, asset + ": " + counts);
        }
        assertEquals(400, server.get("/api/v1/stats/jobs?period=YEAR").statusCode());
        assertEquals(404, server.get("/api/v1/stats/owners").statusCode());
    }

    @Test
    void sourcesAreListed() {
        JsonNode sources = server.getJson("/api/v1/sources");
        Set<String> names = new HashSet<>();
        sources.path("sources").forEach(s -> names.add(s.path("name").asText()));
        assertTrue(names.contains("warehouse") && names.contains("default"), sources.toString());
        JsonNode warehouse = server.getJson("/api/v1/sources/warehouse");
        assertEquals("POSTGRES", warehouse.path("type").asText());
        assertEquals("postgres://db:5432", warehouse.path("connectionUrl").asText());
        assertEquals(404, server.get("/api/v1/sources/" + UUID.randomUUID()).statusCode());
    }
    /**
     * Marquez's Java client refuses a column-lineage node whose fieldType is null; Marquez answers "" for a field it
     * knows only as an input (found by driving Marquez's own client, built from its source, against the corpus).
     */
    @Test
    void columnLineageNodesAlwaysHaveAFieldType() {
        JsonNode graph = server.getJson("/api/v1/column-lineage?nodeId=" + enc("dataset:" + NS + ":curated") + "&depth=5").path("graph");
        Set<String> seen = new HashSet<>();
        for (JsonNode node : graph) {
            JsonNode data = node.path("data");
            assertTrue(data.path("fieldType").isTextual(), node.toString());
            seen.add(data.path("dataset").asText() + "." + data.path("field").asText() + "=" + data.path("fieldType").asText());
        }
        assertTrue(seen.contains("curated.id=INT") && seen.contains("raw.id="), seen.toString());
    }

    /** A run known only as another run's parent still has the times the client requires (it was created then). */
    @Test
    void aRunKnownOnlyAsAParentHasItsTimes() {
        String parent = UUID.randomUUID().toString();
        ObjectNode child = Events.run("START", UUID.randomUUID().toString(), "2025-02-01T10:00:00Z", NS, "dag.task");
        ((ObjectNode) child.get("run")).putObject("facets").putObject("parent")
                .put("_producer", "https://example.com/tests").put("_schemaURL", "https://openlineage.io/spec/facets/1-0-1/ParentRunFacet.json")
                .<ObjectNode>set("run", TestServer.JSON.createObjectNode().put("runId", parent))
                .set("job", TestServer.JSON.createObjectNode().put("namespace", NS).put("name", "dag"));
        server.postJson("/api/v1/lineage", child.toString());
        server.awaitProjection();
        JsonNode run = server.getJson("/api/v1/jobs/runs/" + parent);
        assertEquals("2025-02-01T10:00:00Z", run.path("createdAt").asText(), run.toString());
        assertEquals("2025-02-01T10:00:00Z", run.path("updatedAt").asText(), run.toString());
        JsonNode runs = server.getJson("/api/v1/namespaces/" + enc(NS) + "/jobs/dag/runs");
        assertFalse(runs.path("runs").get(0).path("createdAt").isNull(), runs.toString());
    }
}
