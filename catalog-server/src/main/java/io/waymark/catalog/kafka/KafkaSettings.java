package io.waymark.catalog.kafka;

import io.micronaut.context.annotation.ConfigurationProperties;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;

/**
 * Where OpenLineage events come from over Kafka. Off unless {@code bootstrap} is set
 * ({@code WAYMARK_KAFKA_BOOTSTRAP}). The topics default to {@code openlineage} and the consumer
 * group to {@code waymark}, which replicas share so that each partition is read by one of them.
 * Security settings have their own variables (protocol, SASL mechanism and JAAS line, trust and key
 * stores); anything else a Kafka client accepts goes in a properties file
 * ({@code WAYMARK_KAFKA_PROPERTIES_FILE}), read first, so the named settings win over it.
 */
@ConfigurationProperties("waymark.kafka")
public class KafkaSettings {
    private String bootstrap;
    private String topics = "openlineage";
    private String group = "waymark";
    private String deadLetterTopic;
    private String propertiesFile;
    private String securityProtocol;
    private String saslMechanism;
    private String saslJaasConfig;
    private String sslTruststoreLocation;
    private String sslTruststorePassword;
    private String sslKeystoreLocation;
    private String sslKeystorePassword;
    private int maxPollRecords = 500;
    /** False in every command but {@code serve}: a rebuild or a {@code check} must not join the group and commit offsets. */
    private boolean enabled = true;

    /** Whether this process consumes: a bootstrap is set and it is the server. */
    public boolean consuming() {
        return enabled && bootstrap != null && !bootstrap.isBlank();
    }

    public List<String> topicList() {
        return Arrays.stream(topics.split(",")).map(String::strip).filter(t -> !t.isEmpty()).toList();
    }

    /**
     * The client settings shared by the consumer and the dead-letter producer: the properties file,
     * then the named settings. Offsets are Waymark's to commit, after the journal commit, so
     * auto-commit is forced off whatever the file says.
     */
    Properties clientProperties() {
        Properties p = new Properties();
        if (propertiesFile != null && !propertiesFile.isBlank()) {
            try (InputStream in = Files.newInputStream(Path.of(propertiesFile.strip()))) {
                p.load(in);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read WAYMARK_KAFKA_PROPERTIES_FILE " + propertiesFile + ": " + e.getMessage(), e);
            }
        }
        p.put("bootstrap.servers", bootstrap.strip());
        putIfSet(p, "security.protocol", securityProtocol);
        putIfSet(p, "sasl.mechanism", saslMechanism);
        putIfSet(p, "sasl.jaas.config", saslJaasConfig);
        putIfSet(p, "ssl.truststore.location", sslTruststoreLocation);
        putIfSet(p, "ssl.truststore.password", sslTruststorePassword);
        putIfSet(p, "ssl.keystore.location", sslKeystoreLocation);
        putIfSet(p, "ssl.keystore.password", sslKeystorePassword);
        return p;
    }

    Properties consumerProperties() {
        Properties p = clientProperties();
        p.put("group.id", group);
        p.putIfAbsent("client.id", "waymark-" + group);
        // Earliest: a new group reads what producers sent before Waymark first started.
        p.putIfAbsent("auto.offset.reset", "earliest");
        p.put("enable.auto.commit", "false");
        p.putIfAbsent("max.poll.records", Integer.toString(maxPollRecords));
        // A replica that dies (kill -9) holds its partitions until the group coordinator misses it for this
        // long; Kafka's 45 s default would leave them unread for most of a minute after a fail-over.
        p.putIfAbsent("session.timeout.ms", "10000");
        p.put("key.deserializer", "org.apache.kafka.common.serialization.ByteArrayDeserializer");
        p.put("value.deserializer", "org.apache.kafka.common.serialization.ByteArrayDeserializer");
        return p;
    }

    Properties producerProperties() {
        Properties p = clientProperties();
        p.putIfAbsent("client.id", "waymark-" + group + "-dead-letter");
        p.put("acks", "all");
        p.put("enable.idempotence", "true");
        p.put("key.serializer", "org.apache.kafka.common.serialization.ByteArraySerializer");
        p.put("value.serializer", "org.apache.kafka.common.serialization.ByteArraySerializer");
        return p;
    }

    private static void putIfSet(Properties p, String key, String value) {
        if (value != null && !value.isBlank()) {
            p.put(key, value.strip());
        }
    }

    public String getBootstrap() { return bootstrap; }
    public void setBootstrap(String bootstrap) { this.bootstrap = bootstrap; }
    public String getTopics() { return topics; }
    public void setTopics(String topics) { this.topics = topics; }
    public String getGroup() { return group; }
    public void setGroup(String group) { this.group = group; }
    public String getDeadLetterTopic() { return deadLetterTopic == null || deadLetterTopic.isBlank() ? null : deadLetterTopic.strip(); }
    public void setDeadLetterTopic(String deadLetterTopic) { this.deadLetterTopic = deadLetterTopic; }
    public String getPropertiesFile() { return propertiesFile; }
    public void setPropertiesFile(String propertiesFile) { this.propertiesFile = propertiesFile; }
    public String getSecurityProtocol() { return securityProtocol; }
    public void setSecurityProtocol(String securityProtocol) { this.securityProtocol = securityProtocol; }
    public String getSaslMechanism() { return saslMechanism; }
    public void setSaslMechanism(String saslMechanism) { this.saslMechanism = saslMechanism; }
    public String getSaslJaasConfig() { return saslJaasConfig; }
    public void setSaslJaasConfig(String saslJaasConfig) { this.saslJaasConfig = saslJaasConfig; }
    public String getSslTruststoreLocation() { return sslTruststoreLocation; }
    public void setSslTruststoreLocation(String sslTruststoreLocation) { this.sslTruststoreLocation = sslTruststoreLocation; }
    public String getSslTruststorePassword() { return sslTruststorePassword; }
    public void setSslTruststorePassword(String sslTruststorePassword) { this.sslTruststorePassword = sslTruststorePassword; }
    public String getSslKeystoreLocation() { return sslKeystoreLocation; }
    public void setSslKeystoreLocation(String sslKeystoreLocation) { this.sslKeystoreLocation = sslKeystoreLocation; }
    public String getSslKeystorePassword() { return sslKeystorePassword; }
    public void setSslKeystorePassword(String sslKeystorePassword) { this.sslKeystorePassword = sslKeystorePassword; }
    public boolean isEnabled() { return enabled; }
    public void setEnabled(boolean enabled) { this.enabled = enabled; }
    public int getMaxPollRecords() { return maxPollRecords; }
    public void setMaxPollRecords(int maxPollRecords) { this.maxPollRecords = maxPollRecords; }
}
