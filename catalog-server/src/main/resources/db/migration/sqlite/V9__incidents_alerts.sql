-- Incidents: one per problem the monitor sees (a job failing, stuck or late; a dataset stale or
-- failing its quality checks; a compliance FAIL), kept while it lasts and after it is resolved.
-- episode names the occurrence (the failed run, the missed due time, the last write), so a problem
-- a person resolved by hand does not reopen until a new occurrence.
CREATE TABLE incident (
    id               TEXT PRIMARY KEY,
    kind             TEXT NOT NULL,
    subject          TEXT NOT NULL,
    namespace        TEXT NOT NULL,
    name             TEXT NOT NULL,
    episode          TEXT NOT NULL,
    state            TEXT NOT NULL,
    severity         TEXT NOT NULL,
    title            TEXT NOT NULL,
    detail           TEXT NOT NULL,
    owner            TEXT,
    opened_at        TEXT NOT NULL,
    updated_at       TEXT NOT NULL,
    acknowledged_at  TEXT,
    acknowledged_by  TEXT,
    resolved_at      TEXT,
    resolved_by      TEXT,
    resolution       TEXT
);
CREATE INDEX incident_problem ON incident (kind, subject, state);
CREATE INDEX incident_by_state ON incident (state, opened_at);
-- Each step of an incident's life: opened, updated episode, acknowledged, resolved (who, when, why).
CREATE TABLE incident_event (
    incident_id  TEXT NOT NULL,
    at           TEXT NOT NULL,
    action       TEXT NOT NULL,
    actor        TEXT NOT NULL,
    detail       TEXT
);
CREATE INDEX incident_event_by_incident ON incident_event (incident_id, at);
-- Notification channels. Secrets (webhook secret, Slack URL, PagerDuty routing key, SMTP password)
-- live only in secret_enc, encrypted with the instance key; settings holds the rest.
CREATE TABLE alert_channel (
    name         TEXT PRIMARY KEY,
    type         TEXT NOT NULL,
    settings     TEXT NOT NULL,
    secret_enc   TEXT,
    route        TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    created_by   TEXT NOT NULL
);
-- Every notification and its fate: retried with backoff until sent or out of attempts.
CREATE TABLE alert_delivery (
    id            TEXT PRIMARY KEY,
    channel       TEXT NOT NULL,
    incident_id   TEXT,
    action        TEXT NOT NULL,
    state         TEXT NOT NULL,
    attempts      INTEGER NOT NULL,
    last_error    TEXT,
    created_at    TEXT NOT NULL,
    next_attempt  TEXT,
    sent_at       TEXT,
    payload       TEXT NOT NULL
);
CREATE INDEX alert_delivery_pending ON alert_delivery (state, next_attempt);
CREATE INDEX alert_delivery_by_channel ON alert_delivery (channel, created_at);
