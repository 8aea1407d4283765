/*
 * KafkaLoad: sends NDJSON OpenLineage events (LoadGen's `dump`) to a Kafka topic as OpenLineage's
 * Kafka transport does (the event's JSON as the value, a key that keeps a run's events in one
 * partition), then waits until a consumer group has committed every record, and prints how fast
 * the group drained them.
 *
 *   java -cp <a classpath with kafka-clients> KafkaLoad.java BOOTSTRAP TOPIC GROUP EVENTS.ndjson LABEL
 *
 * Prints one line: RESULT {"label":…,"events":n,"send_s":…,"drain_s":…,"events_per_s":…}, where
 * drain_s runs from the first send to the moment the group's committed offsets reach the end of
 * every partition (polled every 100 ms), and events_per_s = events / drain_s.
 */

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

public class KafkaLoad {
    private static final Pattern RUN_ID = Pattern.compile("\"runId\"\\s*:\\s*\"([^\"]+)\"");

    public static void main(String[] args) throws Exception {
        String bootstrap = args[0], topic = args[1], group = args[2], label = args[4];
        List<String> events = Files.readAllLines(Path.of(args[3])).stream().filter(l -> !l.isBlank()).toList();
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrap);
        p.put("acks", "all");
        p.put("linger.ms", "5");
        p.put("key.serializer", "org.apache.kafka.common.serialization.StringSerializer");
        p.put("value.serializer", "org.apache.kafka.common.serialization.StringSerializer");
        long start = System.nanoTime();
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(p)) {
            for (String event : events) {
                Matcher m = RUN_ID.matcher(event);
                producer.send(new ProducerRecord<>(topic, m.find() ? "run:" + m.group(1) : null, event));
            }
            producer.flush();
        }
        double sent = (System.nanoTime() - start) / 1e9;
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            TopicDescription description = admin.describeTopics(List.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS).get(topic);
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            description.partitions().forEach(info -> latest.put(new TopicPartition(topic, info.partition()), OffsetSpec.latest()));
            Map<TopicPartition, Long> end = new HashMap<>();
            admin.listOffsets(latest).all().get(30, TimeUnit.SECONDS).forEach((tp, info) -> end.put(tp, info.offset()));
            while (true) {
                Map<TopicPartition, Long> committed = new HashMap<>();
                admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS)
                        .forEach((tp, o) -> { if (o != null) committed.put(tp, o.offset()); });
                if (committed.entrySet().containsAll(end.entrySet())) {
                    break;
                }
                Thread.sleep(100);
            }
        }
        double drained = (System.nanoTime() - start) / 1e9;
        System.out.printf("RESULT {\"label\":\"%s\",\"events\":%d,\"send_s\":%.2f,\"drain_s\":%.2f,\"events_per_s\":%.1f}%n",
                label, events.size(), sent, drained, events.size() / drained);
    }
}
