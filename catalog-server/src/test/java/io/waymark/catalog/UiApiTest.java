package io.waymark.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The API the web UI needs beyond Marquez's: who am I, recent runs, the taxonomy, the findings trend, and lineage nodes' neighbour counts and labels. */
class UiApiTest {
    private final TestServer server = TestServer.get();

    private HttpResponse<String> getAs(String path, String token) {
        return server.send(HttpRequest.newBuilder(URI.create(server.url(path))).header("Authorization", "Bearer " + token).GET().build());
    }

    @Test
    void meNamesTheTokenAndItsRoles() {
        JsonNode viewer = TestServer.parse(getAs("/api/v1/me", server.token("vera", "viewer")).body());
        assertEquals("vera", viewer.path("name").asText());
        assertEquals("viewer", viewer.path("role").asText());
        assertEquals("[\"viewer\"]", viewer.path("roles").toString());
        HttpResponse<String> producer = getAs("/api/v1/me", server.token("pipeline", "producer"));
        assertEquals(200, producer.statusCode(), "a producer may ask who it is");
        assertEquals(5, TestServer.parse(server.get("/api/v1/me").body()).path("roles").size(), "admin implies every role");
        assertEquals(401, server.sendAsIs(HttpRequest.newBuilder(URI.create(server.url("/api/v1/me"))).GET().build()).statusCode());
    }

    @Test
    void recentRunsSpanJobsAndFilterByState() {
        String ns = Events.ns();
        String failed = UUID.randomUUID().toString();
        server.postJson("/api/v1/lineage", Events.run("FAIL", failed, "2031-01-01T00:00:00Z", ns, "nightly").toString());
        server.postJson("/api/v1/lineage", Events.complete(ns, "hourly", new String[] {}, new String[] {"t"}, "2031-01-01T00:01:00Z").toString());
        server.awaitProjection();
        JsonNode failures = TestServer.parse(server.get("/api/v1/runs?state=FAILED&limit=500").body()).path("runs");
        assertTrue(failures.findValuesAsText("id").contains(failed), failures.toString());
        failures.forEach(r -> assertEquals("FAILED", r.path("state").asText()));
        JsonNode latest = TestServer.parse(server.get("/api/v1/runs?limit=2").body()).path("runs");
        assertEquals("job:" + ns + ":hourly", latest.get(0).path("jobKey").asText(), "newest first");
        assertEquals(400, server.get("/api/v1/runs?state=SLEEPING").statusCode());
    }

    @Test
    void theTaxonomyIsListed() {
        JsonNode codes = TestServer.parse(server.get("/api/v1/classifications").body()).path("classifications");
        assertTrue(codes.size() > 40);
        JsonNode pan = null;
        for (JsonNode c : codes) {
            if (c.path("code").asText().equals("PCI.PAN")) {
                pan = c;
            }
        }
        assertEquals("PCI", pan.path("family").asText());
        assertEquals("PAN", pan.path("pciElement").asText());
    }

    @Test
    void annotationKeysComeWithTheirTypes() {
        Map<String, JsonNode> keys = new HashMap<>();
        TestServer.parse(server.get("/api/v1/annotation-keys").body()).path("keys").forEach(k -> keys.put(k.path("key").asText(), k));
        assertEquals("[\"CDE\",\"CONNECTED\",\"OUT\"]", keys.get("pciScope").path("values").toString());
        assertEquals("days", keys.get("retentionDays").path("type").asText());
        assertEquals("boolean", keys.get("encryptedAtRest").path("type").asText());
        assertEquals("list", keys.get("purposes").path("type").asText());
        assertTrue(keys.get("role").path("jobOnly").asBoolean());
        assertTrue(keys.keySet().containsAll(java.util.List.of("owner", "environment", "region", "country", "legalBasis", "transferMechanism",
                "systemOfRecord", "soxKeyReport", "deidMethod")), keys.keySet().toString());
    }

    @Test
    void theTrendHasOnePointPerDay() {
        server.post("/api/v1/compliance/evaluations", new byte[0]);
        JsonNode days = TestServer.parse(server.get("/api/v1/compliance/trend?days=7").body()).path("days");
        assertEquals(7, days.size());
        JsonNode today = days.get(6);
        int open = TestServer.parse(server.get("/api/v1/compliance/findings?limit=10000").body()).path("findings").size();
        assertEquals(open, today.path("open").asInt(), "today's point counts the open findings");
        assertEquals(400, server.get("/api/v1/compliance/trend?days=0").statusCode());
    }

    @Test
    void lineageNodesCountTheirNeighboursAndCarryTheirLabels() {
        String ns = Events.ns();
        ObjectNode load = Events.complete(ns, "load", new String[] {"raw"}, new String[] {}, "2031-02-01T00:00:00Z");
        ObjectNode out = Events.dataset(ns, "customers");
        out.putObject("facets").putObject("schema").putArray("fields").addObject().put("name", "email").put("type", "text");
        ((com.fasterxml.jackson.databind.node.ArrayNode) load.get("outputs")).add(out);
        server.postJson("/api/v1/lineage", load.toString());
        server.postJson("/api/v1/lineage", Events.complete(ns, "report", new String[] {"customers"}, new String[] {"summary"}, "2031-02-01T01:00:00Z").toString());
        server.postJson("/api/v1/lineage", Events.complete(ns, "export", new String[] {"customers"}, new String[] {"extract"}, "2031-02-01T02:00:00Z").toString());
        server.awaitProjection();
        assertEquals(200, server.send(HttpRequest.newBuilder(URI.create(server.url("/api/v1/namespaces/" + ns + "/datasets/customers/fields/email/classifications/PII.contact.email")))
                .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString("{}")).build()).statusCode());
        JsonNode graph = TestServer.parse(server.get("/api/v1/lineage?depth=1&direction=upstream&nodeId=" + TestServer.enc("dataset:" + ns + ":customers")).body()).path("graph");
        Map<String, JsonNode> byId = new HashMap<>();
        graph.forEach(n -> byId.put(n.path("id").asText(), n));
        JsonNode customers = byId.get("dataset:" + ns + ":customers");
        assertEquals(1, customers.path("neighbours").path("upstream").asInt());
        assertEquals(2, customers.path("neighbours").path("downstream").asInt(), "the two readers exist though the walk went upstream only");
        assertEquals(0, customers.path("outEdges").size());
        assertEquals("[{\"field\":\"email\",\"code\":\"PII.contact.email\",\"protection\":\"CLEAR\"}]", customers.path("classifications").toString());
        assertEquals(0, byId.get("dataset:" + ns + ":raw").path("neighbours").path("upstream").asInt());
        assertEquals("[]", byId.get("job:" + ns + ":load").path("classifications").toString());
    }
}
