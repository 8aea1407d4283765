package io.waymark.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import io.openlineage.client.OpenLineage;
import io.openlineage.client.OpenLineageClient;
import io.openlineage.client.OpenLineageClientUtils;
import io.openlineage.client.transports.KafkaConfig;
import io.openlineage.client.transports.KafkaTransport;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * OpenLineage over Kafka, end to end with software nobody here wrote: a real Kafka broker (KRaft)
 * and the openlineage-java client's own Kafka transport as the producer. Records that are not
 * events are set aside with their error and sent to the dead-letter topic without holding up their
 * partition; offsets are committed only after the journal commit, so a journal that refuses
 * writes (a full disk) gets no offset committed, re-reading everything (the group's offsets reset,
 * as after a crash) stores nothing twice, and a kill -9 in the middle of a backlog loses nothing.
 */
class KafkaIngestTest {
    private static final String TOPIC = "openlineage";
    private static final String DEAD = "openlineage-dead";
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    private final OpenLineage ol = new OpenLineage(URI.create("https://waymark.test/kafka-ingest-test"));

    @Test
    void eventsFromTheOpenLineageKafkaTransportReachTheGraphOnceAndBadRecordsAreSetAside() throws Exception {
        Path dir = Files.createTempDirectory("kafka-ingest");
        try (KafkaBroker broker = KafkaBroker.start(dir.resolve("kafka"))) {
            broker.createTopic(TOPIC, 3);
            broker.createTopic(DEAD, 1);
            // Sent before Waymark first starts: a new consumer group reads from the beginning.
            emitThroughOpenLineageTransport(broker, 0, 20, "none");
            try (KafkaProducer<String, String> raw = new KafkaProducer<>(broker.producerProperties())) {
                String key = "run:kafka-test/after-garbage";
                raw.send(new ProducerRecord<>(TOPIC, key, "this is not JSON")).get();
                raw.send(new ProducerRecord<>(TOPIC, key, "{\"eventType\":\"START\"}")).get();
                raw.send(new ProducerRecord<>(TOPIC, key, null)).get();
                // Behind the garbage on the same partition: it must still get in.
                raw.send(new ProducerRecord<>(TOPIC, key, OpenLineageClientUtils.toJson(event(OpenLineage.RunEvent.EventType.COMPLETE, "after-garbage")))).get();
            }
            Map<String, String> env = new HashMap<>();
            env.put("WAYMARK_KAFKA_BOOTSTRAP", broker.bootstrap);
            env.put("WAYMARK_KAFKA_DEAD_LETTER_TOPIC", DEAD);
            // Small polls, so a kill -9 below lands in the middle of a backlog.
            env.put("WAYMARK_KAFKA_MAX_POLL_RECORDS", "25");
            Path data = dir.resolve("waymark");
            Path log = dir.resolve("waymark.log");
            // First with the journal refusing every write (free space "below" the minimum): nothing may be committed to Kafka.
            Map<String, String> full = new HashMap<>(env);
            full.put("WAYMARK_MIN_FREE_DISK_BYTES", Long.toString(Long.MAX_VALUE / 2));
            try (ChildWaymark waymark = ChildWaymark.start(data, log, full)) {
                long until = System.currentTimeMillis() + 60_000;
                while (!get(waymark, "/health").path("kafka").path("status").asText().startsWith("DOWN") && System.currentTimeMillis() < until) {
                    Thread.sleep(200);
                }
                assertTrue(get(waymark, "/health").path("kafka").path("status").asText().contains("disk"), get(waymark, "/health").toString());
                assertEquals(0, get(waymark, "/api/v1/events/lineage?limit=1").path("totalCount").asLong());
                try (Admin admin = broker.admin()) {
                    assertEquals(Map.of(), admin.listConsumerGroupOffsets("waymark").partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS),
                            "no offset committed while the journal refused the records");
                }
            }
            try (ChildWaymark waymark = ChildWaymark.start(data, log, env)) {
                broker.awaitCommitted("waymark", TOPIC, 3);
                waymark.awaitCaughtUp();
                assertEquals(41, get(waymark, "/api/v1/events/lineage?limit=1").path("totalCount").asLong(), "20 jobs × 2 events + the one behind the garbage");
                assertEquals(21, get(waymark, "/api/v1/namespaces/kafka-test/jobs?limit=100").path("totalCount").asInt());
                JsonNode job = get(waymark, "/api/v1/namespaces/kafka-test/jobs/job-7");
                assertEquals("kafka-test:source-7", job.path("inputs").get(0).path("namespace").asText() + ":" + job.path("inputs").get(0).path("name").asText());
                assertEquals("COMPLETED", job.path("latestRun").path("state").asText(), job.toString());
                assertEquals(200, status(waymark, "/api/v1/namespaces/kafka-test/jobs/after-garbage"), "the event behind the garbage got in");

                JsonNode rejected = get(waymark, "/api/v1/kafka/rejections");
                assertEquals(3, rejected.path("totalCount").asInt(), rejected.toString());
                for (JsonNode r : rejected.path("rejections")) {
                    assertEquals(TOPIC, r.path("topic").asText());
                    assertEquals("run:kafka-test/after-garbage", r.path("key").asText());
                    assertTrue(r.path("error").asText().length() > 0 && r.path("detail").asText().length() > 0, r.toString());
                    assertTrue(r.path("deadLetter").asText().startsWith(DEAD + "/0@"), r.toString());
                }
                assertTrue(rejected.toString().contains("this is not JSON"), "the refused payload is kept to look at: " + rejected);
                List<ConsumerRecord<String, String>> dead = readAll(broker, DEAD, 3);
                assertEquals(3, dead.size());
                assertNotNull(dead.get(0).headers().lastHeader("waymark.error"), "the dead letter says why");
                assertEquals("this is not JSON", dead.get(0).value());

                JsonNode health = get(waymark, "/health");
                assertEquals("UP", health.path("kafka").path("status").asText(), health.toString());
                assertEquals(0, health.path("kafka").path("lag").asLong());
                String metrics = text(waymark, "/metrics");
                assertTrue(metrics.contains("waymark_kafka_consumer_lag{partition=\"0\",topic=\"openlineage\"} 0.0"), metrics);
                assertTrue(metrics.contains("waymark_kafka_records_total{outcome=\"accepted\"} 41.0"), metrics);
                assertTrue(metrics.contains("waymark_kafka_records_total{outcome=\"rejected\"} 3.0"), metrics);
                JsonNode audit = get(waymark, "/api/v1/audit-log?action=lineage.kafka");
                assertTrue(audit.toString().contains("kafka:waymark"), "Kafka ingest is in the audit log under its group: " + audit);
                // SIGTERM while consuming: the JVM's own exit status for it (128 + 15), and no error on the way out.
                assertEquals(143, waymark.stop());
                assertTrue(Files.readAllLines(log).stream().noneMatch(l -> l.contains(" ERROR ")), "no ERROR in " + log);
            }

            // As after a crash that lost every commit: the group's offsets go back to the beginning.
            try (Admin admin = broker.admin()) {
                Map<TopicPartition, OffsetAndMetadata> start = new HashMap<>();
                for (int p = 0; p < 3; p++) {
                    start.put(new TopicPartition(TOPIC, p), new OffsetAndMetadata(0));
                }
                admin.alterConsumerGroupOffsets("waymark", start).all().get(30, TimeUnit.SECONDS);
            }
            // And a backlog sent while it runs, with the server killed in the middle of it.
            try (ChildWaymark waymark = ChildWaymark.start(data, log, env)) {
                java.util.concurrent.CompletableFuture<Void> sending = java.util.concurrent.CompletableFuture.runAsync(() -> {
                    try {
                        // Compressed batches, as producers often send them: the consumer needs zstd's native library.
                        emitThroughOpenLineageTransport(broker, 100, 300, "zstd");
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                });
                long until = System.currentTimeMillis() + 60_000;
                long committed = 0;
                while (committed < 41 + 100 && System.currentTimeMillis() < until) {
                    committed = get(waymark, "/api/v1/kafka").path("consumer").path("committedRecords").asLong();
                }
                waymark.kill();
                System.out.println("KafkaIngestTest: killed after " + committed + " of 641 records committed in this run");
                sending.get(2, TimeUnit.MINUTES);
            }
            // A command run beside the server with the same settings (here a rebuild) must not consume: it would
            // commit offsets of records that then never reach the server's catalog.
            Map<TopicPartition, OffsetAndMetadata> beforeRebuild = committed(broker);
            assertEquals(0, ChildWaymark.run(log, env, "rebuild", "--data-dir", data.toString()));
            assertEquals(beforeRebuild, committed(broker), "rebuild left the group's offsets alone");
            // Back through the broker's SASL/PLAIN listener, with the security settings Waymark passes to the client.
            Map<String, String> sasl = new HashMap<>(env);
            sasl.put("WAYMARK_KAFKA_BOOTSTRAP", broker.saslBootstrap);
            sasl.put("WAYMARK_KAFKA_SECURITY_PROTOCOL", "SASL_PLAINTEXT");
            sasl.put("WAYMARK_KAFKA_SASL_MECHANISM", "PLAIN");
            sasl.put("WAYMARK_KAFKA_SASL_JAAS_CONFIG", "org.apache.kafka.common.security.plain.PlainLoginModule required username=\""
                    + KafkaBroker.SASL_USER + "\" password=\"" + KafkaBroker.SASL_PASSWORD + "\";");
            try (ChildWaymark waymark = ChildWaymark.start(data, log, sasl)) {
                broker.awaitCommitted("waymark", TOPIC, 3);
                waymark.awaitCaughtUp();
                assertEquals(41 + 600, get(waymark, "/api/v1/events/lineage?limit=1").path("totalCount").asLong(), "everything once, though read twice");
                assertEquals(21 + 300, get(waymark, "/api/v1/namespaces/kafka-test/jobs?limit=1").path("totalCount").asInt());
                assertEquals(3, get(waymark, "/api/v1/kafka/rejections").path("totalCount").asInt(), "a re-read refusal is recorded once");
                assertTrue(get(waymark, "/api/v1/audit-log/verification").path("valid").asBoolean(), "the audit chain holds");
            }
        }
    }

