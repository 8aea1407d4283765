package io.waymark.catalog.governance;

import io.waymark.catalog.ops.Metrics;
import io.waymark.catalog.projection.GraphChange;
import io.waymark.catalog.projection.GraphChangeListener;
import io.waymark.policy.propagation.Propagation;
import io.waymark.policy.propagation.Protection;
import io.waymark.policy.taxonomy.Taxonomy;
import jakarta.inject.Singleton;
import org.neo4j.driver.Driver;
import org.neo4j.driver.Session;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Keeps PROPAGATED labels true after every projection commit: seeds are the confident labels
 * (steward-confirmed, value-detected) minus those a steward suppressed; the walk follows
 * DERIVES_FROM downstream from them only, over the in-memory {@link ColumnLineageGraph} (read
 * again only after column lineage changed), so its cost is the labelled part of the graph.
 * Derived state: a rebuild reproduces it exactly.
 */
@Singleton
public class Propagator implements GraphChangeListener {
    private static final Logger LOG = LoggerFactory.getLogger(Propagator.class);
    private static final int MAX_HOPS = 100;
    private static final String SEEDS = """
            MATCH (f:Field)-[r:CLASSIFIED_AS]->(c:Classification)
            WHERE ((r.source = 'STEWARD' AND r.status = 'CONFIRMED') OR (r.source = 'DETECTED' AND r.status = 'DETECTED')
                   OR r.source = 'DECLARED')
              AND NOT EXISTS { MATCH (f)-[s:CLASSIFIED_AS {source: 'STEWARD', status: 'SUPPRESSED'}]->(c) }
            RETURN f.key AS field, c.code AS code, coalesce(r.protection, 'CLEAR') AS protection
            ORDER BY field, code""";
    private static final String SUPPRESSED = """
            MATCH (f:Field)-[:CLASSIFIED_AS {source: 'STEWARD', status: 'SUPPRESSED'}]->(c:Classification)
            RETURN f.key AS field, c.code AS code""";
    private static final String ROLES = """
            UNWIND $jobs AS k MATCH (j:Job {key: k}) WHERE j.`ann.role` IS NOT NULL RETURN j.key AS job, j.`ann.role` AS role""";
    private static final String BLOCKS = """
            MATCH (j:Job) WHERE j.`ann.propagationBlocks` IS NOT NULL
            UNWIND j.`ann.propagationBlocks` AS code
            RETURN j.key AS job, code""";
    private static final String REMOVE = """
            UNWIND $rows AS row
            MATCH (f:Field {key: row.field})-[r:CLASSIFIED_AS {source: 'PROPAGATED'}]->(:Classification {code: row.code})
            DELETE r""";
    private static final String WRITE = """
            UNWIND $rows AS row
            MATCH (f:Field {key: row.field}) USING INDEX f:Field(key)
            MERGE (c:Classification {code: row.code})
            MERGE (f)-[r:CLASSIFIED_AS {source: 'PROPAGATED'}]->(c)
            SET r.status = 'ACTIVE', r.protection = row.protection, r.origin = row.origin, r.path = row.path, r.hops = size(row.path) - 1""";

    /** The propagated labels as they stand, in the shape the propagation rows have, to compare before writing. */
    private static final String CURRENT = """
            MATCH (f:Field)-[r:CLASSIFIED_AS {source: 'PROPAGATED'}]->(c:Classification)
            RETURN f.key AS field, c.code AS code, r.protection AS protection, r.origin AS origin, r.path AS path""";
    private static final String DATASETS_OF = """
            UNWIND $fields AS k MATCH (d:Dataset)-[:HAS_FIELD]->(:Field {key: k}) RETURN DISTINCT d.key AS key""";

    private final Driver driver;
    private final Taxonomy taxonomy;
    private final Metrics metrics;
    private final Set<String> changedDatasets = new LinkedHashSet<>();
    private final ColumnLineageGraph columnLineage = new ColumnLineageGraph();

    public Propagator(Driver driver, Taxonomy taxonomy, Metrics metrics) {
        this.driver = driver;
        this.metrics = metrics;
        this.taxonomy = taxonomy;
        InferredLabels.check(taxonomy);
    }

    @Override
    public void changed(GraphChange change) {
        if (!change.columnLineageOutputs().isEmpty()) {
            columnLineage.changed(change.columnLineageOutputs());
        }
        // Batches of plain run events (no labels, no column lineage, no role, every output with
        // column lineage) cannot change a propagated or suspected label.
        if (change.labelInputs() || change.uncoveredWrites()) {
            propagate();
        }
    }

    @Override
    public void reset() {
        columnLineage.invalidate();
        propagate();
    }

