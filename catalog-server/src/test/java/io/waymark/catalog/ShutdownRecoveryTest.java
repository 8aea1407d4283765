package io.waymark.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import io.waymark.catalog.graph.EmbeddedNeo4j;
import org.junit.jupiter.api.Test;
import org.neo4j.driver.Driver;
import org.neo4j.driver.GraphDatabase;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Stopping Waymark while the projector works through a backlog loses nothing: SIGTERM and then
 * SIGKILL half a second after a 300-event batch was accepted, a restart, and the graph holds every
 * event, nothing is set aside as poison, and it equals what {@code rebuild} makes from the journal.
 * A normal stop logs no warning or error.
 */
class ShutdownRecoveryTest {
    private static final int EVENTS = 300;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void sigtermAndKillDuringABacklogLoseNothing() throws Exception {
        Path dir = Files.createTempDirectory("waymark-shutdown");
        Path data = dir.resolve("data");
        Path log = dir.resolve("child.log");

        ChildWaymark first = ChildWaymark.start(data, log);
        postBatch(first, "term");
        Thread.sleep(500);
        assertQuietStop(first, log);

        ChildWaymark second = ChildWaymark.start(data, log);
        postBatch(second, "kill");
        Thread.sleep(500);
        second.kill();

        try (ChildWaymark third = ChildWaymark.start(data, log)) {
            JsonNode health = third.awaitCaughtUp();
            assertEquals(0, health.path("projectionErrors").asLong(), "nothing was set aside: " + health);
            for (String prefix : List.of("term", "kill")) {
                JsonNode jobs = TestServer.parse(get(third, "/api/v1/namespaces/shutdown/jobs?limit=1000").body());
                long count = 0;
                for (JsonNode job : jobs.path("jobs")) {
                    count += job.path("name").asText().startsWith(prefix) ? 1 : 0;
                }
                assertEquals(EVENTS / 2, count, prefix + " jobs in the graph");
            }
            third.stop();
        }
        List<String> recovered = dump(data);
        assertEquals(0, ChildWaymark.run(log, "rebuild", "--data-dir", data.toString()), "rebuild; see " + log);
        List<String> rebuilt = dump(data);
        assertEquals(rebuilt.size(), recovered.size(), "the recovered graph has as many nodes and edges as the rebuilt one");
        for (int i = 0; i < rebuilt.size(); i++) {
            assertEquals(rebuilt.get(i), recovered.get(i));
        }
    }

    /**
     * A stop while the HTTP warm-up makes its requests is as quiet: its refused connections are the stop's, not a
     * failure (CI once logged "HTTP warm-up stopped: … Connection refused" during the backlog test's SIGTERM).
     */
    @Test
    void aStopWhileTheHttpWarmUpRunsIsQuiet() throws Exception {
        Path dir = Files.createTempDirectory("waymark-warmup-stop");
        Path log = dir.resolve("child.log");
        // Enough requests and time that the warm-up is surely still asking when SIGTERM comes (it starts after 2 s quiet).
        ChildWaymark child = ChildWaymark.start(dir.resolve("data"), log,
                java.util.Map.of("WAYMARK_HTTP_WARMUP_REQUESTS", "1000000", "WAYMARK_HTTP_WARMUP_TIME", "120s"));
        Thread.sleep(4_000);
        assertTrue(get(child, "/health").body().contains("\"http\""), "the warm-up is still running");
        assertQuietStop(child, log);
    }

    /** SIGTERM, and no warning, error or exception in what the child logged while it stopped. */
    private static void assertQuietStop(ChildWaymark child, Path log) throws Exception {
        long before = Files.size(log);
        child.stop();
        String stopping = Files.readString(log, StandardCharsets.UTF_8).substring((int) before);
        List<String> noise = stopping.lines().filter(l -> l.contains(" WARN ") || l.contains(" ERROR ") || l.contains("Exception")).toList();
        assertTrue(noise.isEmpty(), "a normal stop is quiet, but it logged: " + noise.stream().limit(5).toList());
    }

    /** One batch of 300 runs of 150 jobs, each run reading and writing datasets of its own. */
    private void postBatch(ChildWaymark child, String prefix) throws Exception {
        StringBuilder body = new StringBuilder();
        for (int i = 0; i < EVENTS; i++) {
            String event = Events.complete("shutdown", prefix + "_job" + (i % (EVENTS / 2)), new String[] {prefix + "_in" + i},
                    new String[] {prefix + "_out" + i}, "2025-01-15T10:00:00Z").toString();
            body.append(event).append('\n');
        }
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(child.url("/api/v1/lineage/batch")))
                .header("Content-Type", "application/x-ndjson").header("Authorization", "Bearer " + TestServer.ADMIN_TOKEN)
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
    }

    private HttpResponse<String> get(ChildWaymark child, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(child.url(path))).header("Authorization", "Bearer " + TestServer.ADMIN_TOKEN)
                .timeout(Duration.ofSeconds(30)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The stopped child's graph, opened in this JVM. */
    private static List<String> dump(Path data) {
        EmbeddedNeo4j neo4j = EmbeddedNeo4j.start(data.resolve("neo4j"), "64m");
        try (Driver driver = GraphDatabase.driver(neo4j.boltUri(), neo4j.authToken())) {
            return new ArrayList<>(RebuildTest.dump(driver));
        } finally {
            neo4j.close();
        }
    }
}
