package io.waymark.catalog;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * A real Apache Kafka broker (KRaft, broker and controller in one node) in a child JVM, from the
 * kafka_2.13 artifact on the test classpath: its storage formatted by Kafka's own StorageTool, then
 * {@code kafka.Kafka} started as {@code kafka-server-start.sh} would.
 */
final class KafkaBroker implements AutoCloseable {
    /** A listener that takes SASL/PLAIN authentication (user {@link #SASL_USER}, password {@link #SASL_PASSWORD}). */
    static final String SASL_USER = "waymark";
    static final String SASL_PASSWORD = "kafka-test-secret";
    final String bootstrap;
    final String saslBootstrap;
    private final Process process;
    private final Path log;

    private KafkaBroker(String bootstrap, String saslBootstrap, Process process, Path log) {
        this.bootstrap = bootstrap;
        this.saslBootstrap = saslBootstrap;
        this.process = process;
        this.log = log;
    }

    static KafkaBroker start(Path dir) throws IOException, InterruptedException {
        int port = freePort();
        int controller = freePort();
        int sasl = freePort();
        Path config = dir.resolve("server.properties");
        Files.createDirectories(dir);
        Files.writeString(config, String.join("\n",
                "process.roles=broker,controller",
                "node.id=1",
                "controller.quorum.voters=1@127.0.0.1:" + controller,
                "listeners=PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controller + ",SASL_PLAINTEXT://127.0.0.1:" + sasl,
                "advertised.listeners=PLAINTEXT://127.0.0.1:" + port + ",SASL_PLAINTEXT://127.0.0.1:" + sasl,
                "controller.listener.names=CONTROLLER",
                "inter.broker.listener.name=PLAINTEXT",
                "listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT,SASL_PLAINTEXT:SASL_PLAINTEXT",
                "sasl.enabled.mechanisms=PLAIN",
                "listener.name.sasl_plaintext.plain.sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required user_"
                        + SASL_USER + "=\"" + SASL_PASSWORD + "\";",
                "log.dirs=" + dir.resolve("data"),
                "num.partitions=3",
                "offsets.topic.replication.factor=1",
                "offsets.topic.num.partitions=3",
                "transaction.state.log.replication.factor=1",
                "transaction.state.log.min.isr=1",
                "share.coordinator.state.topic.replication.factor=1",
                "share.coordinator.state.topic.min.isr=1",
                "group.initial.rebalance.delay.ms=0",
                "") );
        Path log = dir.resolve("broker.log");
        Process format = new ProcessBuilder(java("kafka.tools.StorageTool", "format", "-t", Uuid.randomUuid().toString(), "-c", config.toString()))
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        if (!format.waitFor(2, TimeUnit.MINUTES) || format.exitValue() != 0) {
            format.destroyForcibly();
            throw new IllegalStateException("kafka storage format failed; see " + log);
        }
        Process process = new ProcessBuilder(java("kafka.Kafka", config.toString()))
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        KafkaBroker broker = new KafkaBroker("127.0.0.1:" + port, "127.0.0.1:" + sasl, process, log);
        long deadline = System.currentTimeMillis() + 120_000;
        while (System.currentTimeMillis() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the Kafka broker exited with " + process.exitValue() + "; see " + log);
            }
            try (Admin admin = broker.admin()) {
                admin.describeCluster().nodes().get(5, TimeUnit.SECONDS);
                return broker;
            } catch (Exception notYet) {
                Thread.sleep(250);
            }
        }
        broker.close();
        throw new IllegalStateException("the Kafka broker did not come up; see " + log);
    }

    Admin admin() {
        return Admin.create(Map.of("bootstrap.servers", bootstrap, "request.timeout.ms", 10_000, "default.api.timeout.ms", 20_000));
    }

    void createTopic(String name, int partitions) throws Exception {
        try (Admin admin = admin()) {
            admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1))).all().get(60, TimeUnit.SECONDS);
        }
    }

    /** Until {@code group}'s committed offsets reach the end of every partition of {@code topic} (2 minutes at most). */
    void awaitCommitted(String group, String topic, int partitions) throws Exception {
        try (Admin admin = admin()) {
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            for (int p = 0; p < partitions; p++) {
                latest.put(new TopicPartition(topic, p), OffsetSpec.latest());
            }
            Map<TopicPartition, Long> end = admin.listOffsets(latest).all().get(30, TimeUnit.SECONDS).entrySet().stream()
                    .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
            long until = System.currentTimeMillis() + 120_000;
            Map<TopicPartition, Long> committed = Map.of();
            while (System.currentTimeMillis() < until) {
                committed = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS).entrySet().stream()
                        .filter(e -> e.getValue() != null).collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
                if (committed.equals(end)) {
                    return;
                }
                Thread.sleep(200);
            }
            throw new AssertionError("group " + group + " did not commit to the end: committed " + committed + ", end " + end);
        }
    }

    /** The settings OpenLineage's Kafka transport (or any producer) needs to reach this broker. */
    Properties producerProperties() {
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrap);
        p.put("key.serializer", "org.apache.kafka.common.serialization.StringSerializer");
        p.put("value.serializer", "org.apache.kafka.common.serialization.StringSerializer");
        p.put("acks", "all");
        return p;
    }

    private static List<String> java(String main, String... args) {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx384m",
                "-cp", System.getProperty("java.class.path"), main));
        command.addAll(List.of(args));
        return command;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor();
        }
    }

    @Override
    public String toString() {
        return "Kafka " + bootstrap + " (log " + log + ")";
    }
}
