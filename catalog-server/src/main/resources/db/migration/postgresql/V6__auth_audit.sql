-- PostgreSQL variant of ../sqlite/V6__auth_audit.sql: BIGINT keys, triggers through a function.
-- API tokens: only a SHA-256 of each token is stored (tokens are 256-bit random, so a fast hash
-- is enough; nothing of the token itself can be recovered). Revocation is recorded, rows stay.
CREATE TABLE api_token (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    role        TEXT NOT NULL,
    token_hash  TEXT NOT NULL UNIQUE,
    created_at  TEXT NOT NULL,
    created_by  TEXT NOT NULL,
    revoked_at  TEXT
);

-- The audit log: append-only, each entry chained to the one before by a SHA-256 over its content
-- and the previous hash, so a changed, removed or inserted row breaks the chain from there on.
CREATE TABLE audit_log (
    seq        BIGINT PRIMARY KEY,
    at         TEXT NOT NULL,
    actor      TEXT NOT NULL,
    role       TEXT,
    action     TEXT NOT NULL,
    target     TEXT,
    detail     TEXT,
    remote     TEXT,
    prev_hash  TEXT NOT NULL,
    hash       TEXT NOT NULL UNIQUE
);
CREATE INDEX audit_log_at ON audit_log (at);
CREATE INDEX audit_log_actor ON audit_log (actor, seq);
CREATE INDEX audit_log_action ON audit_log (action, seq);
-- Rows of append-only tables are never updated or deleted (PostgreSQL's triggers call a function).
CREATE FUNCTION waymark_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% is append-only', TG_TABLE_NAME;
END
$$;
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log FOR EACH ROW EXECUTE FUNCTION waymark_append_only();
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log FOR EACH ROW EXECUTE FUNCTION waymark_append_only();
