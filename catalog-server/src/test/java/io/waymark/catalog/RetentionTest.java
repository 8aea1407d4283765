package io.waymark.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.waymark.catalog.cli.RetentionCommand;
import io.waymark.catalog.projection.Projector;
import org.junit.jupiter.api.Test;
import org.neo4j.driver.Driver;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Retention of raw events and run history: a purge drops the old runs that decide nothing in
 * today's graph, trims their Run nodes from the graph, and a rebuild of the compacted journal makes
 * exactly the graph the purge left. Narrowed to this test's namespace, since the server is shared.
 */
class RetentionTest {
    private final TestServer server = TestServer.get();

    @Test
    void aPurgeKeepsTodaysGraphAndDropsTheRunsThatDecideNothing() throws Exception {
        String ns = Events.ns();
        List<String> runIds = new ArrayList<>();
        // A scanned table described three times: the first (createdAt) and the last (its description) stay.
        for (String[] scan : new String[][] {{"2025-01-05T00:00:00Z", "a"}, {"2025-01-06T00:00:00Z", "b"}, {"2025-01-07T00:00:00Z", "b"}}) {
            ObjectNode event = TestServer.JSON.createObjectNode().put("eventTime", scan[0]).put("producer", "https://example.com/scanner")
                    .put("schemaURL", "https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/DatasetEvent");
            event.putObject("dataset").put("namespace", ns).put("name", "scanned")
                    .putObject("facets").putObject("documentation").put("_producer", "x").put("_schemaURL", "x").put("description", scan[1]);
            assertEquals(201, server.postJson("/api/v1/lineage", event.toString()).statusCode());
        }
        // Ten daily runs of one job; run 7 fails, run 2 alone documents the job, run 3 alone writes 'side',
        // runs 0-4 write a 'legacy' column that run 5 drops (and retypes id).
        for (int i = 0; i < 10; i++) {
            String runId = UUID.randomUUID().toString();
            runIds.add(runId);
            String day = "2025-01-" + (10 + i);
            ObjectNode start = Events.run("START", runId, day + "T00:00:00Z", ns, "load");
            ObjectNode src = Events.dataset(ns, "src");
            schema(src, "id", "int", "email", "string");
            ((ArrayNode) start.get("inputs")).add(src);
            if (i == 2) {
                ((ObjectNode) start.get("job")).putObject("facets").putObject("documentation").put("_producer", "x").put("_schemaURL", "x")
                        .put("description", "loads orders");
            }
            server.postJson("/api/v1/lineage", start.toString());
            ObjectNode end = Events.run(i == 7 ? "FAIL" : "COMPLETE", runId, day + "T01:00:00Z", ns, "load");
            if (i != 7) {
                ObjectNode out = Events.dataset(ns, "out");
                if (i < 5) {
                    schema(out, "id", "int", "mail", "string", "legacy", "string");
                } else {
                    schema(out, "id", "bigint", "mail", "string");
                }
                ((ObjectNode) out.get("facets")).putObject("columnLineage").put("_producer", "x").put("_schemaURL", "x")
                        .putObject("fields").putObject("mail").putArray("inputFields")
                        .addObject().put("namespace", ns).put("name", "src").put("field", "email");
                ((ArrayNode) end.get("outputs")).add(out);
                if (i == 3) {
                    ((ArrayNode) end.get("outputs")).add(Events.dataset(ns, "side"));
                }
            }
            server.postJson("/api/v1/lineage", end.toString());
        }
        // A child job whose run names run 1 as its parent: keeping the child keeps run 1.
        ObjectNode child = Events.complete(ns, "child", new String[] {"out"}, new String[] {}, "2025-01-12T02:00:00Z");
        ((ObjectNode) child.get("run")).putObject("facets").putObject("parent").put("_producer", "x").put("_schemaURL", "x")
                .<ObjectNode>set("run", TestServer.JSON.createObjectNode().put("runId", runIds.get(1)))
                .set("job", TestServer.JSON.createObjectNode().put("namespace", ns).put("name", "load"));
        server.postJson("/api/v1/lineage", child.toString());
        // Today's run of another job is inside any window.
        server.postJson("/api/v1/lineage", Events.complete(ns, "fresh", new String[] {"out"}, new String[] {"report"}, Instant.now().toString()).toString());
        server.awaitProjection();
        assertEquals(10, server.getJson("/api/v1/namespaces/" + ns + "/jobs/load/runs?limit=100").path("runs").size());

        // A signed report issued before the purge.
        String auditor = server.token("retention-auditor", "auditor");
        byte[] report = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(
                        server.url("/api/v1/reports/GDPR?format=json"))).header("Authorization", "Bearer " + auditor)
                .timeout(java.time.Duration.ofMinutes(2)).build(), java.net.http.HttpResponse.BodyHandlers.ofByteArray()).body();
        java.nio.file.Path reportFile = java.nio.file.Files.write(java.nio.file.Files.createTempFile("before-purge", ".json"), report);

        Driver driver = server.context.getBean(Driver.class);
        List<String> before = dump(driver, ns);
        String purge = "{\"olderThan\":\"P30D\",\"namespace\":\"" + ns + "\"";
        JsonNode dry = TestServer.parse(server.postJson("/api/v1/retention/purge", purge + ",\"dryRun\":true}").body());
        assertEquals(9, dry.path("events").path("deleted").asInt(), dry.toString());
        assertEquals(10, server.getJson("/api/v1/namespaces/" + ns + "/jobs/load/runs?limit=100").path("runs").size(), "a dry run deletes nothing");
        assertEquals(before, dump(driver, ns));

        var response = server.postJson("/api/v1/retention/purge", purge + "}");
        assertEquals(200, response.statusCode(), response.body());
        JsonNode counts = TestServer.parse(response.body());
        // Runs 5, 6, 7 and 8 decide nothing (start and end event each), nor does the middle scan.
        assertEquals(4, counts.path("events").path("runsDeleted").asInt(), counts.toString());
        assertEquals(9, counts.path("events").path("deleted").asInt(), counts.toString());
        assertEquals(24, counts.path("events").path("pastRetention").asInt(), counts.toString());
        List<String> purged = dump(driver, ns);
        List<String> gone = new ArrayList<>(before);
        gone.removeAll(purged);
        assertFalse(gone.isEmpty());
        List<String> dropped = List.of(runIds.get(5), runIds.get(6), runIds.get(7), runIds.get(8));
        for (String line : gone) {
            assertTrue(dropped.stream().anyMatch(line::contains), "only the dropped runs leave the graph: " + line);
        }
        assertTrue(before.containsAll(purged), "a purge adds nothing");

        rebuildMakes(purged, driver, ns);

        JsonNode runs = server.getJson("/api/v1/namespaces/" + ns + "/jobs/load/runs?limit=100").path("runs");
        assertEquals(6, runs.size());
        assertEquals(runIds.get(9), runs.get(0).path("id").asText(), "the latest run stays");
        JsonNode audit = server.getJson("/api/v1/audit-log?action=retention");
        assertEquals("retention.purge", audit.path("entries").get(0).path("action").asText(), audit.toString());
        assertTrue(audit.path("entries").get(0).toString().contains("runsDeleted"), audit.toString());
        assertTrue(server.getJson("/api/v1/audit-log/verification").path("valid").asBoolean());
        JsonNode history = server.getJson("/api/v1/retention");
        assertEquals(4, history.path("purges").get(0).path("counts").path("events").path("runsDeleted").asInt(), history.toString());

        ByteArrayOutputStream verified = new ByteArrayOutputStream();
        assertEquals(0, io.waymark.catalog.cli.ReportCommand.verify(List.of(reportFile.toString(), "--server", server.url(""), "--token", auditor),
                new PrintStream(verified, true, StandardCharsets.UTF_8)), "a report issued before the purge still verifies: " + verified);

        // Again, through the CLI against the running server: nothing more to drop.
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int code = RetentionCommand.run(List.of("--server", server.url(""), "--token", TestServer.ADMIN_TOKEN, "--older-than", "P30D",
                "--namespace", ns, "--dry-run"), Map.of(), new PrintStream(out, true, StandardCharsets.UTF_8));
        assertEquals(0, code, out.toString(StandardCharsets.UTF_8));
        assertEquals(0, TestServer.parse(out.toString(StandardCharsets.UTF_8)).path("events").path("deleted").asInt(), out.toString(StandardCharsets.UTF_8));

        // And the offline command's purge (what `retention --data-dir` runs on a stopped server's beans), audited as the CLI.
        ByteArrayOutputStream offline = new ByteArrayOutputStream();
        assertEquals(0, io.waymark.catalog.cli.RetentionCommandAccess.purge(new io.waymark.catalog.retention.Retention.Request(
                java.time.Duration.ofDays(30), ns, null, null, null, true), server.context, new PrintStream(offline, true, StandardCharsets.UTF_8)));
        assertEquals(24 - 9, TestServer.parse(offline.toString(StandardCharsets.UTF_8)).path("events").path("pastRetention").asInt(),
                offline.toString(StandardCharsets.UTF_8));
        assertEquals("cli", server.getJson("/api/v1/audit-log?action=retention").path("entries").get(0).path("actor").asText());
    }

    /**
     * The whole corpus (Spark, the Java client, Airflow, dbt, Flink, Hive, the spec's examples),
     * replayed three times a day apart under this test's own namespaces and run ids: whatever a
     * producer sends, the compacted journal rebuilds the graph the purge left.
     */
    @Test
    void theCorpusCompactsToTheSameGraph() throws Exception {
        String ns = Events.ns();
        int accepted = 0;
        for (int rep = 0; rep < 3; rep++) {
            Map<String, String> runIds = new java.util.HashMap<>();
            try (var files = java.nio.file.Files.list(TestServer.CORPUS)) {
                for (java.nio.file.Path file : files.filter(f -> f.toString().endsWith(".ndjson") && !f.getFileName().toString().startsWith("malformed")).sorted().toList()) {
                    for (String line : java.nio.file.Files.readAllLines(file, StandardCharsets.UTF_8)) {
                        if (line.isBlank()) {
                            continue;
                        }
                        JsonNode event = TestServer.JSON.readTree(line);
                        rename(event, ns, runIds);
                        if (event.path("eventTime").isTextual()) {
                            ((ObjectNode) event).put("eventTime", later(event.path("eventTime").asText(), rep));
                        }
                        accepted += server.postJson("/api/v1/lineage", event.toString()).statusCode() == 201 ? 1 : 0;
                    }
                }
            }
        }
        assertTrue(accepted > 500, "accepted " + accepted);
        server.awaitProjection();
        Driver driver = server.context.getBean(Driver.class);
        List<String> before = dump(driver, ns);
        var response = server.postJson("/api/v1/retention/purge", "{\"olderThan\":\"P1D\",\"namespace\":\"*" + ns + "\"}");
        assertEquals(200, response.statusCode(), response.body());
        JsonNode counts = TestServer.parse(response.body()).path("events");
        assertTrue(counts.path("deleted").asInt() > accepted / 3, counts.toString());
        List<String> purged = dump(driver, ns);
        assertTrue(before.containsAll(purged), "a purge adds nothing");
        rebuildMakes(purged, driver, ns);
    }

    /** A time some days later, in the same spelling (some producers send no offset). */
    private static String later(String time, int days) {
        try {
            return java.time.OffsetDateTime.parse(time).plusDays(days).toString();
        } catch (java.time.format.DateTimeParseException e) {
            return java.time.LocalDateTime.parse(time).plusDays(days).toString();
        }
    }

    /** Every namespace gets this test's suffix and every run id a fresh one (the same fresh one wherever it recurs). */
    private static void rename(JsonNode node, String ns, Map<String, String> runIds) {
        if (node instanceof ObjectNode o) {
            for (var it = o.fields(); it.hasNext(); ) {
                var field = it.next();
                if (field.getKey().equals("namespace") && field.getValue().isTextual()) {
                    field.setValue(TestServer.JSON.getNodeFactory().textNode(field.getValue().asText() + "-" + ns));
                } else if (field.getKey().equals("runId") && field.getValue().isTextual()) {
                    field.setValue(TestServer.JSON.getNodeFactory().textNode(
                            runIds.computeIfAbsent(field.getValue().asText().toLowerCase(), k -> UUID.randomUUID().toString())));
                } else {
                    rename(field.getValue(), ns, runIds);
                }
            }
        } else if (node instanceof ArrayNode a) {
            a.forEach(child -> rename(child, ns, runIds));
        }
    }

    @Test
    void badRequestsAreRefusedWithTheField() {
        assertEquals("olderThan", TestServer.parse(server.postJson("/api/v1/retention/purge", "{\"olderThan\":\"90 days\"}").body()).path("field").asText());
        assertEquals("namespace", TestServer.parse(server.postJson("/api/v1/retention/purge", "{\"namespace\":\"x*\"}").body()).path("field").asText());
        assertEquals("audit", TestServer.parse(server.postJson("/api/v1/retention/purge", "{\"audit\":\"PT1M\"}").body()).path("field").asText());
        assertEquals("keep", TestServer.parse(server.postJson("/api/v1/retention/purge", "{\"keep\":\"P1D\"}").body()).path("field").asText());
        var viewer = server.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(server.url("/api/v1/retention/purge")))
                .header("Authorization", "Bearer " + server.token("retention-viewer", "viewer")).header("Content-Type", "application/json")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"olderThan\":\"P1D\",\"dryRun\":true}")).build());
        assertEquals(403, viewer.statusCode());
    }

    private static void schema(ObjectNode dataset, String... nameType) {
        ArrayNode fields = dataset.putObject("facets").putObject("schema").put("_producer", "x").put("_schemaURL", "x").putArray("fields");
        for (int i = 0; i < nameType.length; i += 2) {
            fields.addObject().put("name", nameType[i]).put("type", nameType[i + 1]);
        }
    }

    /** Rebuilds the graph from the (compacted) journal and compares this namespace's part with {@code purged}. */
    private void rebuildMakes(List<String> purged, Driver driver, String ns) throws InterruptedException {
        server.context.getBean(Projector.class).rebuild();
        List<String> rebuilt = dump(driver, ns);
        List<String> lost = new ArrayList<>(purged);
        lost.removeAll(rebuilt);
        List<String> gained = new ArrayList<>(rebuilt);
        gained.removeAll(purged);
        assertEquals(purged, rebuilt, "only before the rebuild: " + lost.stream().limit(5).toList() + "; only after: " + gained.stream().limit(5).toList());
    }

    /** The graph's lines (RebuildTest's dump) that concern one namespace. */
    private static List<String> dump(Driver driver, String ns) {
        return RebuildTest.dump(driver).stream().filter(l -> l.contains(ns)).toList();
    }
}
