package io.waymark.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import io.waymark.catalog.graph.EmbeddedNeo4j;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static io.waymark.catalog.TestServer.enc;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two Waymark replicas on one PostgreSQL journal and one Neo4j started outside both: one leads
 * (projects and runs the background work), the other follows; both ingest and answer reads, the
 * follower's lineage index included. The leader is killed with SIGKILL while producers post to
 * both and a Kafka producer writes to the topic both consume in one group: the follower takes over
 * within 10 s (and the dead leader's partitions); then Neo4j restarts while the survivor ingests;
 * every acknowledged HTTP event and every record on the topic is in the graph once.
 */
class ReplicasTest {
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void theFollowerServesCurrentReadsAndTakesOverWhenTheLeaderDies() throws Exception {
        JournalBackends.Store store = JournalBackends.create("postgresql");
        Path home = Files.createTempDirectory("replicas-neo4j");
        EmbeddedNeo4j[] graph = {EmbeddedNeo4j.start(home, "64m")};
        EmbeddedNeo4j neo4j = graph[0];
        int boltPort = URI.create(neo4j.boltUri()).getPort();
        try (KafkaBroker kafka = KafkaBroker.start(store.dataDir().resolve("kafka"))) {
            kafka.createTopic("openlineage", 4);
            Map<String, String> env = new HashMap<>(store.environment());
            // Both replicas consume the topic in one group: Kafka splits the partitions between them.
            env.put("WAYMARK_KAFKA_BOOTSTRAP", kafka.bootstrap);
            env.put("WAYMARK_NEO4J_URI", neo4j.boltUri());
            env.put("WAYMARK_NEO4J_USER", "neo4j");
            env.put("WAYMARK_NEO4J_PASSWORD", neo4j.password());
            Path log = store.dataDir().resolve("replicas.log");
            ChildWaymark first = ChildWaymark.start(store.dataDir().resolve("a"), log, env);
            try (ChildWaymark second = ChildWaymark.start(store.dataDir().resolve("b"), log, env)) {
                assertEquals("leader", health(first).path("role").asText());
                assertEquals("follower", health(second).path("role").asText());

                // Written through the leader, read through the follower, whose lineage index follows the leader's projection.
                assertEquals(201, post(first, event(UUID.randomUUID().toString(), "via-leader", "raw", "clean")).statusCode());
                assertEquals(201, post(second, event(UUID.randomUUID().toString(), "via-follower", "clean", "report")).statusCode());
                second.awaitCaughtUp();
                JsonNode lineage = get(second, "/api/v1/lineage?depth=4&nodeId=" + enc("dataset:replicas:report"));
                assertTrue(lineage.toString().contains("job:replicas:via-leader"), "the follower walks lineage the leader projected: " + lineage);

                // Reports issued on both replicas at once: numbers stay unique and each manifest names its predecessor's.
                ExecutorService exporters = Executors.newFixedThreadPool(6);
                List<java.util.concurrent.Future<Integer>> exports = new java.util.ArrayList<>();
                for (int i = 0; i < 6; i++) {
                    ChildWaymark target = i % 2 == 0 ? first : second;
                    exports.add(exporters.submit(() -> http.send(request(target, "/api/v1/reports/GDPR?format=json").timeout(Duration.ofMinutes(2)).GET().build(),
                            HttpResponse.BodyHandlers.discarding()).statusCode()));
                }
                for (var export : exports) {
                    assertEquals(200, export.get());
                }
                exporters.shutdown();
                Map<Long, String> shaBySeq = new HashMap<>();
                get(second, "/api/v1/reports").path("reports").forEach(r -> shaBySeq.put(r.path("seq").asLong(), r.path("manifestSha256").asText()));
                assertEquals(Set.of(1L, 2L, 3L, 4L, 5L, 6L), shaBySeq.keySet());
                for (long seq = 2; seq <= 6; seq++) {
                    JsonNode manifest = TestServer.parse(get(first, "/api/v1/reports?seq=" + seq).path("reports").get(0).path("manifest").asText());
                    assertEquals(shaBySeq.get(seq - 1), manifest.path("previousManifestSha256").asText(), "report " + seq + " follows " + (seq - 1));
                }

                Set<String> acknowledged = ConcurrentHashMap.newKeySet();
                Set<String> failures = ConcurrentHashMap.newKeySet();
                AtomicBoolean stop = new AtomicBoolean();
                ExecutorService producers = Executors.newFixedThreadPool(5);
                for (int t = 0; t < 4; t++) {
                    ChildWaymark target = t % 2 == 0 ? first : second;
                    producers.submit(() -> {
                        while (!stop.get()) {
                            String runId = UUID.randomUUID().toString();
                            try {
                                HttpResponse<String> response = post(target, event(runId, "job-" + runId, "src", "dst"));
                                if (response.statusCode() == 201) {
                                    acknowledged.add(runId);
                                } else {
                                    failures.add(response.statusCode() + " " + response.body());
                                }
                            } catch (Exception killed) {
                                // the leader died under this producer: the event was never acknowledged
                                if (target == first) {
                                    Thread.sleep(50);
                                }
                            }
                        }
                        return null;
                    });
                }
                // Beside the HTTP producers, a Kafka producer: every record the broker acknowledged must reach the graph once.
                Set<String> sentToKafka = ConcurrentHashMap.newKeySet();
                var kafkaProducer = producers.submit(() -> {
                    try (KafkaProducer<String, String> producer = new KafkaProducer<>(kafka.producerProperties())) {
                        while (!stop.get()) {
                            String runId = UUID.randomUUID().toString();
                            String job = "job-" + runId;
                            producer.send(new ProducerRecord<>("openlineage", "run:replicas/" + job, event(runId, job, "topic-src", "topic-dst"))).get();
                            sentToKafka.add(runId);
                            Thread.sleep(5);
                        }
                    }
                    return null;
                });
                awaitSize(acknowledged, 200);
                awaitSize(sentToKafka, 100);
                first.kill();
                long killed = System.nanoTime();
                long tookOver = -1;
                while (System.nanoTime() - killed < TimeUnit.SECONDS.toNanos(30)) {
                    if ("leader".equals(health(second).path("role").asText())) {
                        tookOver = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killed);
                        break;
                    }
                    Thread.sleep(100);
                }
                assertTrue(tookOver >= 0 && tookOver <= 10_000, "the follower took over within 10 s: " + tookOver + " ms");
                awaitSize(acknowledged, acknowledged.size() + 100);
                // Neo4j restarts under ingest: the journal keeps accepting, projection waits and resumes.
                graph[0].close();
                int whileDown = acknowledged.size();
                awaitSize(acknowledged, whileDown + 50);
                graph[0] = EmbeddedNeo4j.start(home, "64m", boltPort);
                awaitSize(acknowledged, acknowledged.size() + 50);
                stop.set(true);
                producers.shutdown();
                producers.awaitTermination(60, TimeUnit.SECONDS);
                kafkaProducer.get(); // the broker acknowledged every send
                assertTrue(failures.isEmpty(), "only 201s from live replicas: " + failures.stream().limit(5).toList());

                // Every record on the topic committed by the group (the survivor took the dead leader's partitions) …
                kafka.awaitCommitted("waymark", "openlineage", 4);
                second.awaitCaughtUp();
                assertEquals(0, get(second, "/api/v1/kafka/rejections").path("totalCount").asInt(), "no Kafka record was refused");
                for (String runId : List.copyOf(sentToKafka)) {
                    assertEquals(200, http.send(request(second, "/api/v1/jobs/runs/" + runId).GET().build(), HttpResponse.BodyHandlers.discarding()).statusCode(),
                            "run " + runId + " sent over Kafka is in the graph");
                }
                for (String runId : List.copyOf(acknowledged)) {
                    assertEquals(200, http.send(request(second, "/api/v1/jobs/runs/" + runId).GET().build(), HttpResponse.BodyHandlers.discarding()).statusCode(),
                            "acknowledged run " + runId + " is in the graph");
                }
                try (var driver = org.neo4j.driver.GraphDatabase.driver(graph[0].boltUri(), graph[0].authToken())) {
                    long runs = driver.executableQuery("MATCH (r:Run) WHERE r.jobKey STARTS WITH 'job:replicas:job-' RETURN count(r) AS c").execute()
                            .records().get(0).get("c").asLong();
                    long journaled = get(second, "/api/v1/events/lineage?limit=1").path("totalCount").asLong() - 2;
                    assertEquals(journaled, runs, "one run per journaled event, none twice");
                }
                assertTrue(get(second, "/api/v1/audit-log/verification").path("valid").asBoolean(), "one audit chain across both replicas");
            } finally {
                first.kill();
            }
        } finally {
            graph[0].close();
        }
    }

    private static String event(String runId, String job, String input, String output) {
        return Events.complete("replicas", job, new String[] {input}, new String[] {output}, "2025-01-01T00:00:00Z")
                .put("run", (String) null).toString().replace("\"run\":null", "\"run\":{\"runId\":\"" + runId + "\"}");
    }

    private static void awaitSize(Set<String> set, int size) throws InterruptedException {
        long until = System.currentTimeMillis() + 120_000;
        while (set.size() < size && System.currentTimeMillis() < until) {
            Thread.sleep(50);
        }
        assertTrue(set.size() >= size, "the producers got going: " + set.size());
    }

    private HttpRequest.Builder request(ChildWaymark child, String path) {
        return HttpRequest.newBuilder(URI.create(child.url(path))).header("Authorization", "Bearer " + TestServer.ADMIN_TOKEN).timeout(Duration.ofSeconds(30));
    }

    private HttpResponse<String> post(ChildWaymark child, String body) throws Exception {
        return http.send(request(child, "/api/v1/lineage").header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode get(ChildWaymark child, String path) throws Exception {
        return TestServer.parse(http.send(request(child, path).GET().build(), HttpResponse.BodyHandlers.ofString()).body());
    }

    private JsonNode health(ChildWaymark child) throws Exception {
        return get(child, "/health");
    }
}
