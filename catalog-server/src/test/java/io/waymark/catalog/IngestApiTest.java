package io.waymark.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.zip.GZIPOutputStream;

import static io.waymark.catalog.TestServer.enc;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Ingest behaviour beyond the corpus: batches, compression, limits, idempotence, ordering, soft deletes. */
class IngestApiTest {
    private final TestServer server = TestServer.get();

    /** Errors Micronaut answers itself (a body past the request limit, a parameter of the wrong type) keep the API's shape. */
    @Test
    void micronautsOwnErrorsKeepTheApisShape() {
        byte[] huge = new byte[16 * 1024 * 1024 + 1];
        java.util.Arrays.fill(huge, (byte) ' ');
        HttpResponse<String> tooLarge = server.post("/api/v1/lineage/batch", huge);
        assertEquals(413, tooLarge.statusCode());
        JsonNode body = TestServer.parse(tooLarge.body());
        assertTrue(body.has("error") && body.has("detail") && !body.has("_embedded"), tooLarge.body());
        HttpResponse<String> badDepth = server.get("/api/v1/lineage?nodeId=dataset:a:b&depth=abc");
        assertEquals(400, badDepth.statusCode());
        JsonNode depth = TestServer.parse(badDepth.body());
        assertTrue(depth.has("error") && !depth.has("_embedded"), badDepth.body());
    }

