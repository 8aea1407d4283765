package io.waymark.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.waymark.catalog.projection.Projector;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;

import static io.waymark.catalog.TestServer.enc;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A dataset is (namespace, name): moving a ':' from the namespace into the name makes another
 * dataset, although Marquez spells both ids {@code dataset:<p>:x:y}. Each keeps its own schema and
 * writer, a text id that names both is refused with the candidates, and a rebuild keeps them apart.
 */
class IdentityTest {
    private static final TestServer server = TestServer.get();
    private static final String P = Events.ns();
    private static final String NS_A = P + ":x";
    private static final String NS_B = P;

    @BeforeAll
    static void events() {
        post(NS_A, "writer_a", "y", "col_a");
        post(NS_B, "writer_b", "x:y", "col_b");
        server.awaitProjection();
    }

    private static void post(String ns, String job, String dataset, String field) {
        ObjectNode event = Events.complete(ns, job, new String[] {}, new String[] {}, "2025-01-01T00:00:00Z");
        ObjectNode out = Events.dataset(ns, dataset);
        out.putObject("facets").putObject("schema").putArray("fields").addObject().put("name", field).put("type", "string");
        event.withArray("outputs").add(out);
        HttpResponse<String> response = server.postJson("/api/v1/lineage", event.toString());
        assertEquals(201, response.statusCode(), response.body());
    }

    @Test
    void eachDatasetKeepsItsOwnSchemaAndWriter() {
        assertDatasets();
    }

    @Test
    void anAmbiguousTextIdIsRefusedWithItsCandidatesAndNamespaceChoosesOne() {
        String id = "dataset:" + P + ":x:y";
        HttpResponse<String> response = server.get("/api/v1/lineage?nodeId=" + enc(id));
        assertEquals(400, response.statusCode(), response.body());
        JsonNode body = TestServer.parse(response.body());
        assertEquals("ambiguous_node_id", body.path("error").asText());
        List<String> candidates = new ArrayList<>();
        body.path("candidates").forEach(c -> candidates.add(c.path("namespace").asText() + " | " + c.path("name").asText()));
        candidates.sort(null);
        assertEquals(List.of(NS_B + " | x:y", NS_A + " | y"), candidates);

        JsonNode graph = server.getJson("/api/v1/lineage?depth=1&nodeId=" + enc(id) + "&namespace=" + enc(NS_B)).path("graph");
        List<String> ids = new ArrayList<>();
        graph.forEach(n -> ids.add(n.path("id").asText()));
        assertTrue(ids.contains("job:" + NS_B + ":writer_b"), "(" + NS_B + ", x:y) is written by writer_b: " + ids);
        assertTrue(!ids.contains("job:" + NS_A + ":writer_a"), ids.toString());
        assertTrue(ids.contains(id), "the id stays Marquez's text: " + ids);

        JsonNode columns = server.getJson("/api/v1/column-lineage?depth=1&nodeId=" + enc("datasetField:" + P + ":x:y:col_a")).path("graph");
        assertEquals("datasetField:" + P + ":x:y:col_a", columns.get(0).path("id").asText(), "only one field answers to this text");
        assertEquals(NS_A, columns.get(0).path("data").path("namespace").asText());
    }

    @Test
    void aRebuildKeepsThemApart() throws Exception {
        server.context.getBean(Projector.class).rebuild();
        assertDatasets();
    }

    private static void assertDatasets() {
        JsonNode a = server.getJson("/api/v1/namespaces/" + enc(NS_A) + "/datasets/y");
        JsonNode b = server.getJson("/api/v1/namespaces/" + enc(NS_B) + "/datasets/" + enc("x:y"));
        assertEquals("col_a", a.path("fields").get(0).path("name").asText(), a.toString());
        assertEquals(1, a.path("fields").size());
        assertEquals("col_b", b.path("fields").get(0).path("name").asText(), b.toString());
        assertEquals(1, b.path("fields").size());
        assertEquals(NS_B, b.path("namespace").asText());
        JsonNode job = server.getJson("/api/v1/namespaces/" + enc(NS_B) + "/jobs/writer_b");
        assertEquals(NS_B, job.path("outputs").get(0).path("namespace").asText(), job.toString());
        assertEquals("x:y", job.path("outputs").get(0).path("name").asText());
        JsonNode jobA = server.getJson("/api/v1/namespaces/" + enc(NS_A) + "/jobs/writer_a");
        assertEquals(NS_A, jobA.path("outputs").get(0).path("namespace").asText(), jobA.toString());
    }
}
