package io.waymark.catalog.kafka;

import io.waymark.catalog.ingest.InvalidEventException;
import io.waymark.catalog.journal.Journal;
import io.waymark.catalog.model.Times;
import jakarta.inject.Singleton;
import org.jdbi.v3.core.statement.PreparedBatch;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Kafka records that are not OpenLineage events, kept in the journal database with their error so
 * the producer's owner can see what was refused: one row per (topic, partition, offset), so a
 * re-read after a crash records a record once. The newest {@link #KEPT} are kept; a producer that
 * sends only garbage cannot fill the disk through this table.
 */
@Singleton
public class KafkaRejections {
    static final int KEPT = 10_000;
    /** Payload characters kept per record; {@code payloadBytes} says how long it was. */
    static final int PAYLOAD_KEPT = 65_536;

    private final Journal journal;

    public KafkaRejections(Journal journal) {
        this.journal = journal;
    }

    record Rejected(String topic, int partition, long offset, String key, InvalidEventException error, byte[] payload, String deadLetter) {}

    void record(List<Rejected> refused) {
        String now = Times.format(Instant.now());
        journal.writeTransaction(h -> {
            PreparedBatch batch = h.prepareBatch("INSERT INTO ingest_rejection (received_at, topic, partition_no, record_offset, record_key, error, field, detail,"
                    + " payload, payload_bytes, dead_letter) VALUES (:at, :topic, :partition, :offset, :key, :error, :field, :detail, :payload, :bytes, :deadLetter)"
                    + " ON CONFLICT (topic, partition_no, record_offset) DO NOTHING");
            for (Rejected r : refused) {
                batch.bind("at", now).bind("topic", r.topic()).bind("partition", r.partition()).bind("offset", r.offset())
                        .bind("key", clean(r.key(), 1024)).bind("error", r.error().error()).bind("field", r.error().field())
                        .bind("detail", clean(r.error().detail(), 4096)).bind("payload", clean(new String(r.payload(), StandardCharsets.UTF_8), PAYLOAD_KEPT))
                        .bind("bytes", r.payload().length).bind("deadLetter", r.deadLetter()).add();
            }
            batch.execute();
            h.execute("DELETE FROM ingest_rejection WHERE id <= (SELECT max(id) FROM ingest_rejection) - " + KEPT);
            return null;
        });
    }

    /** Newest first. */
    public List<Map<String, Object>> list(int limit, int offset, String topic) {
        return journal.jdbi().withHandle(h -> h.createQuery("SELECT id, received_at, topic, partition_no, record_offset, record_key, error, field, detail,"
                        + " payload, payload_bytes, dead_letter FROM ingest_rejection WHERE (:topic IS NULL OR topic = :topic) ORDER BY id DESC LIMIT :limit OFFSET :offset")
                .bind("topic", topic).bind("limit", limit).bind("offset", offset)
                .mapToMap().list());
    }

    public long count(String topic) {
        return journal.jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM ingest_rejection WHERE (:topic IS NULL OR topic = :topic)")
                .bind("topic", topic).mapTo(Long.class).one());
    }

    /**
     * Text as PostgreSQL will store it: no NUL characters (a TEXT column refuses them) and at most
     * {@code max} characters. Bytes that are not UTF-8 were already replaced when decoding.
     */
    private static String clean(String s, int max) {
        if (s == null) {
            return null;
        }
        String t = s.replace('\u0000', '\uFFFD');
        return t.length() <= max ? t : t.substring(0, max);
    }
}
