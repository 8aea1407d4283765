-- The schema the monitor last accepted for each dataset that downstream column lineage uses: a
-- later schema that drops or retypes a used field is a breaking change until it is reverted or a
-- person accepts it (resolving the incident), and only then does the baseline move.
CREATE TABLE monitor_schema (
    dataset_key  TEXT PRIMARY KEY,
    fields_json  TEXT NOT NULL,
    accepted_at  TEXT NOT NULL
);
