package io.waymark.catalog.projection;

import com.fasterxml.jackson.databind.JsonNode;
import org.neo4j.driver.TransactionContext;

import java.time.ZonedDateTime;
import java.util.HashMap;
import java.util.Map;

/**
 * Marquez's catalog edits, journaled like every governance action: a namespace's owner and
 * description and its soft deletion (its datasets and jobs with it; the next event in it brings it
 * back), tag definitions, and tags added to or removed from datasets, jobs and fields by hand.
 * Hand-made tags live beside the ones producers send (the tags facet replaces those on every
 * event): {@code stewardTags} adds, {@code hiddenTags} hides a producer's tag. A field tag that
 * names a classification code (PII.contact.email) is also a DECLARED label, as a producer's
 * column tag is; removing the tag removes that label.
 */
final class CatalogEdits {
    static final String TAG_SOURCE = "marquez-api";

    private static final String NAMESPACE = """
            MERGE (n:Namespace {name: $name})
            ON CREATE SET n.createdAt = $at
            SET n.ownerName = $ownerName, n.description = $description, n.isHidden = false, n.updatedAt = $at""";
    private static final String DELETE_NAMESPACE = """
            MATCH (n:Namespace {name: $name})
            SET n.isHidden = true, n.updatedAt = $at
            WITH n
            CALL (n) { MATCH (d:Dataset {namespace: n.name}) SET d.deleted = true, d.deletedAt = $at }
            CALL (n) { MATCH (j:Job {namespace: n.name}) SET j.deleted = true, j.deletedAt = $at }""";
    private static final String TAG_DEF = """
            MERGE (t:Tag {name: $tag}) SET t.description = $description""";
    /** %1$s the node's label; hidden only matters for a tag a producer sent. */
    private static final String TAG = """
            MERGE (t:Tag {name: $tag})
            WITH t MATCH (n:%1$s {key: $key})
            SET n.stewardTags = [x IN coalesce(n.stewardTags, []) WHERE x <> $tag] + CASE WHEN $add THEN [$tag] ELSE [] END,
                n.hiddenTags = [x IN coalesce(n.hiddenTags, []) WHERE x <> $tag] + CASE WHEN $add THEN [] ELSE [$tag] END""";
    private static final String FIELD_TAG = """
            MERGE (t:Tag {name: $tag})
            WITH t MATCH (d:Dataset {key: $datasetKey})
            MERGE (f:Field {key: $key})
            ON CREATE SET f.name = $field, f.search = toLower($field), f.dataset = $datasetKey, f.namespace = $namespace, f.datasetName = $datasetName
            MERGE (d)-[:HAS_FIELD]->(f)
            SET f.stewardTags = [x IN coalesce(f.stewardTags, []) WHERE x <> $tag] + CASE WHEN $add THEN [$tag] ELSE [] END""";
    private static final String UNDECLARE = """
            UNWIND $rows AS row
            MATCH (f:Field {key: row.fieldKey})-[r:CLASSIFIED_AS {source: 'DECLARED'}]->(c:Classification {code: row.code})
            WHERE r.tagSource = '%s'
            DELETE r
            """.formatted(TAG_SOURCE) + LabelStatements.SUPERSEDE_NAME;

    private CatalogEdits() {}

    static void add(String kind, JsonNode entry, ZonedDateTime at, ProjectionBatch batch) {
        Map<String, Object> row = new HashMap<>();
        entry.fields().forEachRemaining(f -> row.put(f.getKey(), f.getValue().isNull() ? null : f.getValue().isBoolean() ? f.getValue().asBoolean() : f.getValue().asText()));
        row.put("kind", kind);
        row.put("at", at);
        batch.edits.add(row);
        if ("Field".equals(row.get("label")) && GovernanceRows.isCode((String) row.get("tag"))) {
            Map<String, Object> label = new HashMap<>();
            label.put("datasetKey", row.get("datasetKey"));
            label.put("namespace", row.get("namespace"));
            label.put("datasetName", row.get("datasetName"));
            label.put("field", row.get("field"));
            label.put("fieldKey", row.get("key"));
            label.put("code", row.get("tag"));
            label.put("tagSource", TAG_SOURCE);
            label.put("at", at);
            (kind.equals("TAG") ? batch.declared : batch.undeclared).add(label);
        }
    }

    /** In journal order, one statement each: edits are rare, and two edits of one node must not see each other half done. */
    static void write(TransactionContext tx, ProjectionBatch batch) {
        for (Map<String, Object> e : batch.edits) {
            Map<String, Object> p = new HashMap<>(e);
            switch ((String) e.get("kind")) {
                case "NAMESPACE" -> tx.run(NAMESPACE, p).consume();
                case "DELETE_NAMESPACE" -> tx.run(DELETE_NAMESPACE, p).consume();
                case "TAG_DEF" -> tx.run(TAG_DEF, p).consume();
                case "TAG", "UNTAG" -> {
                    p.put("add", e.get("kind").equals("TAG"));
                    tx.run("Field".equals(e.get("label")) ? FIELD_TAG : TAG.formatted("Dataset".equals(e.get("label")) ? "Dataset" : "Job"), p).consume();
                }
                default -> throw new IllegalArgumentException("unknown catalog edit " + e.get("kind"));
            }
        }
        GraphWriter.run(tx, UNDECLARE, batch.undeclared);
    }
}
