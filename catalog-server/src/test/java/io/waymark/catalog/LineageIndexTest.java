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
        // Projected apart, so the running run's edge is in the index before its failure takes it out again.
        server.awaitProjection();
        assertTrue(server.getJson("/api/v1/lineage?depth=1&nodeId=" + enc("job:" + ns + ":job4")).toString().contains("dataset:" + ns + ":extra"),
                "a running run's input is current lineage");
        server.postJson("/api/v1/lineage", Events.run("FAIL", failed, "2025-02-01T00:01:00Z", ns, "job4").toString());
        // job3 runs again reading ds2 and a new dataset instead of side0: the index changes only those links.
        server.postJson("/api/v1/lineage", Events.complete(ns, "job3", new String[] {"ds2", "fresh"}, new String[] {"ds3"}, "2025-03-01T00:00:00Z").toString());
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
        for (String node : new String[] {"dataset:" + ns + ":ds4", "job:" + ns + ":job5", "dataset:" + ns + ":side1", "job:" + ns + ":job3",
                "dataset:" + ns + ":side0", "dataset:" + ns + ":fresh", "job:" + ns + ":job4", "dataset:" + ns + ":extra"}) {
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
        assertTrue(graph.contains("dataset:" + ns + ":fresh"), "a new input of a job's latest run is lineage");
    }
}
