package io.waymark.catalog.lineage;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.neo4j.driver.Record;
import org.neo4j.driver.TransactionContext;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.waymark.catalog.api.JsonView.F;

/**
 * The classification overlay of a lineage graph: each node's active labels as
 * {@code classifications: [{field, code, protection}]} (Waymark's addition to Marquez's shape),
 * so a client can badge nodes without one request per node. A label a steward suppressed is
 * left out, as on the dataset page; a dataset's SUSPECTED labels come with {@code field: null}.
 */
final class LineageLabels {
    private static final String ACTIVE = "r.status <> 'SUPPRESSED' AND NOT EXISTS { (f)-[:CLASSIFIED_AS {status: 'SUPPRESSED'}]->(c) }";
    private static final String OF_DATASETS = """
            UNWIND $keys AS k MATCH (:Dataset {key: k})-[:HAS_FIELD]->(f:Field)-[r:CLASSIFIED_AS]->(c:Classification)
            WHERE %s
            RETURN DISTINCT k, f.name AS field, c.code AS code, coalesce(r.protection, 'CLEAR') AS protection
            UNION
            UNWIND $keys AS k MATCH (:Dataset {key: k})-[:SUSPECTED_AS]->(c:Classification)
            RETURN DISTINCT k, null AS field, c.code AS code, 'CLEAR' AS protection""".formatted(ACTIVE);
    private static final String OF_FIELDS = """
            UNWIND $keys AS k MATCH (f:Field {key: k})-[r:CLASSIFIED_AS]->(c:Classification)
            WHERE %s
            RETURN DISTINCT k, f.name AS field, c.code AS code, coalesce(r.protection, 'CLEAR') AS protection""".formatted(ACTIVE);

    private LineageLabels() {}

    static Map<String, ArrayNode> ofDatasets(TransactionContext tx, List<String> keys) {
        return read(tx, OF_DATASETS, keys);
    }

    static Map<String, ArrayNode> ofFields(TransactionContext tx, List<String> keys) {
        return read(tx, OF_FIELDS, keys);
    }

    private static Map<String, ArrayNode> read(TransactionContext tx, String query, List<String> keys) {
        Map<String, ArrayNode> labels = new HashMap<>();
        if (keys.isEmpty()) {
            return labels;
        }
        for (Record r : tx.run(query, Map.of("keys", keys)).list()) {
            ObjectNode label = labels.computeIfAbsent(r.get("k").asString(), k -> F.arrayNode()).addObject();
            label.put("field", r.get("field").asString(null)).put("code", r.get("code").asString()).put("protection", r.get("protection").asString());
        }
        return labels;
    }
}
