package io.waymark.catalog;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.waymark.catalog.projection.Projector;
import org.junit.jupiter.api.Test;
import org.neo4j.driver.Driver;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Runs that repeat the column lineage the graph holds take the projector's short path (the edge's
 * span moved by element id, or nothing written); the graph must be exactly what the full statement
 * makes. Each event is projected in its own batch here, while the rebuild folds them all into one,
 * so the two take different paths to what must be the same graph.
 */
class RepeatedLineageTest {
    private final TestServer server = TestServer.get();

    @Test
    void repeatedColumnLineageLeavesTheGraphTheFullPathWould() throws Exception {
        String ns = Events.ns();
        // Later, earlier (out of order), the same time again, masking switched on, a description, back off.
        String[][] runs = {{"2025-03-10T00:00:00Z", "false", null}, {"2025-03-12T00:00:00Z", "false", null},
                {"2025-03-11T00:00:00Z", "false", null}, {"2025-03-09T00:00:00Z", "false", null},
                {"2025-03-12T00:00:00Z", "false", null}, {"2025-03-13T00:00:00Z", "true", null},
                {"2025-03-14T00:00:00Z", "true", "hashed"}, {"2025-03-15T00:00:00Z", "false", null}, {"2025-03-16T00:00:00Z", "false", null}};
        for (String[] run : runs) {
            ObjectNode event = Events.complete(ns, "copy", new String[] {"src"}, new String[] {}, run[0]);
            ObjectNode out = Events.dataset(ns, "dst");
            ObjectNode transformation = TestServer.JSON.createObjectNode().put("type", "DIRECT").put("subtype", "TRANSFORMATION")
                    .put("masking", Boolean.parseBoolean(run[1]));
            if (run[2] != null) {
                transformation.put("description", run[2]);
            }
            ObjectNode fields = out.putObject("facets").putObject("columnLineage").put("_producer", "x").put("_schemaURL", "x").putObject("fields");
            for (String column : List.of("a", "b", "c")) {
                fields.putObject(column).putArray("inputFields").addObject().put("namespace", ns).put("name", "src").put("field", column)
                        .putArray("transformations").add(transformation.deepCopy());
            }
            ((ObjectNode) out.get("facets").get("columnLineage")).putArray("dataset").addObject().put("namespace", ns).put("name", "src")
                    .put("field", "a").putArray("transformations").addObject().put("type", "INDIRECT").put("subtype", "FILTER");
            ((ArrayNode) event.get("outputs")).add(out);
            assertEquals(201, server.postJson("/api/v1/lineage", event.toString()).statusCode());
            server.awaitProjection();
        }
        Driver driver = server.context.getBean(Driver.class);
        List<String> live = RebuildTest.dump(driver).stream().filter(l -> l.contains(ns)).toList();
        assertTrue(live.stream().anyMatch(l -> l.contains("DERIVES_FROM") && l.contains("firstSeen=2025-03-09") && l.contains("lastSeen=2025-03-16")), live.toString());
        server.context.getBean(Projector.class).rebuild();
        List<String> rebuilt = RebuildTest.dump(driver).stream().filter(l -> l.contains(ns)).toList();
        assertEquals(live, rebuilt);
    }
}
