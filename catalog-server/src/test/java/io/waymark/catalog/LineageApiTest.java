package io.waymark.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

import static io.waymark.catalog.TestServer.enc;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Bounded lineage traversal: depth, direction, fan-out cap, failed runs, as-of time, column lineage. */
class LineageApiTest {
    private final TestServer server = TestServer.get();

    /** ds0 -> job1 -> ds1 -> job2 -> ds2 ... -> dsN */
    private String chain(int length) {
        String ns = Events.ns();
        StringBuilder batch = new StringBuilder("[");
        for (int i = 1; i <= length; i++) {
            batch.append(i > 1 ? "," : "").append(Events.complete(ns, "job" + i, new String[] {"ds" + (i - 1)}, new String[] {"ds" + i},
                    "2025-01-01T00:00:0" + (i % 10) + "Z"));
        }
        assertEquals(200, server.postJson("/api/v1/lineage/batch", batch.append("]").toString()).statusCode());
        server.awaitProjection();
        return ns;
    }

    private Set<String> ids(JsonNode lineage) {
        Set<String> ids = new TreeSet<>();
        lineage.path("graph").forEach(n -> ids.add(n.path("id").asText()));
        return ids;
    }

    @Test
    void depthCountsJobsAndDirectionChoosesTheSide() {
        String ns = chain(6);
        String middle = enc("dataset:" + ns + ":ds3");
        assertEquals(Set.of("dataset:" + ns + ":ds2", "dataset:" + ns + ":ds3", "dataset:" + ns + ":ds4", "job:" + ns + ":job3", "job:" + ns + ":job4"),
                ids(server.getJson("/api/v1/lineage?depth=1&nodeId=" + middle)));
        Set<String> up = ids(server.getJson("/api/v1/lineage?depth=2&direction=upstream&nodeId=" + middle));
        assertEquals(Set.of("dataset:" + ns + ":ds1", "dataset:" + ns + ":ds2", "dataset:" + ns + ":ds3", "job:" + ns + ":job2", "job:" + ns + ":job3"), up);
        Set<String> down = ids(server.getJson("/api/v1/lineage?depth=20&direction=downstream&nodeId=" + middle));
        assertEquals(Set.of("dataset:" + ns + ":ds3", "dataset:" + ns + ":ds4", "dataset:" + ns + ":ds5", "dataset:" + ns + ":ds6",
                "job:" + ns + ":job4", "job:" + ns + ":job5", "job:" + ns + ":job6"), down);
    }

    @Test
    void fieldsFalseLeavesTheSchemaOutAndTheSharedViewsAlone() {
        String ns = Events.ns();
        com.fasterxml.jackson.databind.node.ObjectNode event = Events.complete(ns, "load", new String[] {"src"}, new String[] {}, "2025-01-01T00:00:00Z");
        com.fasterxml.jackson.databind.node.ObjectNode out = Events.dataset(ns, "dst");
        out.putObject("facets").putObject("schema").put("_producer", "x").put("_schemaURL", "x").putArray("fields")
                .addObject().put("name", "id").put("type", "int");
        ((com.fasterxml.jackson.databind.node.ArrayNode) event.get("outputs")).add(out);
        assertEquals(201, server.postJson("/api/v1/lineage", event.toString()).statusCode());
        server.awaitProjection();
        String node = enc("dataset:" + ns + ":dst");
        JsonNode with = server.getJson("/api/v1/lineage?depth=2&nodeId=" + node);
        JsonNode without = server.getJson("/api/v1/lineage?depth=2&fields=false&nodeId=" + node);
        JsonNode again = server.getJson("/api/v1/lineage?depth=2&nodeId=" + node);
        assertEquals(ids(with), ids(without));
        for (JsonNode n : without.path("graph")) {
            assertTrue(n.path("data").path("fields").isMissingNode(), n.toString());
        }
        JsonNode dst = null;
        for (JsonNode n : again.path("graph")) {
            if (n.path("id").asText().equals("dataset:" + ns + ":dst")) {
                dst = n;
            }
        }
        assertEquals("id", dst.path("data").path("fields").path(0).path("name").asText(), "the default answer still has the fields: " + dst);
        assertEquals(with, again);
    }

