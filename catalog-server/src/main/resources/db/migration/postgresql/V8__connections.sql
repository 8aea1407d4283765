-- PostgreSQL variant of ../sqlite/V8__connections.sql: DOUBLE PRECISION for progress.
-- Discovery connections: where a database is and how to reach it. The password is either
-- encrypted with the instance key (password_enc) or only named as an environment variable
-- (password_env); it is never stored in clear. Scans record what they found, never a sampled value.
CREATE TABLE connection (
    name          TEXT PRIMARY KEY,
    jdbc_url      TEXT NOT NULL,
    username      TEXT,
    password_enc  TEXT,
    password_env  TEXT,
    include_json  TEXT NOT NULL,
    exclude_json  TEXT NOT NULL,
    sample_size   INTEGER NOT NULL,
    schedule      TEXT,
    created_at    TEXT NOT NULL,
    created_by    TEXT NOT NULL,
    updated_at    TEXT NOT NULL
);
CREATE TABLE connection_scan (
    id            TEXT PRIMARY KEY,
    connection    TEXT NOT NULL,
    state         TEXT NOT NULL,
    started_at    TEXT NOT NULL,
    finished_at   TEXT,
    tables        INTEGER NOT NULL,
    columns       INTEGER NOT NULL,
    progress      DOUBLE PRECISION NOT NULL,
    error         TEXT,
    changes_json  TEXT
);
CREATE INDEX connection_scan_by_connection ON connection_scan (connection, started_at);