    /** Recomputes every propagated label from the current seeds and lineage, then the dataset-level suspected ones. */
    public void propagate() {
        long started = System.nanoTime();
        try (Session session = driver.session()) {
            Set<Propagation.Block> blocks = new java.util.HashSet<>();
            Map<String, Set<String>> blocksByJob = new HashMap<>();
            session.executeRead(tx -> tx.run(BLOCKS).list()).forEach(r -> {
                blocks.add(new Propagation.Block(r.get("job").asString(), r.get("code").asString()));
                blocksByJob.computeIfAbsent(r.get("job").asString(), k -> new java.util.HashSet<>()).add(r.get("code").asString());
            });
            long fields = System.nanoTime();
            String phases = fieldLabels(session, blocks);
            long suspected = System.nanoTime();
            Set<String> datasets = SuspectedLabels.recompute(session, blocksByJob);
            synchronized (changedDatasets) {
                changedDatasets.addAll(datasets);
            }
            long done = System.nanoTime();
            metrics.propagation(done - started);
            LOG.debug("propagation {} ms: blocks {} ms, field labels {} ms ({}), suspected dataset labels {} ms", (done - started) / 1_000_000,
                    (fields - started) / 1_000_000, (suspected - fields) / 1_000_000, phases, (done - suspected) / 1_000_000);
        } catch (RuntimeException e) {
            LOG.error("propagation failed; labels stay as they were until the next change", e);
        }
    }

    /** Recomputes the field labels; returns where the time went, for the debug log. */
    private String fieldLabels(Session session, Set<Propagation.Block> blocks) {
        long t0 = System.nanoTime();
        List<Propagation.Seed> seeds = new ArrayList<>();
        session.executeRead(tx -> tx.run(SEEDS).list()).forEach(r ->
                seeds.add(new Propagation.Seed(r.get("field").asString(), r.get("code").asString(), protection(r.get("protection").asString()))));
        boolean hadPropagated = session.executeRead(tx -> tx.run("MATCH ()-[r:CLASSIFIED_AS {source: 'PROPAGATED'}]->() RETURN r LIMIT 1").hasNext());
        if (seeds.isEmpty() && !hadPropagated) {
            return "no seeds";
        }
        long loaded = columnLineage.refresh(session);
        Set<String> seedFields = new LinkedHashSet<>();
        seeds.forEach(seed -> seedFields.add(seed.field()));
        List<Propagation.Edge> edges = columnLineage.walk(seedFields, MAX_HOPS);
        long walked = System.nanoTime();
        Set<String> jobs = new LinkedHashSet<>();
        edges.forEach(e -> jobs.add(e.job()));
        Map<String, String> roles = new HashMap<>();
        session.executeRead(tx -> tx.run(ROLES, Map.of("jobs", List.copyOf(jobs))).list())
                .forEach(r -> roles.put(r.get("job").asString(), r.get("role").asString()));
        Set<String> suppressed = new java.util.HashSet<>();
        session.executeRead(tx -> tx.run(SUPPRESSED).list()).forEach(r -> suppressed.add(r.get("field").asString() + "\u0000" + r.get("code").asString()));
        List<Map<String, Object>> rows = new ArrayList<>();
        for (Propagation.Result result : Propagation.run(seeds, edges, roles, blocks)) {
            if (!suppressed.contains(result.field() + "\u0000" + result.code())) {
                rows.add(Map.of("field", result.field(), "code", result.code(), "protection", result.protection().name(),
                        "origin", result.origin(), "path", result.path()));
            }
        }
        long computed = System.nanoTime();
        Map<String, Set<String>> codesByField = new HashMap<>();
        seeds.forEach(seed -> codesByField.computeIfAbsent(seed.field(), k -> new java.util.HashSet<>()).add(seed.code()));
        rows.forEach(r -> codesByField.computeIfAbsent((String) r.get("field"), k -> new java.util.HashSet<>()).add((String) r.get("code")));
        for (Map<String, Object> inferred : InferredLabels.rows(session, taxonomy, edges, codesByField, blocks)) {
            if (!suppressed.contains(inferred.get("field") + "\u0000" + inferred.get("code"))) {
                rows.add(inferred);
            }
        }
        long inferred = System.nanoTime();
        // Only a real difference is written, and the datasets it concerns are handed to compliance.
        Set<String> fields = DerivedLabels.replaceIfChanged(session, CURRENT, REMOVE, WRITE, rows, "field");
        String phases = seeds.size() + " seeds, " + edges.size() + " edges, " + rows.size() + " labels: seeds and walk " + (walked - t0) / 1_000_000
                + " ms, of which bringing the index of " + columnLineage.size() + " column-lineage edges up to date " + loaded
                + " ms, roles/suppressions/propagation " + (computed - walked) / 1_000_000 + " ms, inferred " + (inferred - computed) / 1_000_000
                + " ms, compare and write " + (System.nanoTime() - inferred) / 1_000_000 + " ms (" + fields.size() + " changed)";
        if (fields.isEmpty()) {
            return phases;
        }
        List<String> datasets = session.executeRead(tx -> tx.run(DATASETS_OF, Map.of("fields", List.copyOf(fields)))
                .list(r -> r.get("key").asString()));
        synchronized (changedDatasets) {
            changedDatasets.addAll(datasets);
        }
        return phases;
    }

    /** The datasets whose propagated labels changed since the last call (for re-evaluating their rules). */
    public Set<String> takeChangedDatasets() {
        synchronized (changedDatasets) {
            Set<String> taken = new LinkedHashSet<>(changedDatasets);
            changedDatasets.clear();
            return taken;
        }
    }

    private static Protection protection(String name) {
        try {
            return Protection.valueOf(name);
        } catch (IllegalArgumentException e) {
            return Protection.CLEAR;
        }
    }
}
