package io.waymark.catalog.compliance;

import org.neo4j.driver.Driver;
import org.neo4j.driver.Session;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Says which labels a finding rests on when no person set them: a detector's (from sample values)
 * or the classifier's on arrival (by name, type and description), with the confidence and the
 * detector's own explanation, so an auditor reading a FAIL can tell "detected by name,
 * confidence 0.9" from a steward's confirmation.
 */
final class LabelEvidence {
    private static final String LABELS = """
            UNWIND $keys AS k
            CALL (k) {
              MATCH (d:Dataset {key: k})-[:HAS_FIELD]->(f:Field)-[r:CLASSIFIED_AS]->(c:Classification)
              WHERE r.source IN ['NAME', 'DETECTED'] AND r.status = 'DETECTED'
                AND NOT EXISTS { (f)-[:CLASSIFIED_AS {status: 'SUPPRESSED'}]->(c) }
              RETURN f, r, c
              UNION
              MATCH (f:Field {key: k})-[r:CLASSIFIED_AS]->(c:Classification)
              WHERE r.source IN ['NAME', 'DETECTED'] AND r.status = 'DETECTED'
                AND NOT EXISTS { (f)-[:CLASSIFIED_AS {status: 'SUPPRESSED'}]->(c) }
              RETURN f, r, c
            }
            WITH k, f, r, c ORDER BY f.name, c.code LIMIT 10000
            RETURN k, collect(f.name + ': ' + c.code + ' detected ' + CASE r.source WHEN 'NAME' THEN 'by name' ELSE 'from sample values' END
                              + ', confidence ' + toString(r.confidence) + ' (' + r.explanation + ')')[..20] AS labels""";

    private LabelEvidence() {}

    /** For each subject key that has such labels, one line per label (at most 20). */
    static Map<String, List<String>> of(Driver driver, Collection<String> keys) {
        Map<String, List<String>> result = new HashMap<>();
        if (keys.isEmpty()) {
            return result;
        }
        try (Session session = driver.session()) {
            session.executeRead(tx -> tx.run(LABELS, Map.of("keys", List.copyOf(keys))).list())
                    .forEach(r -> result.put(r.get("k").asString(), r.get("labels").asList(org.neo4j.driver.Value::asString)));
        }
        return result;
    }
}