    @Test
    void edgesPointTheWayDataFlows() {
        String ns = chain(1);
        JsonNode graph = server.getJson("/api/v1/lineage?depth=1&nodeId=" + enc("job:" + ns + ":job1"));
        for (JsonNode node : graph.path("graph")) {
            if (node.path("id").asText().equals("job:" + ns + ":job1")) {
                assertEquals("dataset:" + ns + ":ds0", node.path("inEdges").get(0).path("origin").asText());
                assertEquals("dataset:" + ns + ":ds1", node.path("outEdges").get(0).path("destination").asText());
                assertEquals("JOB", node.path("type").asText());
            }
        }
    }

    @Test
    void fanOutIsCappedAndSaysSo() {
        String ns = Events.ns();
        ArrayNode batch = TestServer.JSON.createArrayNode();
        for (int i = 0; i < 210; i++) {
            batch.add(Events.complete(ns, "reader" + i, new String[] {"hub"}, new String[] {"out" + i}, "2025-01-01T00:00:00Z"));
        }
        assertEquals(200, server.postJson("/api/v1/lineage/batch", batch.toString()).statusCode());
        server.awaitProjection();
        JsonNode lineage = server.getJson("/api/v1/lineage?depth=1&direction=downstream&nodeId=" + enc("dataset:" + ns + ":hub"));
        assertTrue(lineage.path("truncated").asBoolean());
        assertTrue(lineage.path("graph").size() < 420, "capped: " + lineage.path("graph").size());
        assertFalse(server.getJson("/api/v1/lineage?depth=1&nodeId=" + enc("dataset:" + ns + ":out1")).path("truncated").asBoolean());
    }

    @Test
    void aFailedRunNeitherCreatesNorErasesCurrentLineage() {
        String ns = Events.ns();
        server.postJson("/api/v1/lineage", Events.complete(ns, "j", new String[] {"a"}, new String[] {"out"}, "2025-01-01T00:00:00Z").toString());
        String failed = UUID.randomUUID().toString();
        ObjectNode start = Events.withIo(Events.run("START", failed, "2025-01-02T00:00:00Z", ns, "j"),
                new ObjectNode[] {Events.dataset(ns, "a"), Events.dataset(ns, "b")}, new ObjectNode[] {Events.dataset(ns, "out")});
        server.postJson("/api/v1/lineage", start.toString());
        server.postJson("/api/v1/lineage", Events.run("FAIL", failed, "2025-01-02T00:01:00Z", ns, "j").toString());
        server.postJson("/api/v1/lineage", Events.run("COMPLETE", failed, "2025-01-02T00:01:01Z", ns, "j").toString());
        server.awaitProjection();
        Set<String> upstream = ids(server.getJson("/api/v1/lineage?depth=1&direction=upstream&nodeId=" + enc("dataset:" + ns + ":out")));
        assertTrue(upstream.contains("dataset:" + ns + ":a"), "the older successful run's input stays: " + upstream);
        assertFalse(upstream.contains("dataset:" + ns + ":b"), "the failed run's extra input is not current lineage: " + upstream);
        JsonNode run = server.getJson("/api/v1/jobs/runs/" + failed);
        assertEquals(2, run.path("inputDatasetVersions").size(), "the failed run's own I/O is still recorded");
    }

