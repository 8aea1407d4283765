-- The journal: every accepted OpenLineage event, verbatim, in arrival order.
-- Ids are assigned by the single journal writer, so id order is commit order and the
-- projector can follow the journal with a plain watermark.
CREATE TABLE lineage_event (
    id            INTEGER PRIMARY KEY,
    received_at   TEXT    NOT NULL,
    event_time    TEXT    NOT NULL,
    kind          TEXT    NOT NULL,
    event_type    TEXT,
    run_id        TEXT,
    job_namespace TEXT,
    job_name      TEXT,
    content_hash  TEXT    NOT NULL,
    payload       TEXT    NOT NULL
);
CREATE UNIQUE INDEX lineage_event_content_hash ON lineage_event (content_hash);
CREATE INDEX lineage_event_event_time ON lineage_event (event_time);
CREATE INDEX lineage_event_run_id ON lineage_event (run_id);

-- How far each consumer of the journal has got.
CREATE TABLE projection_state (
    name          TEXT   PRIMARY KEY,
    last_event_id BIGINT NOT NULL,
    updated_at    TEXT   NOT NULL
);

-- Events the projector could not apply; kept so an operator can see and replay them.
CREATE TABLE projection_error (
    event_id  BIGINT PRIMARY KEY,
    failed_at TEXT   NOT NULL,
    error     TEXT   NOT NULL
);
