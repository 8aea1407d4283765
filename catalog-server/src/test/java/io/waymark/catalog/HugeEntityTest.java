package io.waymark.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import io.waymark.catalog.model.JobVersion;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.waymark.catalog.TestServer.enc;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A job with thousands of inputs is accepted, and its answers stay bounded: the job and its runs
 * list the first 1000 with a flag that says so, and the inputs are paged in full.
 */
class HugeEntityTest {
    private static final TestServer server = TestServer.get();
    private static final String NS = Events.ns();
    private static final int INPUTS = 2500;

    @BeforeAll
    static void aJobWithThousandsOfInputs() {
        String[] inputs = new String[INPUTS];
        for (int i = 0; i < INPUTS; i++) {
            inputs[i] = String.format("in_%05d", i);
        }
        ObjectNode event = Events.complete(NS, "wide", inputs, new String[] {}, "2025-01-01T00:00:00Z");
        ObjectNode out = Events.dataset(NS, "out");
        var fields = out.putObject("facets").putObject("schema").putArray("fields");
        for (int i = 0; i < 1500; i++) {
            fields.addObject().put("name", "c" + i).put("type", "int");
        }
        event.withArray("outputs").add(out);
        HttpResponse<String> posted = server.postJson("/api/v1/lineage", event.toString());
        assertEquals(201, posted.statusCode(), posted.body());
        server.awaitProjection();
    }

    @Test
    void theJobAndItsRunsListTheFirstThousandAndSaySo() {
        JsonNode job = server.getJson("/api/v1/namespaces/" + enc(NS) + "/jobs/wide");
        assertEquals(1000, job.path("inputs").size());
        assertTrue(job.path("inputsTruncated").asBoolean(), "the cut is said");
        assertFalse(job.has("outputsTruncated"), "one output is not cut");
        assertEquals(1, job.path("outputs").size());
        // A run inside another answer lists a hundred dataset versions each way; alone, a thousand.
        assertEquals(100, job.path("latestRun").path("inputDatasetVersions").size(), job.path("latestRun").toString().substring(0, 300));
        assertTrue(job.path("latestRun").path("inputsTruncated").asBoolean());
        assertEquals(100, job.path("latestRuns").get(0).path("inputDatasetVersions").size());
        assertTrue(job.path("latestRuns").get(0).path("inputsTruncated").asBoolean());
        JsonNode runs = server.getJson("/api/v1/namespaces/" + enc(NS) + "/jobs/wide/runs");
        JsonNode listed = runs.path("runs").get(0);
        assertEquals(100, listed.path("inputDatasetVersions").size());
        assertTrue(listed.path("inputsTruncated").asBoolean());
        assertEquals(1, listed.path("outputDatasetVersions").size());
        JsonNode recent = server.getJson("/api/v1/runs?limit=5").path("runs");
        for (JsonNode run : recent) {
            assertTrue(run.path("inputDatasetVersions").size() <= 100, run.path("id").asText());
        }
        JsonNode alone = server.getJson("/api/v1/jobs/runs/" + listed.path("id").asText());
        assertEquals(1000, alone.path("inputDatasetVersions").size());
        assertTrue(alone.path("inputsTruncated").asBoolean());
        assertEquals(listed.path("jobVersion"), alone.path("jobVersion"), "the version names every input, however many are listed");
    }

    @Test
    void aJobInLineageListsItsFirstThousandInputsAndSaysSo() {
        // The job node's data listed every input: 4.5 MB for a job reading 100,000 datasets.
        JsonNode graph = server.getJson("/api/v1/lineage?depth=1&nodeId=" + enc("job:" + NS + ":wide")).path("graph");
        JsonNode job = null;
        for (JsonNode node : graph) {
            if (node.path("type").asText().equals("JOB")) {
                job = node.path("data");
            }
        }
        assertEquals(1000, job.path("inputs").size());
        assertTrue(job.path("inputsTruncated").asBoolean());
    }

    @Test
    void aDatasetListsItsFirstThousandFieldsAndSaysSo() {
        JsonNode dataset = server.getJson("/api/v1/namespaces/" + enc(NS) + "/datasets/out");
        assertEquals(1000, dataset.path("fields").size());
        assertTrue(dataset.path("fieldsTruncated").asBoolean());
        JsonNode node = server.getJson("/api/v1/lineage?depth=0&nodeId=" + enc("dataset:" + NS + ":out")).path("graph").get(0).path("data");
        assertEquals(1000, node.path("fields").size());
        assertTrue(node.path("fieldsTruncated").asBoolean());
    }

