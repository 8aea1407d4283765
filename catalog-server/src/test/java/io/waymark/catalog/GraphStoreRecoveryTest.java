package io.waymark.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.io.RandomAccessFile;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The graph is a function of the journal, so a lost or damaged graph store costs a rebuild, not
 * the catalog: with {@code neo4j/} deleted, or its transaction log damaged after a crash (what a
 * full disk left behind), Waymark starts, rebuilds the graph from the journal and holds every
 * acknowledged event. {@code rebuild} starts from an empty store the same way, refused while a
 * server holds it.
 */
class GraphStoreRecoveryTest {
    private static final int JOBS = 40;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void aDeletedOrDamagedGraphStoreIsRebuiltFromTheJournal() throws Exception {
        Path dir = Files.createTempDirectory("waymark-store");
        Path data = dir.resolve("data");
        Path log = dir.resolve("child.log");

        ChildWaymark first = ChildWaymark.start(data, log);
        post(first, "a");
        first.awaitCaughtUp();
        first.stop();

        deleteTree(data.resolve("neo4j"));
        try (ChildWaymark second = ChildWaymark.start(data, log)) {
            second.awaitCaughtUp();
            assertEquals(JOBS, jobs(second, "a"), "after the store was deleted; see " + log);
            post(second, "b");
            second.awaitCaughtUp();
            second.kill();
        }

        damageTransactionLog(data.resolve("neo4j"));
        try (ChildWaymark third = ChildWaymark.start(data, log)) {
            third.awaitCaughtUp();
            assertEquals(JOBS, jobs(third, "a"), "after the store was damaged; see " + log);
            assertEquals(JOBS, jobs(third, "b"));
            assertTrue(Files.isDirectory(data.resolve("neo4j.damaged")), "the damaged store is kept aside for a post-mortem");
            // rebuild discards the embedded store's files before it replays, but never those of a store a server holds.
            assertTrue(ChildWaymark.run(log, "rebuild", "--data-dir", data.toString()) != 0, "rebuild beside a running server is refused");
            assertEquals(JOBS, jobs(third, "a"), "the running server's graph is untouched; see " + log);
            third.stop();
        }

        // Too little free space: writes are refused before the disk fills, reads go on.
        try (ChildWaymark fourth = ChildWaymark.start(data, log, java.util.Map.of("WAYMARK_MIN_FREE_DISK_BYTES", Long.toString(Long.MAX_VALUE / 2)))) {
            HttpResponse<String> refused = http.send(HttpRequest.newBuilder(URI.create(fourth.url("/api/v1/lineage")))
                    .header("Content-Type", "application/json").header("Authorization", "Bearer " + TestServer.ADMIN_TOKEN)
                    .POST(HttpRequest.BodyPublishers.ofString(Events.complete("store", "late", new String[] {}, new String[] {"x"},
                            "2025-01-16T10:00:00Z").toString())).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(507, refused.statusCode(), refused.body());
            assertEquals("insufficient_storage", TestServer.parse(refused.body()).path("error").asText());
            assertTrue(refused.headers().firstValue("Retry-After").isPresent());
            HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create(fourth.url("/health"))).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, health.statusCode(), "reads go on: " + health.body());
            assertTrue(TestServer.parse(health.body()).path("disk").asText().startsWith("LOW"), health.body());
            assertEquals(JOBS, jobs(fourth, "a"));
            assertEquals(0, jobs(fourth, "late"), "nothing of the refused event was stored");
            fourth.stop();
        }
        String output = Files.readString(log, StandardCharsets.UTF_8);
        assertTrue(output.contains("rebuilding it from the journal"), "the log says why the graph is rebuilt");
    }

    /** Overwrites the end of the newest transaction log with bytes that are no log entry. */
    private static void damageTransactionLog(Path home) throws Exception {
        Path newest;
        try (var files = Files.walk(home.resolve("data/transactions/neo4j"))) {
            newest = files.filter(p -> p.getFileName().toString().startsWith("neostore.transaction.db"))
                    .max(Comparator.comparing(Path::toString)).orElseThrow();
        }
        try (RandomAccessFile file = new RandomAccessFile(newest.toFile(), "rw")) {
            long length = file.length();
            assertTrue(length > 8192, newest + " is " + length + " bytes");
            byte[] junk = new byte[4096];
            Arrays.fill(junk, (byte) 20);
            file.seek(length - junk.length);
            file.write(junk);
        }
    }

    private void post(ChildWaymark child, String prefix) throws Exception {
        StringBuilder body = new StringBuilder();
        for (int i = 0; i < JOBS; i++) {
            body.append(Events.complete("store", prefix + "_job" + i, new String[] {prefix + "_in" + i}, new String[] {prefix + "_out" + i},
                    "2025-01-15T10:00:00Z")).append('\n');
        }
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(child.url("/api/v1/lineage/batch")))
                .header("Content-Type", "application/x-ndjson").header("Authorization", "Bearer " + TestServer.ADMIN_TOKEN)
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
    }

    private long jobs(ChildWaymark child, String prefix) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(child.url("/api/v1/namespaces/store/jobs?limit=1000")))
                .header("Authorization", "Bearer " + TestServer.ADMIN_TOKEN).GET().build(), HttpResponse.BodyHandlers.ofString());
        long count = 0;
        for (JsonNode job : TestServer.parse(response.body()).path("jobs")) {
            count += job.path("name").asText().startsWith(prefix + "_") ? 1 : 0;
        }
        return count;
    }

    private static void deleteTree(Path dir) throws Exception {
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
