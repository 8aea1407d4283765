-- Approved exceptions to a rule for one subject: a FAIL becomes EXCEPTED (still listed) until the
-- exception expires or is revoked. Rows are never deleted: revocation is recorded.
CREATE TABLE rule_exception (
    id            TEXT PRIMARY KEY,
    rule_id       TEXT NOT NULL,
    node_id       TEXT NOT NULL,
    justification TEXT NOT NULL,
    approver      TEXT NOT NULL,
    requested_by  TEXT NOT NULL,
    created_at    TEXT NOT NULL,
    expires_at    TEXT NOT NULL,
    revoked_at    TEXT
);
CREATE INDEX rule_exception_subject ON rule_exception (rule_id, node_id);
