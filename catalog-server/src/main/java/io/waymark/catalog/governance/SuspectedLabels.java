package io.waymark.catalog.governance;

import org.neo4j.driver.Record;
import org.neo4j.driver.Session;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Dataset-level SUSPECTED labels (compliance-research §3.4): when a job reads a dataset holding
 * labelled data and writes another without column lineage, nobody can say which columns carry
 * the data, so the output is suspected of holding every code its inputs hold, unless a field of
 * it carries that code already or the job blocks the code. Suspicion travels on through further
 * writes without column lineage. Each label keeps the dataset it came from, the job and the path.
 * Derived state like PROPAGATED labels: recomputed whole, written only when it changed.
 */
final class SuspectedLabels {
    private static final int MAX_HOPS = 100;
    /** Codes held by fields of each dataset, readable (not anonymised or aggregated) and not suppressed. */
    private static final String LABELLED = """
            MATCH (d:Dataset)-[:HAS_FIELD]->(f:Field)-[r:CLASSIFIED_AS]->(c:Classification)
            WHERE r.status IN ['ACTIVE', 'CONFIRMED', 'DETECTED'] AND NOT coalesce(r.protection, 'CLEAR') IN ['AGGREGATED', 'ANONYMISED']
              AND NOT EXISTS { (f)-[:CLASSIFIED_AS {status: 'SUPPRESSED'}]->(c) }
            RETURN d.key AS dataset, collect(DISTINCT c.code) AS codes""";
    /** FEEDS edges whose job gave no column lineage for the output. */
    private static final String UNCOVERED = """
            UNWIND $keys AS k
            MATCH (a:Dataset {key: k})-[f:FEEDS]->(b:Dataset)
            WHERE NOT EXISTS { (b)-[:HAS_FIELD]->(:Field)-[:DERIVES_FROM {job: f.job}]->(:Field) }
            RETURN a.key AS in, b.key AS out, f.job AS job
            ORDER BY in, out, job""";
    private static final String CURRENT = """
            MATCH (d:Dataset)-[r:SUSPECTED_AS]->(c:Classification)
            RETURN d.key AS dataset, c.code AS code, r.origin AS origin, r.job AS job, r.path AS path""";
    private static final String REMOVE = """
            UNWIND $rows AS row
            MATCH (d:Dataset {key: row.dataset})-[r:SUSPECTED_AS]->(:Classification {code: row.code})
            DELETE r""";
    private static final String WRITE = """
            UNWIND $rows AS row
            MATCH (d:Dataset {key: row.dataset}) USING INDEX d:Dataset(key)
            MERGE (c:Classification {code: row.code})
            MERGE (d)-[r:SUSPECTED_AS]->(c)
            SET r.origin = row.origin, r.job = row.job, r.path = row.path""";

    private SuspectedLabels() {}

    private record Suspicion(String origin, String job, List<String> path) {}

    /** Recomputes the suspected labels; returns the datasets whose suspected labels changed. */
    static Set<String> recompute(Session session, Map<String, Set<String>> blocksByJob) {
        Map<String, Set<String>> held = new HashMap<>();
        for (Record r : session.executeRead(tx -> tx.run(LABELLED).list())) {
            held.put(r.get("dataset").asString(), new HashSet<>(r.get("codes").asList(v -> v.asString())));
        }
        // dataset -> code -> how the suspicion got there (first found, breadth first: shortest path)
        Map<String, Map<String, Suspicion>> suspected = new LinkedHashMap<>();
        List<String> frontier = new ArrayList<>(held.keySet());
        frontier.sort(String::compareTo);
        for (int hop = 0; hop < MAX_HOPS && !frontier.isEmpty(); hop++) {
            List<String> keys = List.copyOf(frontier);
            frontier.clear();
            Set<String> next = new LinkedHashSet<>();
            for (Record r : session.executeRead(tx -> tx.run(UNCOVERED, Map.of("keys", keys)).list())) {
                String in = r.get("in").asString();
                String out = r.get("out").asString();
                String job = r.get("job").asString();
                Set<String> blocked = blocksByJob.getOrDefault(job, Set.of());
                if (blocked.contains("*")) {
                    continue;
                }
                Map<String, Suspicion> carried = new LinkedHashMap<>();
                held.getOrDefault(in, Set.of()).forEach(code -> carried.put(code, new Suspicion(in, job, List.of(in, out))));
                suspected.getOrDefault(in, Map.of()).forEach((code, s) -> {
                    List<String> path = new ArrayList<>(s.path());
                    path.add(out);
                    carried.putIfAbsent(code, new Suspicion(s.origin(), job, List.copyOf(path)));
                });
                for (Map.Entry<String, Suspicion> e : carried.entrySet()) {
                    String code = e.getKey();
                    if (blocked.contains(code) || held.getOrDefault(out, Set.of()).contains(code)) {
                        continue;
                    }
                    if (suspected.computeIfAbsent(out, k -> new LinkedHashMap<>()).putIfAbsent(code, e.getValue()) == null) {
                        next.add(out);
                    }
                }
            }
            frontier.addAll(next);
        }
        List<Map<String, Object>> rows = new ArrayList<>();
        suspected.forEach((dataset, codes) -> codes.forEach((code, s) -> rows.add(
                Map.of("dataset", dataset, "code", code, "origin", s.origin(), "job", s.job(), "path", s.path()))));
        return DerivedLabels.replaceIfChanged(session, CURRENT, Map.of(), REMOVE, WRITE, rows, "dataset");
    }
}
