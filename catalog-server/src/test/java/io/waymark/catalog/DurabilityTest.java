package io.waymark.catalog;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An acknowledged event is never lost: concurrent producers post to a Waymark in its own JVM,
 * the JVM is killed with SIGKILL mid-stream, and after a restart every event that got a 201 is
 * in the journal and in the graph.
 */
class DurabilityTest {
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void everyAcknowledgedEventSurvivesKillDashNine() throws Exception {
        Path dir = Files.createTempDirectory("waymark-durability");
        Path log = dir.resolve("child.log");
        Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        Set<String> failures = ConcurrentHashMap.newKeySet();
        AtomicBoolean stop = new AtomicBoolean();
        ChildWaymark child = ChildWaymark.start(dir.resolve("data"), log);
        ExecutorService producers = Executors.newFixedThreadPool(8);
        for (int t = 0; t < 8; t++) {
            producers.submit(() -> {
                while (!stop.get()) {
                    String runId = UUID.randomUUID().toString();
                    String body = Events.complete("durability", "job-" + runId, new String[] {"src"}, new String[] {"dst"}, "2025-01-01T00:00:00Z")
                            .put("run", (String) null).toString().replace("\"run\":null", "\"run\":{\"runId\":\"" + runId + "\"}");
                    try {
                        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(child.url("/api/v1/lineage")))
                                .header("Content-Type", "application/json").header("Authorization", "Bearer " + TestServer.ADMIN_TOKEN)
                                .timeout(Duration.ofSeconds(10))
                                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
                        if (response.statusCode() == 201) {
                            acknowledged.add(runId);
                        } else {
                            failures.add(response.statusCode() + " " + response.body());
                        }
                    } catch (Exception killed) {
                        failures.add(killed.toString());
                        // the server died under us: this event was never acknowledged
                    }
                }
                return null;
            });
        }
        // Kill mid-stream once the (freshly started, still warming up) server has acknowledged a few hundred events.
        long until = System.currentTimeMillis() + 60_000;
        while (acknowledged.size() < 500 && System.currentTimeMillis() < until) {
            Thread.sleep(50);
        }
        child.kill();
        stop.set(true);
        producers.shutdown();
        producers.awaitTermination(30, java.util.concurrent.TimeUnit.SECONDS);
        assertTrue(acknowledged.size() > 100, "the producers got going: " + acknowledged.size() + " " + failures.stream().limit(5).toList());

        try (ChildWaymark restarted = ChildWaymark.start(dir.resolve("data"), log)) {
            restarted.awaitCaughtUp();
            long journaled = TestServer.parse(get(restarted, "/api/v1/events/lineage?limit=1").body()).path("totalCount").asLong();
            assertTrue(journaled >= acknowledged.size(), journaled + " journaled, " + acknowledged.size() + " acknowledged");
            for (String runId : List.copyOf(acknowledged)) {
                assertEquals(200, get(restarted, "/api/v1/jobs/runs/" + runId).statusCode(), "acknowledged run " + runId + " is in the graph");
            }
        }
    }

    private HttpResponse<String> get(ChildWaymark child, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(child.url(path))).header("Authorization", "Bearer " + TestServer.ADMIN_TOKEN)
                        .timeout(Duration.ofSeconds(30)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
