package io.waymark.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import io.waymark.catalog.config.WaymarkConfig;
import io.waymark.catalog.lineage.Direction;
import io.waymark.catalog.lineage.LineageIndex;
import io.waymark.catalog.lineage.LineageService;
import io.waymark.catalog.model.NodeId;
import org.junit.jupiter.api.Test;
import org.neo4j.driver.Driver;

import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.UUID;

import static io.waymark.catalog.TestServer.enc;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The in-memory lineage index walks exactly as the Cypher walk does, and follows every change the projector makes. */
class LineageIndexTest {
    private final TestServer server = TestServer.get();

    @Test
    void indexAndCypherWalksAgree() throws Exception {
        String ns = Events.ns();
        StringBuilder batch = new StringBuilder("[");
        for (int i = 1; i <= 8; i++) {
            batch.append(i > 1 ? "," : "").append(Events.complete(ns, "job" + i, new String[] {"ds" + (i - 1), "side" + (i % 3)},
                    new String[] {"ds" + i}, "2025-01-0" + i + "T00:00:00Z"));
        }
        server.postJson("/api/v1/lineage/batch", batch.append("]").toString());
        String failed = UUID.randomUUID().toString();
        server.postJson("/api/v1/lineage", Events.withIo(Events.run("START", failed, "2025-02-01T00:00:00Z", ns, "job4"),
                new com.fasterxml.jackson.databind.node.ObjectNode[] {Events.dataset(ns, "extra")}, new com.fasterxml.jackson.databind.node.ObjectNode[] {}).toString());
        server.postJson("/api/v1/lineage", Events.run("FAIL", failed, "2025-02-01T00:01:00Z", ns, "job4").toString());
        server.awaitProjection();
        server.delete("/api/v1/namespaces/" + ns + "/datasets/side2");

        WaymarkConfig off = new WaymarkConfig();
        off.setLineageIndex(false);
        Driver driver = server.context.getBean(Driver.class);
        LineageService cypher = new LineageService(driver, off, new LineageIndex(driver, off), new io.waymark.catalog.lineage.NodeViewCache(off),
                server.context.getBean(io.waymark.catalog.lineage.LabelOverlay.class),
                server.context.getBean(io.waymark.catalog.projection.Visibility.class), server.context.getBean(io.waymark.catalog.api.ReadLimits.class));
        LineageService indexed = server.context.getBean(LineageService.class);
        ZonedDateTime asOf = ZonedDateTime.of(2025, 1, 4, 12, 0, 0, 0, ZoneOffset.UTC);
        for (String node : new String[] {"dataset:" + ns + ":ds4", "job:" + ns + ":job5", "dataset:" + ns + ":side1"}) {
            for (Direction direction : Direction.values()) {
                for (int depth : new int[] {0, 1, 3, 20}) {
                    for (ZonedDateTime at : new ZonedDateTime[] {null, asOf}) {
                        JsonNode a = cypher.lineage(NodeId.parse(node), depth, direction, at).toTree();
                        JsonNode b = indexed.lineage(NodeId.parse(node), depth, direction, at).toTree();
                        assertEquals(a, b, node + " " + direction + " depth " + depth + " asOf " + at);
                    }
                }
            }
        }
        String graph = server.getJson("/api/v1/lineage?depth=20&nodeId=" + enc("dataset:" + ns + ":ds8")).toString();
        assertFalse(graph.contains("dataset:" + ns + ":extra"), "a failed run's input is not current lineage");
        assertFalse(graph.contains("dataset:" + ns + ":side2"), "a deleted dataset is not shown");
        assertTrue(graph.contains("dataset:" + ns + ":side1"));
    }