    @Test
    void theJobVersionNamesAllInputsAndItsAnswerIsBounded() {
        // The version is a name-based UUID of every input and output; it was computed from the
        // first 1001 where answers are cut, so the job, its runs and its versions disagreed.
        List<Map<String, Object>> all = new ArrayList<>();
        for (int i = 0; i < INPUTS; i++) {
            all.add(Map.of("namespace", NS, "name", String.format("in_%05d", i)));
        }
        String expected = JobVersion.of(NS, "wide", all, List.of(Map.of("namespace", NS, "name", "out")));
        JsonNode job = server.getJson("/api/v1/namespaces/" + enc(NS) + "/jobs/wide");
        assertEquals(expected, job.path("currentVersion").asText());
        assertEquals(expected, job.path("latestRun").path("jobVersion").path("version").asText());
        JsonNode run = server.getJson("/api/v1/namespaces/" + enc(NS) + "/jobs/wide/runs").path("runs").get(0);
        assertEquals(expected, run.path("jobVersion").path("version").asText());
        JsonNode versions = server.getJson("/api/v1/namespaces/" + enc(NS) + "/jobs/wide/versions");
        JsonNode version = versions.path("versions").get(0);
        assertEquals(expected, version.path("version").asText());
        assertEquals(1000, version.path("inputs").size(), "the version's inputs are cut like the job's");
        assertTrue(version.path("inputsTruncated").asBoolean());
        assertEquals(100, version.path("latestRun").path("inputDatasetVersions").size());
        assertTrue(version.path("latestRun").path("inputsTruncated").asBoolean());
        assertEquals(expected, server.getJson("/api/v1/namespaces/" + enc(NS) + "/jobs/wide/versions/" + expected).path("version").asText());
    }

    @Test
    void theInputsArePagedInFull() {
        Set<String> seen = new HashSet<>();
        int offset = 0;
        boolean more = true;
        while (more) {
            JsonNode page = server.getJson("/api/v1/namespaces/" + enc(NS) + "/jobs/wide/inputs?limit=1000&offset=" + offset);
            page.path("inputs").forEach(i -> seen.add(i.path("name").asText()));
            more = page.path("truncated").asBoolean();
            offset += 1000;
            assertTrue(offset <= 3000, "pages end");
        }
        assertEquals(INPUTS, seen.size());
        assertTrue(seen.contains("in_00000") && seen.contains("in_02499"));
        assertEquals("in_00000", server.getJson("/api/v1/namespaces/" + enc(NS) + "/jobs/wide/inputs?limit=1").path("inputs").get(0).path("name").asText(),
                "in name order");
    }
    /**
     * Lineage, column lineage and impact answers take a turn among the bounded graph reads like catalog answers:
     * 96 viewers of a huge job's lineage went straight to Neo4j, took every connection and made /health say DOWN.
     * While all turns are held, such a read waits (and /health answers); once one is free it is answered.
     */
    @Test
    void lineageAndImpactWaitForAReadTurn() throws Exception {
        io.waymark.catalog.api.ReadLimits limits = server.context.getBean(io.waymark.catalog.api.ReadLimits.class);
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        List<Thread> holders = holdEveryTurn(limits, release);
        try {
            List<java.util.concurrent.CompletableFuture<HttpResponse<String>>> reads = new ArrayList<>();
            // A thread per read (the common pool may have one on two cores).
            java.util.concurrent.ExecutorService clients = java.util.concurrent.Executors.newFixedThreadPool(4);
            for (String path : List.of("/api/v1/lineage?depth=1&nodeId=" + enc("job:" + NS + ":wide"),
                    "/api/v1/namespaces/" + NS + "/jobs/wide",
                    "/api/v1/column-lineage?depth=1&nodeId=" + enc("dataset:" + NS + ":out"),
                    "/api/v1/impact?change=drop&nodeId=" + enc("dataset:" + NS + ":in_00001"))) {
                reads.add(java.util.concurrent.CompletableFuture.supplyAsync(() -> server.get(path), clients));
            }
            Thread.sleep(1500);
            for (var read : reads) {
                assertFalse(read.isDone(), "answered without a turn: " + (read.isDone() ? read.join().body() : ""));
            }
            assertEquals(200, server.get("/health").statusCode(), "health takes no turn");
            release.countDown();
            for (var read : reads) {
                HttpResponse<String> answer = read.get(30, java.util.concurrent.TimeUnit.SECONDS);
                assertEquals(200, answer.statusCode(), answer.body());
            }
            clients.shutdown();
        } finally {
            release.countDown();
            for (Thread t : holders) {
                t.join();
            }
        }
    }

    private long sharedSoFar() {
        for (String line : server.get("/metrics").body().split("\n")) {
            if (line.startsWith("waymark_reads_shared_total ")) {
                return (long) Double.parseDouble(line.substring(line.indexOf(' ') + 1));
            }
        }
        throw new AssertionError("no waymark_reads_shared_total in /metrics");
    }

