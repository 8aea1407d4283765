-- Messages taken from a Kafka topic that are not OpenLineage events (not JSON, missing fields, too
-- large): kept with their error so the producer's owner can see what was refused, while the consumer
-- goes on with the partition. One row per record (topic, partition, offset): a re-read after a crash
-- records it once. The payload is kept up to 64 KiB; payload_bytes says how long it was.
CREATE TABLE ingest_rejection (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    received_at    TEXT NOT NULL,
    topic          TEXT NOT NULL,
    partition_no   INTEGER NOT NULL,
    record_offset  INTEGER NOT NULL,
    record_key     TEXT,
    error          TEXT NOT NULL,
    field          TEXT,
    detail         TEXT NOT NULL,
    payload        TEXT,
    payload_bytes  INTEGER NOT NULL,
    dead_letter    TEXT
);
CREATE UNIQUE INDEX ingest_rejection_record ON ingest_rejection (topic, partition_no, record_offset);
