package io.waymark.catalog.governance;

import io.waymark.policy.propagation.Propagation;
import io.waymark.policy.taxonomy.Classification;
import io.waymark.policy.taxonomy.Taxonomy;
import org.neo4j.driver.Record;
import org.neo4j.driver.Session;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Health data revealed without being copied (compliance-research §3.3; CJEU C-184/20): when an
 * output's rows are chosen, joined or grouped by a column holding health data (an INDIRECT
 * FILTER, JOIN, GROUP_BY or CONDITIONAL dependency, column- or dataset-level) and the output holds
 * personal data, the people in it are revealed as having that condition. The output's subject-key
 * columns (or, without one, its personal-data columns) get {@value #INFERRED}, as a PROPAGATED
 * label whose origin is the health column. Inferred labels do not propagate further (one pass).
 */
final class InferredLabels {
    static final String INFERRED = "PII.SPECIAL.health.inferred";
    private static final Set<String> SELECTING = Set.of("FILTER", "JOIN", "GROUP_BY", "CONDITIONAL");
    private static final String DATASET_OF = """
            UNWIND $fields AS k MATCH (d:Dataset)-[:HAS_FIELD]->(:Field {key: k}) RETURN k AS field, d.key AS dataset""";
    private static final String DEPENDENTS = """
            UNWIND $fields AS k
            MATCH (d:Dataset)-[e:DEPENDS_ON]->(:Field {key: k})
            WHERE e.subtype IN $selecting
            RETURN k AS field, d.key AS dataset, e.job AS job ORDER BY field, dataset, job""";
    private static final String FIELDS_OF = """
            UNWIND $datasets AS k MATCH (:Dataset {key: k})-[:HAS_FIELD]->(f:Field) RETURN k AS dataset, f.key AS field""";

    private InferredLabels() {}

    /**
     * Inferred label rows (field, code, protection, origin, path) for the given label state.
     * {@code codesByField} holds every field's labels after propagation (seeds included).
     */
    static List<Map<String, Object>> rows(Session session, Taxonomy taxonomy, List<Propagation.Edge> edges,
                                          Map<String, Set<String>> codesByField, Set<Propagation.Block> blocks) {
        List<String> health = codesByField.entrySet().stream()
                .filter(e -> e.getValue().stream().anyMatch(InferredLabels::revealsHealth)).map(Map.Entry::getKey).sorted().toList();
        if (health.isEmpty()) {
            return List.of();
        }
        // output dataset -> (health column it was selected by, job)
        Map<String, String[]> selectedBy = new TreeMap<>();
        Set<String> healthSet = Set.copyOf(health);
        List<Propagation.Edge> selecting = edges.stream()
                .filter(e -> "INDIRECT".equals(e.type()) && SELECTING.contains(e.subtype()) && healthSet.contains(e.in())).toList();
        Map<String, String> datasetOf = new LinkedHashMap<>();
        if (!selecting.isEmpty()) {
            session.executeRead(tx -> tx.run(DATASET_OF, Map.of("fields", selecting.stream().map(Propagation.Edge::out).distinct().toList())).list())
                    .forEach(r -> datasetOf.put(r.get("field").asString(), r.get("dataset").asString()));
        }
        for (Propagation.Edge e : selecting) {
            String dataset = datasetOf.get(e.out());
            if (dataset != null && !blocked(blocks, e.job())) {
                selectedBy.putIfAbsent(dataset, new String[] {e.in(), e.job()});
            }
        }
        for (Record r : session.executeRead(tx -> tx.run(DEPENDENTS, Map.of("fields", health, "selecting", List.copyOf(SELECTING))).list())) {
            if (!blocked(blocks, r.get("job").asString(null))) {
                selectedBy.putIfAbsent(r.get("dataset").asString(), new String[] {r.get("field").asString(), r.get("job").asString(null)});
            }
        }
        if (selectedBy.isEmpty()) {
            return List.of();
        }
        Map<String, List<String>> fieldsOf = new TreeMap<>();
        session.executeRead(tx -> tx.run(FIELDS_OF, Map.of("datasets", List.copyOf(selectedBy.keySet()))).list())
                .forEach(r -> fieldsOf.computeIfAbsent(r.get("dataset").asString(), k -> new ArrayList<>()).add(r.get("field").asString()));
        List<Map<String, Object>> rows = new ArrayList<>();
        selectedBy.forEach((dataset, why) -> {
            Set<String> keys = new TreeSet<>();
            Set<String> personal = new TreeSet<>();
            for (String field : fieldsOf.getOrDefault(dataset, List.of())) {
                for (String code : codesByField.getOrDefault(field, Set.of())) {
                    taxonomy.find(code).ifPresent(c -> {
                        if (c.subjectKey()) {
                            keys.add(field);
                        }
                        if (c.personalData()) {
                            personal.add(field);
                        }
                    });
                }
            }
            for (String field : keys.isEmpty() ? personal : keys) {
                if (!codesByField.getOrDefault(field, Set.of()).contains(INFERRED)) {
                    rows.add(Map.of("field", field, "code", INFERRED, "protection", "CLEAR", "origin", why[0], "path", List.of(why[0], field)));
                }
            }
        });
        return rows;
    }

    private static boolean revealsHealth(String code) {
        return code.startsWith("PHI.clinical.") || code.equals("PII.SPECIAL.health");
    }

    private static boolean blocked(Set<Propagation.Block> blocks, String job) {
        return job != null && (blocks.contains(new Propagation.Block(job, INFERRED)) || blocks.contains(new Propagation.Block(job, "*")));
    }

    /** The taxonomy must know the inferred code; checked once so a renamed code fails loudly at start-up. */
    static void check(Taxonomy taxonomy) {
        Classification c = taxonomy.find(INFERRED).orElseThrow(() -> new IllegalStateException("taxonomy lacks " + INFERRED));
        if (!c.gdprSpecial()) {
            throw new IllegalStateException(INFERRED + " must be a GDPR special category in the taxonomy");
        }
    }
}