    /**
     * Viewers asking for the same huge job or lineage while the reads are busy share one read: 96 of
     * them made 96 equal answers. Each still gets its own whole answer; an answer for other
     * credentials is not shared; and a write acknowledged before a viewer asked is in its answer.
     */
    @Test
    void identicalViewersWaitingTogetherShareOneRead() throws Exception {
        io.waymark.catalog.api.ReadLimits limits = server.context.getBean(io.waymark.catalog.api.ReadLimits.class);
        String jobPath = "/api/v1/namespaces/" + enc(NS) + "/jobs/wide";
        String lineagePath = "/api/v1/lineage?depth=1&nodeId=" + enc("job:" + NS + ":wide");
        String viewer = server.token("huge-entity-viewer", "viewer");
        String describedPath = "/api/v1/namespaces/" + enc(NS) + "/datasets/described";
        assertEquals(201, server.postJson("/api/v1/lineage", describing("a", "2025-01-01T00:00:00Z").toString()).statusCode());
        server.awaitProjection();
        long sharedBefore = sharedSoFar();
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        List<Thread> holders = holdEveryTurn(limits, release);
        java.util.concurrent.ExecutorService clients = java.util.concurrent.Executors.newFixedThreadPool(24);
        try {
            List<java.util.concurrent.Future<HttpResponse<String>>> jobs = new ArrayList<>();
            List<java.util.concurrent.Future<HttpResponse<String>>> graphs = new ArrayList<>();
            List<java.util.concurrent.Future<HttpResponse<String>>> described = new ArrayList<>();
            described.add(clients.submit(() -> server.get(describedPath)));
            await(limits, 1);
            // Acknowledged and projected while the first viewer waits: every answer of its crowd shows it.
            assertEquals(201, server.postJson("/api/v1/lineage", describing("b", "2025-01-02T00:00:00Z").toString()).statusCode());
            server.awaitProjection();
            for (int i = 0; i < 3; i++) {
                described.add(clients.submit(() -> server.get(describedPath)));
            }
            for (int i = 0; i < 8; i++) {
                jobs.add(clients.submit(() -> server.get(jobPath)));
            }
            for (int i = 0; i < 8; i++) {
                graphs.add(clients.submit(() -> server.get(lineagePath)));
            }
            var asViewer = clients.submit(() -> server.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(server.url(jobPath)))
                    .header("Authorization", "Bearer " + viewer).GET().build()));
            await(limits, 21);
            release.countDown();
            Set<String> jobAnswers = new HashSet<>();
            for (var f : jobs) {
                HttpResponse<String> answer = f.get(30, java.util.concurrent.TimeUnit.SECONDS);
                assertEquals(200, answer.statusCode(), answer.body());
                assertEquals("application/json", answer.headers().firstValue("Content-Type").orElse(""));
                jobAnswers.add(answer.body());
            }
            assertEquals(1, jobAnswers.size(), "one answer for the eight");
            JsonNode job = TestServer.parse(jobAnswers.iterator().next());
            assertEquals(1000, job.path("inputs").size());
            Set<String> graphAnswers = new HashSet<>();
            for (var f : graphs) {
                HttpResponse<String> answer = f.get(30, java.util.concurrent.TimeUnit.SECONDS);
                assertEquals(200, answer.statusCode(), answer.body());
                graphAnswers.add(answer.body());
            }
            assertEquals(1, graphAnswers.size());
            assertEquals(server.get(lineagePath).body(), graphAnswers.iterator().next(), "the shared graph is the graph");
            assertEquals(200, asViewer.get(30, java.util.concurrent.TimeUnit.SECONDS).statusCode());
            for (var f : described) {
                JsonNode dataset = TestServer.parse(f.get(30, java.util.concurrent.TimeUnit.SECONDS).body());
                assertEquals(2, dataset.path("fields").size(), "the field projected before the crowd's read began: " + dataset.path("fields"));
            }
            assertEquals(17, sharedSoFar() - sharedBefore, "seven joined each crowd of eight, three the crowd of four; the viewer's request read for itself");
        } finally {
            release.countDown();
            clients.shutdownNow();
            for (Thread t : holders) {
                t.join();
            }
        }
    }

    /** An event writing the dataset "described" with fields a … {@code last}. */
    private static ObjectNode describing(String last, String time) {
        ObjectNode event = Events.complete(NS, "describer", new String[] {}, new String[] {}, time);
        ObjectNode out = Events.dataset(NS, "described");
        var fields = out.putObject("facets").putObject("schema").putArray("fields");
        for (char c = 'a'; c <= last.charAt(0); c++) {
            fields.addObject().put("name", String.valueOf(c)).put("type", "int");
        }
        event.withArray("outputs").add(out);
        return event;
    }

    /** Threads holding every read turn until {@code release}; returned once they all hold one. */
    private static List<Thread> holdEveryTurn(io.waymark.catalog.api.ReadLimits limits, java.util.concurrent.CountDownLatch release)
            throws InterruptedException {
        java.util.concurrent.CountDownLatch held = new java.util.concurrent.CountDownLatch(limits.concurrency());
        List<Thread> holders = new ArrayList<>();
        for (int i = 0; i < limits.concurrency(); i++) {
            Thread t = new Thread(() -> limits.run(() -> {
                held.countDown();
                try {
                    return release.await(30, java.util.concurrent.TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    return false;
                }
            }));
            t.start();
            holders.add(t);
        }
        assertTrue(held.await(10, java.util.concurrent.TimeUnit.SECONDS));
        return holders;
    }

    private static void await(io.waymark.catalog.api.ReadLimits limits, int waiting) throws InterruptedException {
        long end = System.nanoTime() + 20_000_000_000L;
        while (limits.waitingTogether() < waiting) {
            assertTrue(System.nanoTime() < end, "requests waiting together: " + limits.waitingTogether() + ", not " + waiting);
            Thread.sleep(5);
        }
    }
}
