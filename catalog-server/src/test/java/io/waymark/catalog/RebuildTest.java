package io.waymark.catalog;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.waymark.catalog.projection.Projector;
import org.junit.jupiter.api.Test;
import org.neo4j.driver.Driver;
import org.neo4j.driver.Record;
import org.neo4j.driver.Session;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The graph is a function of the journal: emptying it and replaying the journal gives the same graph. */
public class RebuildTest {
    private final TestServer server = TestServer.get();

    @Test
    void rebuildReproducesTheGraphExactly() throws Exception {
        // Make sure the journal holds more than one batch and every kind of entry, in arrival order.
        for (String file : List.of("spark_orders_fail.ndjson", "client_java_public.ndjson", "upstream_airflow_legacy.ndjson")) {
            for (String line : Files.readAllLines(TestServer.CORPUS.resolve(file), StandardCharsets.UTF_8)) {
                server.post("/api/v1/lineage", line.getBytes(StandardCharsets.UTF_8));
            }
        }
        String ns = Events.ns();
        server.postJson("/api/v1/lineage", Events.complete(ns, "j", new String[] {"a"}, new String[] {"b"}, "2025-01-01T00:00:00Z").toString());
        server.awaitProjection();
        server.delete("/api/v1/namespaces/" + ns + "/datasets/b");
        // Governance state is journaled too: annotations, a steward label, and what propagates from it.
        ObjectNode copy = Events.complete(ns, "copy", new String[] {"a"}, new String[] {}, "2025-01-02T00:00:00Z");
        ObjectNode out = Events.dataset(ns, "c");
        out.putObject("facets").putObject("columnLineage").putObject("fields").putObject("mail").putArray("inputFields")
                .addObject().put("namespace", ns).put("name", "a").put("field", "email")
                .putArray("transformations").addObject().put("type", "DIRECT").put("subtype", "IDENTITY");
        ((ArrayNode) copy.get("outputs")).add(out);
        server.postJson("/api/v1/lineage", copy.toString());
        server.awaitProjection();
        server.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(server.url("/api/v1/namespaces/" + ns
                + "/datasets/a/fields/email/classifications/PII.contact.email"))).PUT(java.net.http.HttpRequest.BodyPublishers.noBody()).build());
        server.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(server.url("/api/v1/namespaces/" + ns + "/jobs/copy/annotations")))
                .header("Content-Type", "application/json").PUT(java.net.http.HttpRequest.BodyPublishers.ofString("{\"owner\":\"ops\"}")).build());
        server.awaitProjection();
        assertTrue(dump(server.context.getBean(Driver.class)).stream().anyMatch(l -> l.contains("source=PROPAGATED")), "a propagated label to compare");

        Driver driver = server.context.getBean(Driver.class);
        List<String> before = dump(driver);
        assertTrue(before.size() > 100, "a non-trivial graph: " + before.size());
        server.context.getBean(Projector.class).rebuild();
        List<String> after = dump(driver);
        List<String> lost = new ArrayList<>(before);
        lost.removeAll(after);
        List<String> gained = new ArrayList<>(after);
        gained.removeAll(before);
        assertEquals(before.size(), after.size(), "only before the rebuild: " + lost.stream().limit(5).toList()
                + "; only after it: " + gained.stream().limit(5).toList());
        for (int i = 0; i < before.size(); i++) {
            assertEquals(before.get(i), after.get(i));
        }
    }

    /** Every node and relationship with all its properties, as sorted text. */
    public static List<String> dump(Driver driver) {
        List<String> lines = new ArrayList<>();
        try (Session session = driver.session()) {
            for (Record r : session.run("MATCH (n) RETURN labels(n) AS labels, properties(n) AS props").list()) {
                lines.add("N " + r.get("labels").asList() + " " + new TreeMap<>(r.get("props").asMap()));
            }
            for (Record r : session.run("""
                    MATCH (a)-[rel]->(b)
                    RETURN coalesce(a.key, a.name) AS a, type(rel) AS type, properties(rel) AS props, coalesce(b.key, b.name) AS b""").list()) {
                Map<String, Object> props = new TreeMap<>(r.get("props").asMap());
                lines.add("R " + r.get("a").asString() + " -" + r.get("type").asString() + props + "-> " + r.get("b").asString());
            }
        }
        lines.sort(String::compareTo);
        return lines;
    }
}
