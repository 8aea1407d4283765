package io.waymark.catalog.kafka;

import io.micronaut.context.annotation.Context;
import io.waymark.catalog.audit.AuditLog;
import io.waymark.catalog.auth.Roles;
import io.waymark.catalog.ingest.IngestService;
import io.waymark.catalog.ingest.InvalidEventException;
import io.waymark.catalog.ops.Metrics;
import jakarta.annotation.PreDestroy;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Consumes OpenLineage events from Kafka topics, in the format OpenLineage's Kafka transport writes
 * (the event's JSON as the value; the key, such as {@code run:<namespace>/<job>}, only keeps a run's
 * events in one partition, in order). At least once: a poll's records are appended to the journal
 * in one commit, and only then are their offsets committed, so a crash re-reads what was not
 * committed and the journal's duplicate detection stores it once. A record that is not an event is
 * recorded with its error ({@link KafkaRejections}), sent to the dead-letter topic when one is set,
 * and passed over: it never holds up its partition. When the journal cannot commit (a full disk,
 * PostgreSQL away) nothing is committed to Kafka: the consumer is closed and opened again after a
 * pause, and goes on from the last committed offsets. Replicas share the consumer group, so Kafka
 * gives each partition to one of them.
 */
@Context
public class KafkaIngest {
    private static final Logger LOG = LoggerFactory.getLogger(KafkaIngest.class);
    private static final Duration POLL = Duration.ofMillis(500);

    private final KafkaSettings settings;
    private final IngestService ingest;
    private final KafkaRejections rejections;
    private final Metrics metrics;
    private final Thread thread;
    private final Map<TopicPartition, Long> lag = new ConcurrentHashMap<>();
    /** The partitions the lag gauge has rows for. */
    private volatile Set<TopicPartition> published = Set.of();
    private volatile boolean running = true;
    private volatile String state = "STARTING";
    private volatile long committedRecords;
    private KafkaProducer<byte[], byte[]> deadLetters;

    public KafkaIngest(KafkaSettings settings, IngestService ingest, KafkaRejections rejections, Metrics metrics) {
        this.settings = settings;
        this.ingest = ingest;
        this.rejections = rejections;
        this.metrics = metrics;
        if (!settings.consuming()) {
            thread = null;
            return;
        }
        if (settings.topicList().isEmpty()) {
            throw new IllegalArgumentException("WAYMARK_KAFKA_TOPICS names no topic");
        }
        // Read now, so a wrong properties file stops the start with its message rather than a thread later.
        settings.consumerProperties();
        thread = new Thread(this::run, "kafka-ingest");
        thread.setDaemon(true);
        thread.start();
        LOG.info("consuming OpenLineage events from Kafka {} topics {} as group {}", settings.getBootstrap(), settings.topicList(), settings.getGroup());
    }

    public boolean enabled() {
        return thread != null;
    }

    /** For {@code /health}: whether the consumer is reading, what it holds and how far behind it is. */
    public Map<String, Object> status() {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("status", state);
        s.put("topics", settings.topicList());
        s.put("group", settings.getGroup());
        s.put("partitions", lag.size());
        s.put("lag", lag.values().stream().mapToLong(Long::longValue).sum());
        s.put("committedRecords", committedRecords);
        return s;
    }

