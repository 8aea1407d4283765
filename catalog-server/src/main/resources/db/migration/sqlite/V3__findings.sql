-- Compliance findings with their history: a finding keeps its id (rule + subject) across
-- evaluations; first_seen/last_seen bracket when it held, resolved_at is set when it stops holding.
CREATE TABLE finding (
    id           TEXT PRIMARY KEY,
    rule_id      TEXT NOT NULL,
    rule_version TEXT NOT NULL,
    regulation   TEXT NOT NULL,
    severity     TEXT NOT NULL,
    outcome      TEXT NOT NULL,
    node_id      TEXT NOT NULL,
    title        TEXT NOT NULL,
    evidence     TEXT NOT NULL,
    remediation  TEXT NOT NULL,
    first_seen   TEXT NOT NULL,
    last_seen    TEXT NOT NULL,
    resolved_at  TEXT
);
CREATE INDEX finding_open ON finding (resolved_at, regulation, severity);
CREATE INDEX finding_node ON finding (node_id);
