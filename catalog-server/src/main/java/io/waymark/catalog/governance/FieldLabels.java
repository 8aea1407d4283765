package io.waymark.catalog.governance;

import io.waymark.policy.propagation.Propagation;
import io.waymark.policy.propagation.Protection;
import io.waymark.policy.taxonomy.Taxonomy;
import org.neo4j.driver.Record;
import org.neo4j.driver.Session;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Computes and writes the PROPAGATED field labels (propagated and inferred), for the whole graph
 * or for a region: the fields downstream of what changed. A region's labels depend only on the
 * seeds and edges on routes into it (at most {@code MAX_HOPS} edges long), and a propagation's
 * result for a field does not depend on what else it was given (see {@link Propagation#run}), so
 * recomputing a region over the edges upstream of it gives exactly what a whole recomputation
 * would; the stored labels outside it stay as they are.
 */
final class FieldLabels {
    static final int MAX_HOPS = 100;
    /**
     * A region whose routes hold more than 1/8 of all column-lineage edges is recomputed whole: reading
     * it by key cost 8-10 s for 287,353 of 395,823 edges (560 sources labelled at once) where one
     * whole recomputation cost 1.3-2 s, and a region of 3,128 edges about 110 ms.
     */
    private static final int WHOLE_GRAPH_SHARE = 8;
    /** Seeds: the confident labels (steward-confirmed, detected from values or by name, declared) no steward suppressed. */
    private static final String SEED_LABEL = """
            WHERE ((r.source = 'STEWARD' AND r.status = 'CONFIRMED') OR (r.source IN ['DETECTED', 'NAME'] AND r.status = 'DETECTED')
                   OR r.source = 'DECLARED')
              AND NOT EXISTS { MATCH (f)-[s:CLASSIFIED_AS {source: 'STEWARD', status: 'SUPPRESSED'}]->(c) }
            RETURN f.key AS field, c.code AS code, coalesce(r.protection, 'CLEAR') AS protection""";
    private static final String SEEDS = "MATCH (f:Field)-[r:CLASSIFIED_AS]->(c:Classification)\n" + SEED_LABEL;
    private static final String SEEDS_IN = "UNWIND $fields AS k MATCH (f:Field {key: k})-[r:CLASSIFIED_AS]->(c:Classification)\n" + SEED_LABEL;
    private static final String SUPPRESSED = """
            MATCH (f:Field)-[:CLASSIFIED_AS {source: 'STEWARD', status: 'SUPPRESSED'}]->(c:Classification)
            RETURN f.key AS field, c.code AS code""";
    private static final String SUPPRESSED_IN = """
            UNWIND $fields AS k MATCH (f:Field {key: k})-[:CLASSIFIED_AS {source: 'STEWARD', status: 'SUPPRESSED'}]->(c:Classification)
            RETURN f.key AS field, c.code AS code""";
    /** Stored propagated codes of fields outside a region (inferred ones excluded: they feed nothing). */
    private static final String PROPAGATED_IN = """
            UNWIND $fields AS k MATCH (f:Field {key: k})-[r:CLASSIFIED_AS {source: 'PROPAGATED'}]->(c:Classification)
            WHERE NOT coalesce(r.inferred, false)
            RETURN f.key AS field, c.code AS code""";
    private static final String ROLES = """
            UNWIND $jobs AS k MATCH (j:Job {key: k}) WHERE j.`ann.role` IS NOT NULL RETURN j.key AS job, j.`ann.role` AS role""";
    private static final String ROW = """
            RETURN f.key AS field, c.code AS code, r.protection AS protection, r.origin AS origin, r.path AS path,
                   coalesce(r.inferred, false) AS inferred""";
    /** The propagated labels as they stand, in the shape of the computed rows, to compare before writing. */
    private static final String CURRENT = "MATCH (f:Field)-[r:CLASSIFIED_AS {source: 'PROPAGATED'}]->(c:Classification)\n" + ROW;
    /** A region's stored labels: propagated ones on its fields, inferred ones on its datasets' fields. */
    private static final String CURRENT_IN = """
            CALL {
              UNWIND $fields AS k
              MATCH (f:Field {key: k})-[r:CLASSIFIED_AS {source: 'PROPAGATED'}]->(c:Classification) WHERE NOT coalesce(r.inferred, false)
              RETURN f, r, c
              UNION
              UNWIND $datasets AS d
              MATCH (:Dataset {key: d})-[:HAS_FIELD]->(f:Field)-[r:CLASSIFIED_AS {source: 'PROPAGATED', inferred: true}]->(c:Classification)
              RETURN f, r, c
            }
            """ + ROW;
    private static final String REMOVE = """
            UNWIND $rows AS row
            MATCH (f:Field {key: row.field})-[r:CLASSIFIED_AS {source: 'PROPAGATED'}]->(:Classification {code: row.code})
            DELETE r""";
    private static final String WRITE = """
            UNWIND $rows AS row
            MATCH (f:Field {key: row.field}) USING INDEX f:Field(key)
            MERGE (c:Classification {code: row.code})
            MERGE (f)-[r:CLASSIFIED_AS {source: 'PROPAGATED'}]->(c)
            SET r.status = 'ACTIVE', r.protection = row.protection, r.origin = row.origin, r.path = row.path, r.hops = size(row.path) - 1,
                r.inferred = row.inferred""";

    private final Session session;
    private final Taxonomy taxonomy;
    private final ColumnLineageGraph lineage;
    private final FieldDatasets fieldDatasets;
    private final Set<Propagation.Block> blocks;
    /** Where the time went, for the server's debug log. */
    final StringBuilder phases = new StringBuilder();
    /** The labels were recomputed for the whole graph (asked for, or a region too large to read by key). */
    boolean whole;

    FieldLabels(Session session, Taxonomy taxonomy, ColumnLineageGraph lineage, FieldDatasets fieldDatasets, Set<Propagation.Block> blocks) {
        this.session = session;
        this.taxonomy = taxonomy;
        this.lineage = lineage;
        this.fieldDatasets = fieldDatasets;
        this.blocks = blocks;
    }

    /** Recomputes every field's labels; returns the fields whose labels changed. */
    Set<String> all() {
        whole = true;
        long t0 = System.nanoTime();
        List<Propagation.Seed> seeds = seeds(SEEDS, Map.of());
        boolean hadPropagated = session.executeRead(tx -> tx.run("MATCH ()-[r:CLASSIFIED_AS {source: 'PROPAGATED'}]->() RETURN r LIMIT 1").hasNext());
        if (seeds.isEmpty() && !hadPropagated) {
            phases.append("no seeds");
            return Set.of();
        }
        Set<String> seedFields = new LinkedHashSet<>();
        seeds.forEach(seed -> seedFields.add(seed.field()));
        List<Propagation.Edge> edges = lineage.walk(seedFields, MAX_HOPS);
        Set<String> suppressed = suppressed(SUPPRESSED, Map.of());
        long read = System.nanoTime();
        Map<String, Set<String>> codes = new HashMap<>();
        List<Map<String, Object>> rows = propagated(seeds, edges, suppressed, null, codes);
        long computed = System.nanoTime();
        Set<String> candidates = InferredLabels.selectedBy(session, lineage, fieldDatasets, InferredLabels.health(codes));
        rows.addAll(inferred(candidates, codes, field -> true, suppressed));
        long inferred = System.nanoTime();
        Set<String> changed = DerivedLabels.replaceIfChanged(session, CURRENT, Map.of(), REMOVE, WRITE, rows, "field");
        phases.append(seeds.size()).append(" seeds, ").append(edges.size()).append(" edges, ").append(rows.size())
                .append(" labels: reading ").append(ms(read - t0)).append(" ms, propagation ").append(ms(computed - read))
                .append(" ms, inferred ").append(ms(inferred - computed)).append(" ms, compare and write ").append(ms(System.nanoTime() - inferred))
                .append(" ms (").append(changed.size()).append(" changed)");
        return changed;
    }

    /**
     * Recomputes the labels of the fields downstream of {@code changed} (and the inferred labels of
     * the datasets they or {@code dependencyDatasets} concern); returns the fields whose labels changed.
     */
    Set<String> region(Set<String> changed, Set<String> dependencyDatasets) {
        long t0 = System.nanoTime();
        Set<String> region = lineage.downstreamOf(changed, MAX_HOPS);
        List<Propagation.Edge> edges = lineage.upstreamOf(region, MAX_HOPS);
        if ((long) edges.size() * WHOLE_GRAPH_SHARE > lineage.size()) {
            phases.append("a region of ").append(region.size()).append(" fields over ").append(edges.size())
                    .append(" edges is recomputed with the whole graph: ");
            return all();
        }
        Set<String> cone = new LinkedHashSet<>(region);
        edges.forEach(e -> cone.add(e.in()));
        List<Propagation.Seed> seeds = seeds(SEEDS_IN, Map.of("fields", List.copyOf(cone)));
        Set<String> datasets = new LinkedHashSet<>(fieldDatasets.of(region));
        datasets.addAll(InferredLabels.selectedBy(session, lineage, fieldDatasets, region));
        datasets.addAll(dependencyDatasets);
        Set<String> suppressed = suppressed(SUPPRESSED_IN, Map.of("fields", List.copyOf(region)));
        long read = System.nanoTime();
        Map<String, Set<String>> codes = new HashMap<>();
        List<Map<String, Object>> rows = propagated(seeds, edges, suppressed, region, codes);
        long computed = System.nanoTime();
        rows.addAll(inferred(datasets, codes, region::contains, suppressed));
        long inferred = System.nanoTime();
        Set<String> written = DerivedLabels.replaceIfChanged(session, CURRENT_IN,
                Map.of("fields", List.copyOf(region), "datasets", List.copyOf(datasets)), REMOVE, WRITE, rows, "field");
        phases.append(region.size()).append(" fields in the region, ").append(cone.size()).append(" on routes into it, ")
                .append(seeds.size()).append(" seeds, ").append(edges.size()).append(" edges, ").append(datasets.size())
                .append(" datasets for inferred labels, ").append(rows.size()).append(" labels: reading ").append(ms(read - t0))
                .append(" ms, propagation ").append(ms(computed - read)).append(" ms, inferred ").append(ms(inferred - computed))
                .append(" ms, compare and write ").append(ms(System.nanoTime() - inferred)).append(" ms (").append(written.size()).append(" changed)");
        return written;
    }

    /**
     * Propagates, keeps the rows of the region's fields ({@code region} null: all), not suppressed,
     * and fills {@code codes} with those fields' codes (seeds and propagated).
     */
    private List<Map<String, Object>> propagated(List<Propagation.Seed> seeds, List<Propagation.Edge> edges, Set<String> suppressed,
                                                 Set<String> region, Map<String, Set<String>> codes) {
        Set<String> jobs = new LinkedHashSet<>();
        edges.forEach(e -> jobs.add(e.job()));
        Map<String, String> roles = new HashMap<>();
        session.executeRead(tx -> tx.run(ROLES, Map.of("jobs", List.copyOf(jobs))).list())
                .forEach(r -> roles.put(r.get("job").asString(), r.get("role").asString()));
        List<Map<String, Object>> rows = new ArrayList<>();
        for (Propagation.Result result : Propagation.run(seeds, edges, roles, blocks, MAX_HOPS)) {
            if ((region == null || region.contains(result.field())) && !suppressed.contains(result.field() + "\u0000" + result.code())) {
                rows.add(Map.of("field", result.field(), "code", result.code(), "protection", result.protection().name(),
                        "origin", result.origin(), "path", result.path(), "inferred", false));
                codes.computeIfAbsent(result.field(), k -> new HashSet<>()).add(result.code());
            }
        }
        seeds.stream().filter(s -> region == null || region.contains(s.field()))
                .forEach(s -> codes.computeIfAbsent(s.field(), k -> new HashSet<>()).add(s.code()));
        return rows;
    }

    /**
     * The inferred rows of these datasets, not suppressed. {@code known} says which fields' codes
     * {@code codes} holds in full; the stored codes of others are read when needed.
     */
    private List<Map<String, Object>> inferred(Set<String> datasets, Map<String, Set<String>> codes, java.util.function.Predicate<String> known,
                                               Set<String> suppressed) {
        Set<String> loaded = new HashSet<>();
        InferredLabels.Codes view = new InferredLabels.Codes() {
            @Override
            public Set<String> of(String field) {
                return codes.getOrDefault(field, Set.of());
            }

            @Override
            public void need(Collection<String> fields) {
                List<String> missing = fields.stream().filter(f -> !known.test(f) && loaded.add(f)).toList();
                if (missing.isEmpty()) {
                    return;
                }
                Map<String, Object> params = Map.of("fields", missing);
                seeds(SEEDS_IN, params).forEach(s -> codes.computeIfAbsent(s.field(), k -> new HashSet<>()).add(s.code()));
                session.executeRead(tx -> tx.run(PROPAGATED_IN, params).list())
                        .forEach(r -> codes.computeIfAbsent(r.get("field").asString(), k -> new HashSet<>()).add(r.get("code").asString()));
                suppressed.addAll(suppressed(SUPPRESSED_IN, params));
            }
        };
        List<Map<String, Object>> rows = new ArrayList<>();
        for (Map<String, Object> row : InferredLabels.rows(session, taxonomy, lineage, datasets, view, blocks)) {
            if (!suppressed.contains(row.get("field") + "\u0000" + row.get("code"))) {
                rows.add(row);
            }
        }
        return rows;
    }

    private List<Propagation.Seed> seeds(String query, Map<String, Object> params) {
        List<Propagation.Seed> seeds = new ArrayList<>();
        for (Record r : session.executeRead(tx -> tx.run(query, params).list())) {
            seeds.add(new Propagation.Seed(r.get("field").asString(), r.get("code").asString(), protection(r.get("protection").asString())));
        }
        return seeds;
    }

    private Set<String> suppressed(String query, Map<String, Object> params) {
        Set<String> suppressed = new HashSet<>();
        session.executeRead(tx -> tx.run(query, params).list()).forEach(r -> suppressed.add(r.get("field").asString() + "\u0000" + r.get("code").asString()));
        return suppressed;
    }

    private static Protection protection(String name) {
        try {
            return Protection.valueOf(name);
        } catch (IllegalArgumentException e) {
            return Protection.CLEAR;
        }
    }

    private static long ms(long nanos) {
        return nanos / 1_000_000;
    }
}
