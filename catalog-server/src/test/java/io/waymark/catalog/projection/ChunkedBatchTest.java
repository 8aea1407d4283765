package io.waymark.catalog.projection;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.waymark.catalog.Events;
import io.waymark.catalog.RebuildTest;
import io.waymark.catalog.TestServer;
import org.junit.jupiter.api.Test;
import org.neo4j.driver.Driver;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A huge batch is written in pieces ({@link WriteAhead}): its datasets, its job and
 * runs, and its runs' edges in transactions of their own before the batch's transaction. The
 * graph it leaves must be the one the batch leaves written whole. The same events go to two
 * namespaces, one projected whole and one in pieces of 100 rows, and the two subgraphs are
 * compared line by line.
 */
class ChunkedBatchTest {
    private static final TestServer server = TestServer.get();
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final java.util.regex.Pattern UUIDS = java.util.regex.Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    @Test
    void aBatchWrittenInPiecesLeavesTheGraphItsWholeWriteLeaves() {
        String whole = Events.ns();
        String pieces = Events.ns();
        post(whole);
        int saved = WriteAhead.chunkRows;
        WriteAhead.chunkRows = 100;
        try {
            post(pieces);
        } finally {
            WriteAhead.chunkRows = saved;
        }
        List<String> expected = subgraph(whole);
        assertTrue(expected.size() > 1000, "a graph worth comparing: " + expected.size() + " lines");
        assertTrue(expected.stream().anyMatch(l -> l.contains("state=FAILED")), "a failed run among them");
        assertEquals(String.join("\n", expected), String.join("\n", subgraph(pieces)));
    }

    /**
     * A run that starts with 250 inputs and completes with 350 (a facet on each), and a failed run of the same job with 150;
     * then, in one request (so in one batch), 30 jobs reading 7 of those inputs each: their FEEDS rows share pieces.
     */
    private static void post(String ns) {
        String ok = runId(ns, "ok");
        String failed = runId(ns, "failed");
        for (ObjectNode event : List.of(event(ns, "START", ok, "2025-01-01T00:00:00Z", 250),
                event(ns, "COMPLETE", ok, "2025-01-01T01:00:00Z", 350),
                event(ns, "FAIL", failed, "2025-01-02T00:00:00Z", 150))) {
            var posted = server.postJson("/api/v1/lineage", event.toString());
            assertEquals(201, posted.statusCode(), posted.body());
        }
        ArrayNode narrow = F.arrayNode();
        for (int j = 0; j < 30; j++) {
            ObjectNode event = event(ns, "COMPLETE", runId(ns, "narrow" + j), "2025-01-03T00:00:00Z", 7);
            ((ObjectNode) event.get("job")).put("name", "narrow_" + j);
            ((ObjectNode) event.get("outputs").get(0)).put("name", "out_" + j);
            narrow.add(event);
        }
        var posted = server.postJson("/api/v1/lineage/batch", narrow.toString());
        assertEquals(200, posted.statusCode(), posted.body());
        server.awaitProjection();
    }

    private static ObjectNode event(String ns, String type, String runId, String time, int inputs) {
        ObjectNode event = F.objectNode().put("eventType", type).put("eventTime", time).put("producer", "https://example.com/waymark-test")
                .put("schemaURL", "https://openlineage.io/spec/2-0-2/OpenLineage.json#/definitions/RunEvent");
        event.putObject("run").put("runId", runId);
        event.putObject("job").put("namespace", ns).put("name", "wide");
        ArrayNode in = event.putArray("inputs");
        for (int i = 0; i < inputs; i++) {
            ObjectNode dataset = in.addObject().put("namespace", ns).put("name", String.format("in_%04d", i));
            dataset.putObject("facets").putObject("dataSource").put("_producer", "https://example.com/waymark-test")
                    .put("_schemaURL", "https://openlineage.io/spec/facets/1-0-1/DatasourceDatasetFacet.json").put("name", "db")
                    .put("uri", "postgres://db:5432/" + type.toLowerCase());
        }
        event.putArray("outputs").addObject().put("namespace", ns).put("name", "out");
        return event;
    }

    private static String runId(String ns, String which) {
        return UUID.nameUUIDFromBytes((ns + which).getBytes(StandardCharsets.UTF_8)).toString();
    }

    /**
     * The namespace's nodes and edges (the lines that name it), with the namespace made alike, and
     * every UUID too: run ids differ by design, and versions are name-based UUIDs of the namespace.
     */
    private static List<String> subgraph(String ns) {
        return RebuildTest.dump(server.context.getBean(Driver.class)).stream()
                .filter(l -> l.contains(ns) || l.contains(runId(ns, "ok")) || l.contains(runId(ns, "failed")))
                .map(l -> UUIDS.matcher(l.replace(runId(ns, "ok"), "RUN-OK").replace(runId(ns, "failed"), "RUN-FAILED").replace(ns, "NS")).replaceAll("UUID"))
                .sorted()
                .toList();
    }
}