    private void run() {
        long pause = 1000;
        while (running) {
            try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(settings.consumerProperties())) {
                c.subscribe(settings.topicList(), new Rebalance());
                while (running) {
                    ConsumerRecords<byte[], byte[]> records = c.poll(POLL);
                    if (!records.isEmpty()) {
                        handle(c, records);
                        pause = 1000;
                    }
                    state = c.assignment().isEmpty()
                            ? "WAITING: no partition assigned yet (broker unreachable, topic missing, or every partition read by other replicas)"
                            : "UP";
                    measureLag(c);
                }
            } catch (Exception e) {
                if (!running) {
                    break;
                }
                state = "DOWN: " + e.getMessage();
                LOG.warn("Kafka ingest paused {} ms; it resumes from the last committed offsets: {}", pause, e.toString());
                sleep(pause);
                pause = Math.min(pause * 2, 30_000);
            } finally {
                lag.clear();
                publishLag();
            }
        }
        state = "STOPPED";
    }

    /**
     * One poll's records: the events go to the journal in one commit (with one audit entry naming
     * the topic, partitions and offsets), the refused records to the rejection table and the
     * dead-letter topic, and then the offsets are committed — never before.
     */
    private void handle(KafkaConsumer<byte[], byte[]> c, ConsumerRecords<byte[], byte[]> records) throws Exception {
        List<ConsumerRecord<byte[], byte[]>> list = new ArrayList<>(records.count());
        List<byte[]> bodies = new ArrayList<>(records.count());
        Map<TopicPartition, OffsetAndMetadata> next = new HashMap<>();
        Map<String, Object> ranges = new LinkedHashMap<>();
        for (TopicPartition tp : records.partitions()) {
            List<ConsumerRecord<byte[], byte[]>> part = records.records(tp);
            list.addAll(part);
            part.forEach(r -> bodies.add(r.value() == null ? new byte[0] : r.value()));
            long last = part.get(part.size() - 1).offset();
            next.put(tp, new OffsetAndMetadata(last + 1));
            ranges.put(tp.topic() + "/" + tp.partition(), part.get(0).offset() + "-" + last);
        }
        AuditLog.Entry entry = new AuditLog.Entry("kafka:" + settings.getGroup(), Roles.PRODUCER, "lineage.kafka",
                String.join(",", settings.topicList()), Map.of("records", list.size(), "offsets", ranges), settings.getBootstrap());
        List<IngestService.Outcome> outcomes;
        try {
            outcomes = ingest.ingestEach(bodies, entry).get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("the journal did not commit: " + e.getCause().getMessage(), e.getCause());
        }
        List<KafkaRejections.Rejected> refused = new ArrayList<>();
        int fresh = 0;
        for (int i = 0; i < outcomes.size(); i++) {
            IngestService.Outcome o = outcomes.get(i);
            if (o.refused() == null) {
                fresh += o.fresh() ? 1 : 0;
                continue;
            }
            ConsumerRecord<byte[], byte[]> r = list.get(i);
            refused.add(new KafkaRejections.Rejected(r.topic(), r.partition(), r.offset(), text(r.key()), o.refused(), bodies.get(i),
                    deadLetter(r, o.refused())));
        }
        if (!refused.isEmpty()) {
            rejections.record(refused);
            LOG.warn("{} Kafka record(s) are not OpenLineage events and were set aside (GET /api/v1/kafka/rejections); first: {} {}/{}@{}: {}",
                    refused.size(), refused.get(0).error().error(), refused.get(0).topic(), refused.get(0).partition(), refused.get(0).offset(),
                    refused.get(0).error().detail());
        }
        c.commitSync(next);
        committedRecords += list.size();
        metrics.kafkaRecords(fresh, list.size() - refused.size() - fresh, refused.size());
    }

    /** The refused record, unchanged, on the dead-letter topic with headers saying why; waits for the broker's ack. */
    private String deadLetter(ConsumerRecord<byte[], byte[]> r, InvalidEventException why) throws Exception {
        String topic = settings.getDeadLetterTopic();
        if (topic == null) {
            return null;
        }
        if (deadLetters == null) {
            deadLetters = new KafkaProducer<>(settings.producerProperties());
        }
        ProducerRecord<byte[], byte[]> out = new ProducerRecord<>(topic, null, r.key(), r.value());
        out.headers().add("waymark.error", why.error().getBytes(StandardCharsets.UTF_8))
                .add("waymark.detail", why.detail().getBytes(StandardCharsets.UTF_8))
                .add("waymark.field", String.valueOf(why.field()).getBytes(StandardCharsets.UTF_8))
                .add("waymark.source", (r.topic() + "/" + r.partition() + "@" + r.offset()).getBytes(StandardCharsets.UTF_8));
        RecordMetadata sent = deadLetters.send(out).get(60, TimeUnit.SECONDS);
        return sent.topic() + "/" + sent.partition() + "@" + sent.offset();
    }

    private void measureLag(KafkaConsumer<byte[], byte[]> c) {
        for (TopicPartition tp : c.assignment()) {
            OptionalLong behind = c.currentLag(tp);
            if (behind.isPresent()) {
                lag.put(tp, behind.getAsLong());
            }
        }
        lag.keySet().retainAll(c.assignment());
        publishLag();
    }

    /** Registers the lag gauge's rows when the partitions measured change; the rows read {@link #lag} when scraped. */
    private void publishLag() {
        Set<TopicPartition> partitions = Set.copyOf(lag.keySet());
        if (partitions.equals(published)) {
            return;
        }
        Map<List<String>, java.util.function.Supplier<Number>> rows = new HashMap<>();
        partitions.forEach(tp -> rows.put(List.of(tp.topic(), Integer.toString(tp.partition())), () -> lag.getOrDefault(tp, 0L)));
        metrics.liveTable("waymark_kafka_consumer_lag", "Records on an assigned partition not yet read by this replica's consumer",
                List.of("topic", "partition"), rows);
        published = partitions;
    }

    private static String text(byte[] key) {
        return key == null ? null : new String(key, StandardCharsets.UTF_8);
    }

    /** A pause that ends early when the server stops. */
    private void sleep(long millis) {
        long until = System.currentTimeMillis() + millis;
        try {
            while (running && System.currentTimeMillis() < until) {
                Thread.sleep(100);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private final class Rebalance implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            partitions.forEach(lag::remove);
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            LOG.info("Kafka partitions assigned to this replica: {}", partitions);
        }
    }

    /**
     * Stops at a poll boundary: a batch being appended finishes (its offsets are committed) before
     * the consumer leaves the group, so the partitions pass to another replica without a re-read.
     */
    @PreDestroy
    void close() throws InterruptedException {
        if (thread == null) {
            return;
        }
        // No wakeup(): it would also break a commitSync after an append, and a poll returns within POLL anyway.
        running = false;
        thread.join(TimeUnit.SECONDS.toMillis(30));
        if (deadLetters != null) {
            deadLetters.close(Duration.ofSeconds(5));
        }
    }
}