    /** A client that announces a body and stops sending is cut off, not kept forever (waymark.client-read-timeout, 30 s here). */
    @Test
    void aClientThatStopsSendingIsCutOff() throws Exception {
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", server.server.getPort())) {
            socket.setSoTimeout(90_000);
            socket.getOutputStream().write(("POST /api/v1/lineage HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + TestServer.ADMIN_TOKEN
                    + "\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"eventTime\":").getBytes(StandardCharsets.US_ASCII));
            long started = System.nanoTime();
            byte[] rest = socket.getInputStream().readAllBytes();
            long seconds = (System.nanoTime() - started) / 1_000_000_000L;
            assertTrue(seconds >= 20 && seconds < 60, "the server closed the connection after " + seconds + " s: " + new String(rest, StandardCharsets.UTF_8));
        }
    }

    /** A name must be Unicode text: "j\ud800" was stored as "j?" and became the job "j?". */
    @Test
    void namesThatAreNotUnicodeTextAreRefused() {
        String ns = Events.ns();
        String lone = Events.complete(ns, "PLACEHOLDER", new String[] {}, new String[] {}, "2025-01-01T00:00:00Z").toString()
                .replace("PLACEHOLDER", "j\\ud800");
        HttpResponse<String> surrogate = server.postJson("/api/v1/lineage", lone);
        assertEquals(400, surrogate.statusCode(), surrogate.body());
        assertEquals("job.name", TestServer.parse(surrogate.body()).path("field").asText());
        byte[] event = Events.complete(ns, "jZZ", new String[] {}, new String[] {}, "2025-01-01T00:00:00Z").toString().getBytes(StandardCharsets.UTF_8);
        String text = new String(event, StandardCharsets.ISO_8859_1);
        int at = text.indexOf("jZZ") + 1;
        event[at] = (byte) 0xC0;
        event[at + 1] = (byte) 0x80;
        HttpResponse<String> overlong = server.post("/api/v1/lineage", event);
        assertEquals(400, overlong.statusCode(), "an overlong NUL: " + overlong.body());
        HttpResponse<String> jobs = server.get("/api/v1/namespaces/" + enc(ns) + "/jobs");
        assertTrue(jobs.statusCode() == 404 || TestServer.parse(jobs.body()).path("jobs").isEmpty(), "nothing was stored: " + jobs.body());
    }

    @Test
    void batchAsJsonArrayReportsEachRefusalByIndex() {
        String ns = Events.ns();
        String good = Events.complete(ns, "a", new String[] {"in"}, new String[] {"out"}, "2025-01-01T00:00:00Z").toString();
        String bad = Events.run("START", "not-a-uuid", "2025-01-01T00:00:00Z", ns, "b").toString();
        HttpResponse<String> response = server.postJson("/api/v1/lineage/batch", "[" + good + "," + bad + "]");
        assertEquals(200, response.statusCode(), response.body());
        JsonNode body = TestServer.parse(response.body());
        assertEquals(1, body.path("accepted").asInt());
        assertEquals(1, body.path("rejected").size());
        assertEquals(1, body.path("rejected").get(0).path("index").asInt());
        assertEquals("run.runId", body.path("rejected").get(0).path("field").asText());
        // OpenLineage's batch answer (spec 2-0-2): status, summary, failed_events.
        assertEquals("partial_success", body.path("status").asText(), response.body());
        assertEquals(2, body.path("summary").path("received").asInt());
        assertEquals(1, body.path("summary").path("successful").asInt());
        assertEquals(1, body.path("summary").path("failed").asInt());
        assertEquals(1, body.path("failed_events").get(0).path("index").asInt());
        assertTrue(body.path("failed_events").get(0).path("reason").asText().contains("UUID"), response.body());
        assertTrue(body.path("failed_events").get(0).path("retriable").isBoolean());
        assertFalse(body.path("failed_events").get(0).path("retriable").asBoolean(), "a refused event fails the same way every time");
        server.awaitProjection();
        assertEquals(200, server.get("/api/v1/namespaces/" + ns + "/jobs/a").statusCode());
        assertEquals(404, server.get("/api/v1/namespaces/" + ns + "/jobs/b").statusCode());
    }

    @Test
    void batchAsNdjsonSkipsBlankLinesAndNamesBadLines() {
        String ns = Events.ns();
        String body = Events.complete(ns, "a", new String[] {}, new String[] {"x"}, "2025-01-01T00:00:00Z") + "\n\n{oops\n"
                + Events.complete(ns, "b", new String[] {"x"}, new String[] {}, "2025-01-01T00:00:01Z") + "\n";
        HttpResponse<String> response = server.post("/api/v1/lineage/batch", body.getBytes(StandardCharsets.UTF_8),
                "Content-Type", "application/x-ndjson");
        JsonNode result = TestServer.parse(response.body());
        assertEquals(200, response.statusCode());
        assertEquals(2, result.path("accepted").asInt());
        assertEquals(2, result.path("rejected").get(0).path("index").asInt());
        assertEquals(2, result.path("failed_events").get(0).path("index").asInt());

        String good = Events.complete(ns, "c", new String[] {}, new String[] {"y"}, "2025-01-01T00:00:02Z") + "\n";
        JsonNode success = TestServer.parse(server.post("/api/v1/lineage/batch", good.getBytes(StandardCharsets.UTF_8),
                "Content-Type", "application/x-ndjson").body());
        assertEquals("success", success.path("status").asText(), success.toString());
        assertEquals(1, success.path("summary").path("received").asInt());
        assertEquals(0, success.path("failed_events").size());
    }

    @Test
    void gzipBodiesAreAccepted() throws Exception {
        String ns = Events.ns();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(bytes)) {
            gzip.write(Events.complete(ns, "zipped", new String[] {}, new String[] {"o"}, "2025-01-01T00:00:00Z").toString().getBytes(StandardCharsets.UTF_8));
        }
        HttpResponse<String> response = server.post("/api/v1/lineage", bytes.toByteArray(),
                "Content-Type", "application/json", "Content-Encoding", "gzip");
        assertEquals(201, response.statusCode(), response.body());
        server.awaitProjection();
        assertEquals(200, server.get("/api/v1/namespaces/" + ns + "/jobs/zipped").statusCode());
        // deflate as RFC 9110 defines it: the zlib format.
        ByteArrayOutputStream deflated = new ByteArrayOutputStream();
        try (java.util.zip.DeflaterOutputStream zlib = new java.util.zip.DeflaterOutputStream(deflated)) {
            zlib.write(Events.complete(ns, "deflated", new String[] {}, new String[] {"o"}, "2025-01-01T00:00:00Z").toString().getBytes(StandardCharsets.UTF_8));
        }
        HttpResponse<String> deflate = server.post("/api/v1/lineage", deflated.toByteArray(), "Content-Type", "application/json", "Content-Encoding", "deflate");
        assertEquals(201, deflate.statusCode(), deflate.body());
    }

    /**
     * A body of more than {@code EventParser.EVENT_LOOP_BYTES} is parsed on an ingest thread, not on the
     * event loop that received it: there it held up every other connection of that loop, {@code /health}'s
     * probes included (a 2 MB event takes 17 ms warm, 665 ms cold). The parser asserts where it runs.
     */
    @Test
    void largeBodiesAreParsedOffTheEventLoop() {
        String ns = Events.ns();
        String[] inputs = new String[3000];
        for (int i = 0; i < inputs.length; i++) {
            inputs[i] = "wide_input_" + i;
        }
        byte[] event = Events.complete(ns, "wide", inputs, new String[] {"o"}, "2025-01-01T00:00:00Z").toString().getBytes(StandardCharsets.UTF_8);
        assertTrue(event.length > io.waymark.catalog.ingest.EventParser.EVENT_LOOP_BYTES, "the event must be large: " + event.length);
        HttpResponse<String> one = server.post("/api/v1/lineage", event, "Content-Type", "application/json");
        assertEquals(201, one.statusCode(), one.body());
        byte[] batch = ("[" + Events.complete(ns, "wide2", inputs, new String[] {"o2"}, "2025-01-01T00:00:00Z") + "]").getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> many = server.post("/api/v1/lineage/batch", batch, "Content-Type", "application/json");
        assertEquals(200, many.statusCode(), many.body());
        server.awaitProjection();
        assertEquals(200, server.get("/api/v1/namespaces/" + ns + "/jobs/wide2").statusCode());
    }

    /** A body that is not what its Content-Encoding says is the client's error (400), never the server's. */
    @Test
    void bodiesThatAreNotTheirEncodingGet400() throws Exception {
        byte[] event = Events.complete(Events.ns(), "badzip", new String[] {}, new String[] {}, "2025-01-01T00:00:00Z").toString().getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream zipped = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(zipped)) {
            gzip.write(event);
        }
        byte[] truncated = java.util.Arrays.copyOf(zipped.toByteArray(), zipped.size() / 2);
        byte[] corrupt = zipped.toByteArray().clone();
        for (int i = 12; i < corrupt.length - 8; i++) {
            corrupt[i] ^= 0x5a;
        }
        for (String path : List.of("/api/v1/lineage", "/api/v1/lineage/batch")) {
            for (var c : List.of(
                    Map.entry("gzip", event),          // plain JSON labelled gzip
                    Map.entry("gzip", truncated),
                    Map.entry("gzip", corrupt),
                    Map.entry("deflate", event),
                    Map.entry("x-gzip", truncated))) {
                HttpResponse<String> response = server.post(path, c.getValue(), "Content-Type", "application/json", "Content-Encoding", c.getKey());
                assertEquals(400, response.statusCode(), path + " " + c.getKey() + ": " + response.body());
                JsonNode error = TestServer.parse(response.body());
                assertEquals("invalid_event", error.path("error").asText(), response.body());
                assertTrue(error.path("detail").asText().contains(c.getKey().replace("x-", "")), response.body());
            }
        }
        HttpResponse<String> unknown = server.post("/api/v1/lineage", event, "Content-Type", "application/json", "Content-Encoding", "br");
        assertEquals(415, unknown.statusCode(), unknown.body());
    }

    /** A small body that inflates past the limit is cut off there (413), not inflated into memory. */
    @Test
    void aGzipBombGets413() throws Exception {
        ByteArrayOutputStream zipped = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(zipped)) {
            byte[] spaces = new byte[1 << 20];
            java.util.Arrays.fill(spaces, (byte) ' ');
            for (int i = 0; i < 200; i++) {
                gzip.write(spaces);
            }
        }
        assertTrue(zipped.size() < 1 << 20, "a bomb: " + zipped.size());
        for (String path : List.of("/api/v1/lineage", "/api/v1/lineage/batch")) {
            HttpResponse<String> response = server.post(path, zipped.toByteArray(), "Content-Type", "application/json", "Content-Encoding", "gzip");
            assertEquals(413, response.statusCode(), path + ": " + response.body());
            assertEquals("event_too_large", TestServer.parse(response.body()).path("error").asText());
        }
    }

    @Test
    void eventsOverTheLimitGet413AndLeaveNothing() {
        String ns = Events.ns();
        ObjectNode event = Events.complete(ns, "huge", new String[] {}, new String[] {}, "2025-01-01T00:00:00Z");
        ((ObjectNode) event.get("run")).putObject("facets").putObject("big").put("blob", "x".repeat(6 * 1024 * 1024));
        HttpResponse<String> response = server.postJson("/api/v1/lineage", event.toString());
        assertEquals(413, response.statusCode());
        assertEquals("event_too_large", TestServer.parse(response.body()).path("error").asText());
        server.awaitProjection();
        assertEquals(404, server.get("/api/v1/namespaces/" + ns + "/jobs/huge").statusCode());
    }

    @Test
    void unsupportedContentTypeIs415() {
        HttpResponse<String> response = server.post("/api/v1/lineage", "{}".getBytes(StandardCharsets.UTF_8), "Content-Type", "text/plain");
        assertEquals(415, response.statusCode());
        assertEquals("Content-Type", TestServer.parse(response.body()).path("field").asText());
    }

    @Test
    void duplicatesAreStoredOnce() {
        String ns = Events.ns();
        String event = Events.complete(ns, "dup", new String[] {"i"}, new String[] {"o"}, "2025-01-01T00:00:00Z").toString();
        long before = server.getJson("/api/v1/events/lineage?limit=1").path("totalCount").asLong();
        assertEquals(201, server.postJson("/api/v1/lineage", event).statusCode());
        HttpResponse<String> again = server.postJson("/api/v1/lineage", event);
        assertEquals(201, again.statusCode());
        assertTrue(TestServer.parse(again.body()).path("duplicate").asBoolean());
        assertEquals(before + 1, server.getJson("/api/v1/events/lineage?limit=1").path("totalCount").asLong());
        server.awaitProjection();
        assertEquals(1, server.getJson("/api/v1/namespaces/" + ns + "/jobs/dup/runs").path("totalCount").asInt());
    }

    @Test
    void completeBeforeStartEndsCompletedAndFailIsSticky() {
        String ns = Events.ns();
        String ok = UUID.randomUUID().toString();
        server.postJson("/api/v1/lineage", Events.run("COMPLETE", ok, "2025-01-01T00:05:00Z", ns, "j").toString());
        server.postJson("/api/v1/lineage", Events.run("START", ok, "2025-01-01T00:00:00Z", ns, "j").toString());
        String failed = UUID.randomUUID().toString();
        server.postJson("/api/v1/lineage", Events.run("START", failed, "2025-01-01T01:00:00Z", ns, "j").toString());
        server.postJson("/api/v1/lineage", Events.run("FAIL", failed, "2025-01-01T01:01:00Z", ns, "j").toString());
        server.postJson("/api/v1/lineage", Events.run("COMPLETE", failed, "2025-01-01T01:01:01Z", ns, "j").toString());
        String noType = UUID.randomUUID().toString();
        server.postJson("/api/v1/lineage", Events.run("START", noType, "2025-01-01T02:00:00Z", ns, "j").toString());
        server.postJson("/api/v1/lineage", Events.run(null, noType, "2025-01-01T02:01:00Z", ns, "j").toString());
        server.awaitProjection();
        JsonNode run = server.getJson("/api/v1/jobs/runs/" + ok);
        assertEquals("COMPLETED", run.path("state").asText());
        assertEquals(300_000, run.path("durationMs").asLong());
        assertEquals("FAILED", server.getJson("/api/v1/jobs/runs/" + failed).path("state").asText());
        assertEquals("RUNNING", server.getJson("/api/v1/jobs/runs/" + noType).path("state").asText());
    }

    @Test
    void aRunsLineageIsTheUnionOfItsEvents() {
        String ns = Events.ns();
        String runId = UUID.randomUUID().toString();
        ObjectNode start = Events.run("START", runId, "2025-01-01T00:00:00Z", ns, "airflow_task");
        Events.withIo(start, new ObjectNode[] {Events.dataset(ns, "src")}, new ObjectNode[] {});
        ObjectNode complete = Events.run("COMPLETE", runId, "2025-01-01T00:01:00Z", ns, "airflow_task");
        Events.withIo(complete, new ObjectNode[] {}, new ObjectNode[] {Events.dataset(ns, "dst")});
        server.postJson("/api/v1/lineage", start.toString());
        server.postJson("/api/v1/lineage", complete.toString());
        server.awaitProjection();
        JsonNode run = server.getJson("/api/v1/jobs/runs/" + runId);
        assertEquals(1, run.path("inputDatasetVersions").size());
        assertEquals(1, run.path("outputDatasetVersions").size());
        JsonNode lineage = server.getJson("/api/v1/lineage?depth=1&nodeId=" + enc("dataset:" + ns + ":dst"));
        assertEquals(3, lineage.path("graph").size(), lineage.toString());
    }

    @Test
    void softDeleteIsUndoneByALaterEvent() {
        String ns = Events.ns();
        server.postJson("/api/v1/lineage", Events.complete(ns, "w", new String[] {}, new String[] {"t"}, "2025-01-01T00:00:00Z").toString());
        server.awaitProjection();
        JsonNode deleted = TestServer.parse(server.delete("/api/v1/namespaces/" + ns + "/datasets/t").body());
        assertTrue(deleted.path("deleted").asBoolean());
        assertEquals(0, server.getJson("/api/v1/namespaces/" + ns + "/datasets").path("totalCount").asInt());
        assertEquals(1, server.getJson("/api/v1/namespaces/" + ns + "/datasets?includeDeleted=true").path("totalCount").asInt());
        server.postJson("/api/v1/lineage", Events.complete(ns, "w", new String[] {}, new String[] {"t"}, "2025-01-02T00:00:00Z").toString());
        server.awaitProjection();
        assertTrue(!server.getJson("/api/v1/namespaces/" + ns + "/datasets/t").path("deleted").asBoolean());
    }

    @Test
    void namesWithColonsAndSlashesRoundTrip() {
        String ns = "kafka://b1:9092," + UUID.randomUUID().toString().substring(0, 6) + ":9093";
        String name = "topics/orders:v2";
        ObjectNode event = Events.run("COMPLETE", UUID.randomUUID().toString(), "2025-01-01T00:00:00Z", "postgres://db:5432", "etl/" + name);
        Events.withIo(event, new ObjectNode[] {}, new ObjectNode[] {Events.dataset(ns, name)});
        assertEquals(201, server.postJson("/api/v1/lineage", event.toString()).statusCode());
        server.awaitProjection();
        JsonNode dataset = server.getJson("/api/v1/namespaces/" + enc(ns) + "/datasets/" + enc(name));
        assertEquals(name, dataset.path("name").asText());
        assertEquals(ns, dataset.path("namespace").asText());
        assertEquals("STREAM", dataset.path("type").asText());
        JsonNode lineage = server.getJson("/api/v1/lineage?depth=1&nodeId=" + enc("dataset:" + ns + ":" + name));
        assertEquals(2, lineage.path("graph").size());
        JsonNode search = server.getJson("/api/v1/search?q=" + enc("ORDERS:V2"));
        assertTrue(search.path("results").toString().contains("dataset:" + ns + ":" + name), search.toString());
    }

    @Test
    void datasetVersionsFollowSchemaChanges() {
        String ns = Events.ns();
        for (String[] schema : new String[][] {{"a"}, {"a", "b"}, {"a", "b"}}) {
            ObjectNode event = Events.complete(ns, "writer", new String[] {}, new String[] {}, "2025-01-0" + (schema.length + 1) + "T00:00:00Z");
            ObjectNode out = Events.dataset(ns, "versioned");
            ArrayNode fields = out.putObject("facets").putObject("schema").putArray("fields");
            for (String f : schema) {
                fields.addObject().put("name", f).put("type", "STRING");
            }
            ((ArrayNode) event.get("outputs")).add(out);
            server.postJson("/api/v1/lineage", event.toString());
        }
        server.awaitProjection();
        JsonNode versions = server.getJson("/api/v1/namespaces/" + ns + "/datasets/versioned/versions");
        assertEquals(2, versions.path("versions").size(), versions.toString());
        JsonNode dataset = server.getJson("/api/v1/namespaces/" + ns + "/datasets/versioned");
        assertEquals(2, dataset.path("fields").size());
        assertEquals(versions.path("versions").get(0).path("version").asText(), dataset.path("currentVersion").asText());
        JsonNode fieldSearch = server.getJson("/api/v1/search?filter=FIELD&namespace=" + ns + "&q=b");
        assertEquals("datasetField:" + ns + ":versioned:b", fieldSearch.path("results").get(0).path("nodeId").asText());
    }

    @Test
    void tagsAndRunFacetsAreServedAsMarquezDoes() {
        String ns = Events.ns();
        String runId = UUID.randomUUID().toString();
        ObjectNode event = Events.run("COMPLETE", runId, "2025-01-01T00:00:00Z", ns, "tagged");
        ((ObjectNode) event.get("job")).putObject("facets").putObject("tags").putArray("tags")
                .addObject().put("key", "tier").put("value", "gold-" + ns);
        ((ObjectNode) event.get("run")).putObject("facets").putObject("nominalTime").put("nominalStartTime", "2025-01-01T00:00:00Z");
        assertEquals(201, server.postJson("/api/v1/lineage", event.toString()).statusCode());
        server.awaitProjection();
        assertTrue(server.getJson("/api/v1/tags?limit=10000").toString().contains("tier:gold-" + ns));
        JsonNode runFacets = server.getJson("/api/v1/jobs/runs/" + runId + "/facets");
        assertEquals("2025-01-01T00:00:00Z", runFacets.path("facets").path("nominalTime").path("nominalStartTime").asText());
        JsonNode jobFacets = server.getJson("/api/v1/jobs/runs/" + runId + "/facets?type=job");
        assertEquals("tier", jobFacets.path("facets").path("tags").path("tags").get(0).path("key").asText());
        assertEquals("2025-01-01T00:00:00Z", server.getJson("/api/v1/jobs/runs/" + runId).path("nominalStartTime").asText());
    }
}
