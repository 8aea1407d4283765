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
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Waymark serving with its journal on a real PostgreSQL server (WAYMARK_JOURNAL_URL): producers
 * keep posting while PostgreSQL restarts (they get 503 with Retry-After meanwhile, never a 500),
 * then Waymark is killed with SIGKILL; after its restart every acknowledged event is in the journal
 * once and in the graph, and the audit chain still verifies.
 */
class PostgresJournalTest {
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void aPostgresRestartAndAKillLoseNothingAcknowledged() throws Exception {
        JournalBackends.Store store = JournalBackends.create("postgresql");
        Path log = store.dataDir().resolve("child.log");
        Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        Set<String> refused = ConcurrentHashMap.newKeySet();
        Set<String> failures = ConcurrentHashMap.newKeySet();
        AtomicBoolean stop = new AtomicBoolean();
        ChildWaymark child = ChildWaymark.start(store.dataDir().resolve("data"), log, store.environment());
        ExecutorService producers = Executors.newFixedThreadPool(6);
        for (int t = 0; t < 6; t++) {
            producers.submit(() -> {
                while (!stop.get()) {
                    String runId = UUID.randomUUID().toString();
                    String body = Events.complete("pgjournal", "job-" + runId, new String[] {"src"}, new String[] {"dst"}, "2025-01-01T00:00:00Z")
                            .put("run", (String) null).toString().replace("\"run\":null", "\"run\":{\"runId\":\"" + runId + "\"}");
                    try {
                        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(child.url("/api/v1/lineage")))
                                .header("Content-Type", "application/json").header("Authorization", "Bearer " + TestServer.ADMIN_TOKEN)
                                .timeout(Duration.ofSeconds(30))
                                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
                        if (response.statusCode() == 201) {
                            acknowledged.add(runId);
                        } else if (response.statusCode() == 503 && response.headers().firstValue("Retry-After").isPresent()) {
                            refused.add(runId);
                        } else {
                            failures.add(response.statusCode() + " " + response.body());
                        }
                    } catch (Exception killed) {
                        // the server died under us (the kill below): this event was never acknowledged
                    }
                }
                return null;
            });
        }
        awaitAcknowledged(acknowledged, 200);
        PostgresServer.get().restart();
        int afterRestart = acknowledged.size();
        awaitAcknowledged(acknowledged, afterRestart + 200);
        child.kill();
        stop.set(true);
        producers.shutdown();
        producers.awaitTermination(60, TimeUnit.SECONDS);
        assertTrue(failures.isEmpty(), "only 201 or 503 with Retry-After: " + failures.stream().limit(5).toList());

        try (ChildWaymark restarted = ChildWaymark.start(store.dataDir().resolve("data"), log, store.environment())) {
            restarted.awaitCaughtUp();
            long journaled = TestServer.parse(get(restarted, "/api/v1/events/lineage?limit=1").body()).path("totalCount").asLong();
            assertTrue(journaled >= acknowledged.size(), journaled + " journaled, " + acknowledged.size() + " acknowledged");
            assertTrue(journaled <= acknowledged.size() + refused.size() + 6, "an event is stored once: " + journaled);
            for (String runId : List.copyOf(acknowledged)) {
                assertEquals(200, get(restarted, "/api/v1/jobs/runs/" + runId).statusCode(), "acknowledged run " + runId + " is in the graph");
            }
            var chain = TestServer.parse(get(restarted, "/api/v1/audit-log/verification").body());
            assertTrue(chain.path("valid").asBoolean(), chain.toString());
        }
    }

    private static void awaitAcknowledged(Set<String> acknowledged, int count) throws InterruptedException {
        long until = System.currentTimeMillis() + 120_000;
        while (acknowledged.size() < count && System.currentTimeMillis() < until) {
            Thread.sleep(50);
        }
        assertTrue(acknowledged.size() >= count, "the producers got going: " + acknowledged.size());
    }

    private HttpResponse<String> get(ChildWaymark child, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(child.url(path))).header("Authorization", "Bearer " + TestServer.ADMIN_TOKEN)
                        .timeout(Duration.ofSeconds(30)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
