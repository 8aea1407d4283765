-- PostgreSQL variant of ../sqlite/V7__report_chain.sql: BIGINT key, triggers through a function.
-- Every signed report the instance issued, in order: its manifest (which names the SHA-256 of
-- the previous report's manifest) and digests, so a verifier can ask whether a report file is
-- the one issued as number N and whether it follows number N-1. Append-only like the audit log.
CREATE TABLE report (
    seq              BIGINT PRIMARY KEY,
    generated_at     TEXT NOT NULL,
    generated_by     TEXT NOT NULL,
    regulation       TEXT NOT NULL,
    format           TEXT NOT NULL,
    content_sha256   TEXT NOT NULL,
    manifest         TEXT NOT NULL,
    manifest_sha256  TEXT NOT NULL UNIQUE
);
CREATE TRIGGER report_no_update BEFORE UPDATE ON report FOR EACH ROW EXECUTE FUNCTION waymark_append_only();
CREATE TRIGGER report_no_delete BEFORE DELETE ON report FOR EACH ROW EXECUTE FUNCTION waymark_append_only();
