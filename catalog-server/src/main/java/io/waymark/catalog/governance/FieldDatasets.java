package io.waymark.catalog.governance;

import org.neo4j.driver.Session;

import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which dataset each field belongs to, for one recomputation of derived labels: read by key the
 * first time a field is asked about and kept, so the region, the inferred labels and the
 * suspicion check that follow do not read the same fields again.
 */
final class FieldDatasets {
    private static final String DATASETS_OF = """
            UNWIND $fields AS k MATCH (d:Dataset)-[:HAS_FIELD]->(:Field {key: k}) RETURN k AS field, d.key AS dataset""";

    private final Session session;
    private final Map<String, String> datasetOf = new HashMap<>();
    private final Set<String> read = new HashSet<>();

    FieldDatasets(Session session) {
        this.session = session;
    }

    /** The datasets of these fields, sorted. */
    Set<String> of(Collection<String> fields) {
        List<String> missing = fields.stream().filter(f -> !read.contains(f)).distinct().toList();
        if (!missing.isEmpty()) {
            session.executeRead(tx -> tx.run(DATASETS_OF, Map.of("fields", missing)).list())
                    .forEach(r -> datasetOf.put(r.get("field").asString(), r.get("dataset").asString()));
            read.addAll(missing);
        }
        Set<String> datasets = new TreeSet<>();
        fields.forEach(f -> {
            String d = datasetOf.get(f);
            if (d != null) {
                datasets.add(d);
            }
        });
        return datasets;
    }
}
