package io.waymark.catalog.projection;

import org.neo4j.driver.TransactionContext;

/**
 * Writes governance entries to the graph: annotations as {@code ann.<key>} properties, and the
 * labels of fields by source (DECLARED from tags, DETECTED by the classifier, STEWARD decisions).
 */
final class LabelStatements {
    /** The row's field, created under its dataset when column lineage or a label names it before a schema does. */
    private static final String FIELD_OF_ROW = """
            MATCH (d:Dataset {key: row.datasetKey}) USING INDEX d:Dataset(key)
            MERGE (f:Field {key: row.fieldKey})
            ON CREATE SET f.name = row.field, f.search = toLower(row.field), f.dataset = row.datasetKey,
                          f.namespace = row.namespace, f.datasetName = row.datasetName
            MERGE (d)-[:HAS_FIELD]->(f)
            """;

    /**
     * A label classified on arrival by name gives way to a steward's confirmed label or a declared
     * one of the same code on the field (status SUPERSEDED: the person's or producer's protection
     * decides, not the name's CLEAR), and takes its own status again when those go. Needs
     * {@code f} and {@code c} bound.
     */
    static final String SUPERSEDE_NAME = """
            WITH f, c
            CALL (f, c) {
              MATCH (f)-[n:CLASSIFIED_AS {source: 'NAME'}]->(c)
              SET n.status = CASE WHEN EXISTS { (f)-[s:CLASSIFIED_AS]->(c) WHERE (s.source = 'STEWARD' AND s.status = 'CONFIRMED') OR s.source = 'DECLARED' }
                             THEN 'SUPERSEDED' ELSE n.computedStatus END
            }
            """;

    /**
     * A steward's rejection of a label classified on arrival holds while the evidence it rejected
     * is the label's evidence, and is LIFTED when it differs (the label is up for review again).
     * Computed from the graph as it stands by both writers (a schema's labels, a decision), so the
     * result does not depend on which a batch wrote first. Needs {@code f} and {@code c} bound.
     */
    static final String LIFT = """
            WITH f, c
            CALL (f, c) {
              MATCH (f)-[s:CLASSIFIED_AS {source: 'STEWARD'}]->(c) WHERE s.evidence IS NOT NULL AND s.status IN ['SUPPRESSED', 'LIFTED']
              OPTIONAL MATCH (f)-[n:CLASSIFIED_AS {source: 'NAME'}]->(c)
              SET s.status = CASE WHEN n IS NOT NULL AND n.explanation <> s.evidence THEN 'LIFTED' ELSE 'SUPPRESSED' END
            }
            """;

    /**
     * Labels classified on arrival, from each dataset's latest schema in the batch (a dataset's
     * labels are a function of its latest schema, wherever batches are cut): the fields' NAME
     * labels not in it go, the others are written. Answers the fields whose labels it touched.
     */
    static final String ARRIVAL_LABELS = """
            UNWIND $rows AS row
            MATCH (d:Dataset {key: row.datasetKey}) USING INDEX d:Dataset(key)
            WITH d, row WHERE d.nameLabelsHash IS NULL OR d.nameLabelsHash <> row.hash
            SET d.nameLabelsHash = row.hash
            WITH d, row
            CALL (d, row) {
              OPTIONAL MATCH (d)-[:HAS_FIELD]->(f:Field)-[old:CLASSIFIED_AS {source: 'NAME'}]->(c:Classification)
              WHERE NOT (f.key + '|' + c.code) IN row.keep
              DELETE old
              RETURN collect(DISTINCT f.key) AS removed
            }
            CALL (d, row) {
              UNWIND row.labels AS label
              MATCH (f:Field {key: label.fieldKey}) USING INDEX f:Field(key)
              MERGE (c:Classification {code: label.code})
              MERGE (f)-[r:CLASSIFIED_AS {source: 'NAME'}]->(c)
              SET r.computedStatus = label.status, r.confidence = label.confidence, r.protection = label.protection,
                  r.detector = label.detector, r.explanation = label.explanation, r.origin = f.key
              """ + SUPERSEDE_NAME + LIFT + """
              RETURN collect(DISTINCT f.key) AS labelled
            }
            UNWIND removed + labelled AS k
            RETURN collect(DISTINCT k) AS keys""";