    private OpenLineage.RunEvent event(OpenLineage.RunEvent.EventType type, String job, UUID runId, int i) {
        return ol.newRunEventBuilder().eventType(type).eventTime(ZonedDateTime.now())
                .run(ol.newRunBuilder().runId(runId).build())
                .job(ol.newJobBuilder().namespace("kafka-test").name(job).build())
                .inputs(List.of(ol.newInputDatasetBuilder().namespace("kafka-test").name("source-" + i).build()))
                .outputs(List.of(ol.newOutputDatasetBuilder().namespace("kafka-test").name("target-" + i).build()))
                .build();
    }

    private OpenLineage.RunEvent event(OpenLineage.RunEvent.EventType type, String job) {
        return event(type, job, UUID.randomUUID(), 0);
    }

    /** START and COMPLETE of jobs {@code job-from … job-(from+count-1)}, through OpenLineage's KafkaTransport. */
    private void emitThroughOpenLineageTransport(KafkaBroker broker, int from, int count, String compression) throws Exception {
        Properties producer = broker.producerProperties();
        producer.put("compression.type", compression);
        // No message key given: the transport keys each record by its run's job, as it does for Spark or Airflow.
        KafkaConfig config = new KafkaConfig(TOPIC, null, producer);
        try (OpenLineageClient client = OpenLineageClient.builder().transport(new KafkaTransport(config)).build()) {
            for (int i = from; i < from + count; i++) {
                UUID run = UUID.randomUUID();
                client.emit(event(OpenLineage.RunEvent.EventType.START, "job-" + i, run, i));
                client.emit(event(OpenLineage.RunEvent.EventType.COMPLETE, "job-" + i, run, i));
            }
        }
    }

