-- Governance entries (annotations, steward classifications, deletes) name the node they change,
-- so a node's history is one indexed lookup.
ALTER TABLE lineage_event ADD COLUMN target TEXT;
CREATE INDEX lineage_event_target ON lineage_event (target, id);