    /**
     * Labels classified on arrival for fields known only from column lineage: written to datasets
     * no schema has described (no {@code nameLabelsHash}; once a schema arrives, ARRIVAL_LABELS owns
     * the dataset's NAME labels and drops these), added once (a repeated event changes nothing).
     * Answers the fields that got a label.
     */
    static final String LINEAGE_FIELD_LABELS = """
            UNWIND $rows AS row
            MATCH (d:Dataset {key: row.datasetKey}) USING INDEX d:Dataset(key)
            WITH d, row WHERE d.nameLabelsHash IS NULL
            UNWIND row.labels AS label
            MATCH (d)-[:HAS_FIELD]->(f:Field {key: label.fieldKey})
            WHERE NOT EXISTS { (f)-[:CLASSIFIED_AS {source: 'NAME'}]->(:Classification {code: label.code}) }
            MERGE (c:Classification {code: label.code})
            CREATE (f)-[r:CLASSIFIED_AS {source: 'NAME'}]->(c)
            SET r.computedStatus = label.status, r.confidence = label.confidence, r.protection = label.protection,
                r.detector = label.detector, r.explanation = label.explanation, r.origin = f.key
            """ + SUPERSEDE_NAME + LIFT + """
            RETURN collect(DISTINCT f.key) AS keys""";

    /** Annotation values are {@code ann.<key>} properties; a null in the merge patch removes one. */
    private static final String ANNOTATIONS = """
            UNWIND $rows AS row
            MATCH (n:%1$s {key: row.key}) USING INDEX n:%1$s(key)
            SET n += row.props
            """;

    /** A steward's label, or a steward's suppression of a label (status SUPPRESSED). */
    private static final String CLASSIFICATIONS = """
            UNWIND $rows AS row
            MATCH (f:Field {key: row.fieldKey}) USING INDEX f:Field(key)
            MERGE (c:Classification {code: row.code})
            MERGE (f)-[r:CLASSIFIED_AS {source: 'STEWARD'}]->(c)
            SET r.status = row.status, r.protection = coalesce(row.protection, r.protection, 'CLEAR'), r.confidence = 1.0,
                r.origin = row.fieldKey, r.actor = row.actor, r.reason = row.reason, r.at = row.at, r.evidence = row.evidence
            """ + SUPERSEDE_NAME + LIFT;

    /** A detector run: the column's earlier DETECTED labels give way to the new ones (samples are never stored). */
    private static final String DETECTIONS = "UNWIND $rows AS row\n" + FIELD_OF_ROW + """
            WITH f, row
            CALL (f) { OPTIONAL MATCH (f)-[old:CLASSIFIED_AS {source: 'DETECTED'}]->() DELETE old }
            WITH f, row
            UNWIND row.labels AS label
            MERGE (c:Classification {code: label.code})
            MERGE (f)-[r:CLASSIFIED_AS {source: 'DETECTED'}]->(c)
            SET r.status = label.status, r.confidence = label.confidence, r.protection = label.protection,
                r.detector = label.detector, r.explanation = label.explanation, r.origin = row.fieldKey, r.at = row.at
            """;

    /** Labels a producer declared in the tags facet (source DECLARED); they stay until a steward suppresses them. */
    private static final String DECLARED = "UNWIND $rows AS row\n" + FIELD_OF_ROW + """
            MERGE (c:Classification {code: row.code})
            MERGE (f)-[r:CLASSIFIED_AS {source: 'DECLARED'}]->(c)
            SET r.status = 'ACTIVE', r.protection = coalesce(r.protection, 'CLEAR'), r.confidence = 1.0,
                r.origin = row.fieldKey, r.tagSource = row.tagSource
            """ + GraphWriter.MIN_MAX.formatted("r") + SUPERSEDE_NAME;

    private LabelStatements() {}

    static void write(TransactionContext tx, ProjectionBatch batch) {
        GraphWriter.run(tx, ANNOTATIONS.formatted("Dataset"), GraphWriter.byValue(batch.annotations, "label", "Dataset"));
        GraphWriter.run(tx, ANNOTATIONS.formatted("Job"), GraphWriter.byValue(batch.annotations, "label", "Job"));
        GraphWriter.run(tx, DETECTIONS, batch.detections);
        GraphWriter.run(tx, DECLARED, batch.declared);
        GraphWriter.run(tx, CLASSIFICATIONS, batch.classifications);
    }
}
