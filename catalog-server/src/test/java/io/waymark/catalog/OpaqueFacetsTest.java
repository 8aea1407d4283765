package io.waymark.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.neo4j.driver.Driver;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;

import static io.waymark.catalog.TestServer.enc;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Facet names are the producer's and never become part of the graph's schema: thousands of them,
 * or one holding a NUL, are projected like any event, kept as opaque JSON and served back; a
 * steward's custom annotations are bounded in name and number.
 */
class OpaqueFacetsTest {
    private final TestServer server = TestServer.get();

    @Test
    void facetNamesNeverBecomePropertyKeys() {
        String ns = Events.ns();
        String tag = "zz" + UUID.randomUUID().toString().substring(0, 8);
        String runId = UUID.randomUUID().toString();
        ObjectNode event = Events.run("START", runId, "2025-01-01T00:00:00Z", ns, "wide");
        ObjectNode facets = event.with("run").putObject("facets");
        for (int i = 0; i < 5_000; i++) {
            facets.putObject(tag + "_" + i).put("_producer", "p").put("i", i);
        }
        facets.putObject("nul\u0000" + tag).put("v", 1);
        facets.putObject("nominalTime").put("nominalStartTime", "2025-01-01T00:00:00Z");
        HttpResponse<String> posted = server.postJson("/api/v1/lineage", event.toString());
        assertEquals(201, posted.statusCode(), posted.body());
        // A second event of the run replaces one custom facet and adds one.
        ObjectNode complete = Events.run("COMPLETE", runId, "2025-01-01T00:01:00Z", ns, "wide");
        ObjectNode later = complete.with("run").putObject("facets");
        later.putObject(tag + "_4999").put("_producer", "p").put("i", -1);
        later.putObject("spark_version").put("spark-version", "3.5.7");
        assertEquals(201, server.postJson("/api/v1/lineage", complete.toString()).statusCode());
        server.awaitProjection();
        assertEquals(0, server.getJson("/api/v1/projection/errors").path("totalCount").asInt(), "nothing set aside");

        Set<String> keys = new HashSet<>();
        server.context.getBean(Driver.class).executableQuery("CALL db.propertyKeys()").execute().records()
                .forEach(r -> keys.add(r.get(0).asString()));
        assertTrue(keys.stream().noneMatch(k -> k.contains(tag)), "no property key carries a producer's facet name");

        JsonNode run = server.getJson("/api/v1/jobs/runs/" + runId + "/facets").path("facets");
        assertEquals("3.5.7", run.path("spark_version").path("spark-version").asText(), run.toString().substring(0, 200));
        assertEquals(-1, run.path(tag + "_4999").path("i").asInt(), "the later event's facet replaces the same name's");
        assertTrue(run.has("nominalTime"), "a spec facet is kept too");
        assertTrue(run.size() <= 102, "custom facets are capped per run: " + run.size());
    }

    @Test
    void customAnnotationsAreBoundedInNameAndNumber() throws Exception {
        String ns = Events.ns();
        server.postJson("/api/v1/lineage", Events.complete(ns, "j", new String[] {}, new String[] {"d"}, "2025-01-01T00:00:00Z").toString());
        server.awaitProjection();
        String path = "/api/v1/namespaces/" + enc(ns) + "/datasets/d/annotations";
        String lineage = "/api/v1/lineage?depth=1&nodeId=" + enc("dataset:" + ns + ":d");
        assertTrue(server.getJson(lineage).path("graph").get(0).path("data").path("annotations").isEmpty(), "nothing yet (and now cached)");
        assertEquals(400, put(path, "{\"custom.bad key\\u0000\": \"x\"}").statusCode(), "a key with a space or NUL");
        StringBuilder many = new StringBuilder("{");
        for (int i = 0; i < 51; i++) {
            many.append(i == 0 ? "" : ",").append("\"custom.k").append(i).append("\": ").append(i);
        }
        HttpResponse<String> tooMany = put(path, many.append("}").toString());
        assertEquals(400, tooMany.statusCode(), tooMany.body());
        assertEquals(200, put(path, "{\"custom.costCentre\": \"cc-42\"}").statusCode());
        assertFalse(server.getJson(path).path("annotations").has("custom.k1"), "a refused patch leaves nothing");
        JsonNode node = server.getJson(lineage).path("graph").get(0);
        assertEquals("dataset:" + ns + ":d", node.path("id").asText());
        assertEquals("cc-42", node.path("data").path("annotations").path("custom.costCentre").asText(), "lineage shows the dataset API's annotations: " + node);
    }

    private HttpResponse<String> put(String path, String body) {
        return server.send(HttpRequest.newBuilder(URI.create(server.url(path))).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(body)).build());
    }
}