    @Test
    void asOfShowsLineageAsItWasThen() {
        String ns = Events.ns();
        server.postJson("/api/v1/lineage", Events.complete(ns, "j", new String[] {"old"}, new String[] {"t"}, "2025-01-01T00:00:00Z").toString());
        server.postJson("/api/v1/lineage", Events.complete(ns, "j", new String[] {"new"}, new String[] {"t"}, "2025-06-01T00:00:00Z").toString());
        server.awaitProjection();
        String node = enc("dataset:" + ns + ":t");
        Set<String> now = ids(server.getJson("/api/v1/lineage?depth=1&direction=upstream&nodeId=" + node));
        Set<String> then = ids(server.getJson("/api/v1/lineage?depth=1&direction=upstream&nodeId=" + node + "&asOf=" + enc("2025-03-01T00:00:00Z")));
        assertTrue(now.contains("dataset:" + ns + ":new"));
        assertFalse(then.contains("dataset:" + ns + ":new"), then.toString());
        assertTrue(then.contains("dataset:" + ns + ":old"));
    }

    @Test
    void columnLineageFollowsFieldsBothWays() {
        String ns = Events.ns();
        ObjectNode event = Events.complete(ns, "mask", new String[] {"users"}, new String[] {}, "2025-01-01T00:00:00Z");
        ObjectNode out = Events.dataset(ns, "users_hashed");
        ObjectNode fields = out.putObject("facets").putObject("columnLineage").putObject("fields");
        ArrayNode inputs = fields.putObject("email_hash").putArray("inputFields");
        ObjectNode input = inputs.addObject().put("namespace", ns).put("name", "users").put("field", "email");
        input.putArray("transformations").addObject().put("type", "DIRECT").put("subtype", "TRANSFORMATION").put("masking", true);
        ((ArrayNode) event.get("outputs")).add(out);
        server.postJson("/api/v1/lineage", event.toString());
        ObjectNode second = Events.complete(ns, "report", new String[] {"users_hashed"}, new String[] {}, "2025-01-01T00:01:00Z");
        ObjectNode report = Events.dataset(ns, "report");
        report.putObject("facets").putObject("columnLineage").putObject("fields").putObject("who").putArray("inputFields")
                .addObject().put("namespace", ns).put("name", "users_hashed").put("field", "email_hash")
                .putArray("transformations").addObject().put("type", "DIRECT").put("subtype", "IDENTITY");
        ((ArrayNode) second.get("outputs")).add(report);
        server.postJson("/api/v1/lineage", second.toString());
        server.awaitProjection();

        String email = "datasetField:" + ns + ":users:email";
        JsonNode down = server.getJson("/api/v1/column-lineage?depth=5&withDownstream=true&nodeId=" + enc(email));
        List<String> ids = new ArrayList<>();
        down.path("graph").forEach(n -> ids.add(n.path("id").asText()));
        assertTrue(ids.containsAll(List.of(email, "datasetField:" + ns + ":users_hashed:email_hash", "datasetField:" + ns + ":report:who")), ids.toString());
        JsonNode up = server.getJson("/api/v1/column-lineage?depth=5&nodeId=" + enc("datasetField:" + ns + ":report:who"));
        assertEquals(3, up.path("graph").size(), up.toString());
        for (JsonNode n : up.path("graph")) {
            if (n.path("id").asText().endsWith(":email_hash")) {
                JsonNode t = n.path("data").path("inputFields").get(0).path("transformations").get(0);
                assertTrue(t.path("masking").asBoolean());
                assertEquals("job:" + ns + ":mask", t.path("job").asText());
            }
        }
    }

    @Test
    void badLineageRequestsAre400Not500() {
        assertEquals(400, server.get("/api/v1/lineage?nodeId=nonsense").statusCode());
        assertEquals(400, server.get("/api/v1/lineage?nodeId=dataset:a:b&depth=1000").statusCode());
        assertEquals(400, server.get("/api/v1/lineage?nodeId=dataset:a:b&direction=sideways").statusCode());
        assertEquals(400, server.get("/api/v1/lineage?nodeId=dataset:a:b&asOf=yesterday").statusCode());
        assertEquals(404, server.get("/api/v1/lineage?nodeId=" + enc("dataset:nowhere:nothing")).statusCode());
        assertEquals(404, server.get("/api/v1/column-lineage?nodeId=" + enc("datasetField:nowhere:x:y")).statusCode());
    }
}
