-- Signed checkpoints of the audit chain: before retention deletes the oldest audit entries it
-- records the last deleted entry's seq and hash here, signed with the instance key, so the chain
-- still verifies from the checkpoint on (the first remaining entry's prev_hash is its hash).
CREATE TABLE audit_checkpoint (
    seq          INTEGER PRIMARY KEY,
    hash         TEXT NOT NULL,
    entry_at     TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    deleted      BIGINT NOT NULL,
    key_id       TEXT NOT NULL,
    signature    TEXT NOT NULL
);
-- Entries may go only up to a checkpoint: deleting anything newer is still refused.
DROP TRIGGER audit_log_no_delete;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
WHEN old.seq > (SELECT coalesce(max(seq), 0) FROM audit_checkpoint)
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only before its latest checkpoint'); END;
CREATE TRIGGER audit_checkpoint_no_update BEFORE UPDATE ON audit_checkpoint
BEGIN SELECT RAISE(ABORT, 'audit_checkpoint is append-only'); END;
CREATE TRIGGER audit_checkpoint_no_delete BEFORE DELETE ON audit_checkpoint
BEGIN SELECT RAISE(ABORT, 'audit_checkpoint is append-only'); END;
-- Every retention purge (and dry run asked through the API), with what it was asked and what it removed.
CREATE TABLE retention_purge (
    id           INTEGER PRIMARY KEY,
    started_at   TEXT NOT NULL,
    finished_at  TEXT NOT NULL,
    actor        TEXT NOT NULL,
    dry_run      INTEGER NOT NULL,
    request      TEXT NOT NULL,
    counts       TEXT NOT NULL
);