    /** The column-lineage walk from memory gives what the Cypher walk gives, also after a run changed a field's inputs. */
    @Test
    void columnIndexAndCypherWalksAgree() throws Exception {
        String ns = Events.ns();
        for (int i = 1; i <= 5; i++) {
            post(columnCopy(ns, "copy" + i, "t" + (i - 1), "t" + i, i % 2 == 0 ? "b" : "a"));
        }
        server.awaitProjection();
        assertColumnWalksAgree(ns);
        // A new run of copy3 takes field a from t1 instead of t2: the index drops the old edge and adds the new one.
        post(columnCopy(ns, "copy3", "t1", "t3", "a"));
        server.awaitProjection();
        assertColumnWalksAgree(ns);
        String shown = server.getJson("/api/v1/column-lineage?depth=10&withDownstream=true&nodeId=" + enc("datasetField:" + ns + ":t3:a")).toString();
        assertTrue(shown.contains("datasetField:" + ns + ":t1:a"), shown);
        // Reloaded in the background (as after a rebuild) while a batch changes column lineage: the batch is not lost.
        io.waymark.catalog.lineage.ColumnLineageIndex index = server.context.getBean(io.waymark.catalog.lineage.ColumnLineageIndex.class);
        index.reset();
        post(columnCopy(ns, "copy4", "t2", "t4", "b"));
        server.awaitProjection();
        long deadline = System.currentTimeMillis() + 30_000;
        while (!index.ready() && System.currentTimeMillis() < deadline) {
            Thread.sleep(20);
        }
        assertColumnWalksAgree(ns);
    }

    private void assertColumnWalksAgree(String ns) throws Exception {
        WaymarkConfig off = new WaymarkConfig();
        off.setLineageIndex(false);
        Driver driver = server.context.getBean(Driver.class);
        io.waymark.catalog.lineage.ColumnLineageService cypher = new io.waymark.catalog.lineage.ColumnLineageService(driver, off,
                server.context.getBean(io.waymark.catalog.api.ReadLimits.class), new io.waymark.catalog.lineage.ColumnLineageIndex(driver, off),
                server.context.getBean(io.waymark.catalog.projection.Visibility.class));
        io.waymark.catalog.lineage.ColumnLineageService indexed = server.context.getBean(io.waymark.catalog.lineage.ColumnLineageService.class);
        assertTrue(server.context.getBean(io.waymark.catalog.lineage.ColumnLineageIndex.class).ready());
        for (String node : new String[] {"dataset:" + ns + ":t5", "dataset:" + ns + ":t0", "datasetField:" + ns + ":t3:a", "datasetField:" + ns + ":t1:b"}) {
            for (boolean downstream : new boolean[] {false, true}) {
                for (int depth : new int[] {0, 1, 2, 10}) {
                    JsonNode a = cypher.lineage(NodeId.parse(node), depth, downstream).toTree();
                    JsonNode b = indexed.lineage(NodeId.parse(node), depth, downstream).toTree();
                    assertEquals(a, b, node + " downstream " + downstream + " depth " + depth);
                }
            }
        }
    }

    /** A job copying every field of {@code from} into {@code to}; {@code swapped} field also reads the other field. */
    private static com.fasterxml.jackson.databind.node.ObjectNode columnCopy(String ns, String job, String from, String to, String extra) {
        com.fasterxml.jackson.databind.node.ObjectNode event = Events.complete(ns, job, new String[] {from}, new String[] {}, "2025-01-01T00:00:00Z");
        com.fasterxml.jackson.databind.node.ObjectNode out = Events.dataset(ns, to);
        com.fasterxml.jackson.databind.node.ObjectNode facets = out.putObject("facets");
        com.fasterxml.jackson.databind.node.ArrayNode schema = facets.putObject("schema").putArray("fields");
        com.fasterxml.jackson.databind.node.ObjectNode fields = facets.putObject("columnLineage").putObject("fields");
        for (String f : new String[] {"a", "b"}) {
            schema.addObject().put("name", f).put("type", "STRING");
            com.fasterxml.jackson.databind.node.ArrayNode inputs = fields.putObject(f).putArray("inputFields");
            inputs.addObject().put("namespace", ns).put("name", from).put("field", f);
            if (f.equals(extra)) {
                inputs.addObject().put("namespace", ns).put("name", from).put("field", f.equals("a") ? "b" : "a");
            }
        }
        ((com.fasterxml.jackson.databind.node.ArrayNode) event.get("outputs")).add(out);
        return event;
    }

    private void post(com.fasterxml.jackson.databind.node.ObjectNode event) {
        assertEquals(201, server.postJson("/api/v1/lineage", event.toString()).statusCode());
    }
}