    private static Map<TopicPartition, OffsetAndMetadata> committed(KafkaBroker broker) throws Exception {
        try (Admin admin = broker.admin()) {
            return admin.listConsumerGroupOffsets("waymark").partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
        }
    }

    private static List<ConsumerRecord<String, String>> readAll(KafkaBroker broker, String topic, int expected) {
        Properties p = new Properties();
        p.put("bootstrap.servers", broker.bootstrap);
        p.put("group.id", "kafka-ingest-test-" + UUID.randomUUID());
        p.put("auto.offset.reset", "earliest");
        p.put("key.deserializer", "org.apache.kafka.common.serialization.StringDeserializer");
        p.put("value.deserializer", "org.apache.kafka.common.serialization.StringDeserializer");
        List<ConsumerRecord<String, String>> out = new ArrayList<>();
        try (KafkaConsumer<String, String> c = new KafkaConsumer<>(p)) {
            c.subscribe(List.of(topic));
            long until = System.currentTimeMillis() + 30_000;
            while (out.size() < expected && System.currentTimeMillis() < until) {
                c.poll(Duration.ofMillis(500)).forEach(out::add);
            }
        }
        return out;
    }

    private HttpRequest.Builder request(ChildWaymark child, String path) {
        return HttpRequest.newBuilder(URI.create(child.url(path))).header("Authorization", "Bearer " + TestServer.ADMIN_TOKEN).timeout(Duration.ofSeconds(30));
    }

    private String text(ChildWaymark child, String path) throws Exception {
        return http.send(request(child, path).GET().build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8)).body();
    }

    private JsonNode get(ChildWaymark child, String path) throws Exception {
        return TestServer.parse(text(child, path));
    }

    private int status(ChildWaymark child, String path) throws Exception {
        return http.send(request(child, path).GET().build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}
