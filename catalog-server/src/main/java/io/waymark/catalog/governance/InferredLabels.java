package io.waymark.catalog.governance;

import io.waymark.policy.propagation.Propagation;
import io.waymark.policy.taxonomy.Classification;
import io.waymark.policy.taxonomy.Taxonomy;
import org.neo4j.driver.Record;
import org.neo4j.driver.Session;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
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
 * label marked inferred whose origin is the health column (of several, the first by key, then
 * job). Inferred labels do not propagate further (one pass). Computed per dataset, so a change
 * recomputes only the datasets it can reach.
 */
final class InferredLabels {
    static final String INFERRED = "PII.SPECIAL.health.inferred";
    private static final List<String> SELECTING = List.of("FILTER", "JOIN", "GROUP_BY", "CONDITIONAL");
    private static final String DEPENDENTS = """
            UNWIND $fields AS k
            MATCH (d:Dataset)-[e:DEPENDS_ON]->(:Field {key: k})
            WHERE e.subtype IN $selecting
            RETURN DISTINCT d.key AS dataset""";
    private static final String DEPENDENCIES = """
            UNWIND $datasets AS k
            MATCH (:Dataset {key: k})-[e:DEPENDS_ON]->(f:Field)
            WHERE e.subtype IN $selecting
            RETURN k AS dataset, f.key AS field, e.job AS job""";
    private static final String FIELDS_OF = """
            UNWIND $datasets AS k MATCH (:Dataset {key: k})-[:HAS_FIELD]->(f:Field) RETURN k AS dataset, f.key AS field""";
    private static final Comparator<String[]> FIRST_SOURCE = Comparator.comparing((String[] s) -> s[0])
            .thenComparing(s -> s[1], Comparator.nullsFirst(Comparator.naturalOrder()));

    private InferredLabels() {}

    /** The codes of fields (seeds and propagated labels, not inferred ones); fields it does not hold have none. */
    interface Codes {
        Set<String> of(String field);

        /** Makes sure these fields' codes are held (a scoped run reads the stored ones it lacks). */
        void need(Collection<String> fields);
    }

    /** The datasets whose rows these fields can select (column- or dataset-level). */
    static Set<String> selectedBy(Session session, ColumnLineageGraph lineage, FieldDatasets fieldDatasets, Collection<String> fields) {
        Set<String> datasets = new TreeSet<>();
        List<String> outs = lineage.from(fields).stream().filter(InferredLabels::selecting).map(Propagation.Edge::out).distinct().toList();
        datasets.addAll(fieldDatasets.of(outs));
        if (!fields.isEmpty()) {
            session.executeRead(tx -> tx.run(DEPENDENTS, Map.of("fields", List.copyOf(fields), "selecting", SELECTING)).list())
                    .forEach(r -> datasets.add(r.get("dataset").asString()));
        }
        return datasets;
    }

    /** The fields whose codes reveal health data. */
    static List<String> health(Map<String, Set<String>> codesByField) {
        return codesByField.entrySet().stream()
                .filter(e -> e.getValue().stream().anyMatch(InferredLabels::revealsHealth)).map(Map.Entry::getKey).sorted().toList();
    }

    /** Inferred label rows (field, code, protection, origin, path, inferred) of these datasets. */
    static List<Map<String, Object>> rows(Session session, Taxonomy taxonomy, ColumnLineageGraph lineage, Set<String> datasets,
                                          Codes codes, Set<Propagation.Block> blocks) {
        if (datasets.isEmpty()) {
            return List.of();
        }
        Map<String, List<String>> fieldsOf = new TreeMap<>();
        session.executeRead(tx -> tx.run(FIELDS_OF, Map.of("datasets", List.copyOf(datasets))).list())
                .forEach(r -> fieldsOf.computeIfAbsent(r.get("dataset").asString(), k -> new ArrayList<>()).add(r.get("field").asString()));
        // dataset -> (column that selects its rows, job)
        Map<String, List<String[]>> sources = new TreeMap<>();
        fieldsOf.forEach((dataset, fields) -> lineage.into(fields).stream().filter(InferredLabels::selecting)
                .forEach(e -> sources.computeIfAbsent(dataset, k -> new ArrayList<>()).add(new String[] {e.in(), e.job()})));
        for (Record r : session.executeRead(tx -> tx.run(DEPENDENCIES, Map.of("datasets", List.copyOf(datasets), "selecting", SELECTING)).list())) {
            sources.computeIfAbsent(r.get("dataset").asString(), k -> new ArrayList<>()).add(new String[] {r.get("field").asString(), r.get("job").asString(null)});
        }
        // the sources' codes first: only a dataset selected by a health column needs its own fields' codes
        Set<String> needed = new LinkedHashSet<>();
        sources.values().forEach(from -> from.forEach(s -> needed.add(s[0])));
        codes.need(needed);
        Map<String, String> origins = new TreeMap<>();
        sources.forEach((dataset, from) -> from.stream()
                .filter(s -> !blocked(blocks, s[1]) && codes.of(s[0]).stream().anyMatch(InferredLabels::revealsHealth))
                .min(FIRST_SOURCE)
                .ifPresent(why -> origins.put(dataset, why[0])));
        Set<String> fields = new LinkedHashSet<>();
        origins.keySet().forEach(dataset -> fields.addAll(fieldsOf.getOrDefault(dataset, List.of())));
        codes.need(fields);
        List<Map<String, Object>> rows = new ArrayList<>();
        origins.forEach((dataset, origin) -> rows.addAll(rows(taxonomy, fieldsOf.getOrDefault(dataset, List.of()), codes, origin)));
        return rows;
    }

    private static List<Map<String, Object>> rows(Taxonomy taxonomy, List<String> fields, Codes codes, String origin) {
        Set<String> keys = new TreeSet<>();
        Set<String> personal = new TreeSet<>();
        for (String field : fields) {
            for (String code : codes.of(field)) {
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
        List<Map<String, Object>> rows = new ArrayList<>();
        for (String field : keys.isEmpty() ? personal : keys) {
            if (!codes.of(field).contains(INFERRED)) {
                rows.add(Map.of("field", field, "code", INFERRED, "protection", "CLEAR", "origin", origin, "path", List.of(origin, field),
                        "inferred", true));
            }
        }
        return rows;
    }

    private static boolean selecting(Propagation.Edge e) {
        return "INDIRECT".equals(e.type()) && SELECTING.contains(e.subtype());
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
