package io.waymark.catalog.governance;

import io.micronaut.context.event.ApplicationEventPublisher;
import io.waymark.catalog.ops.Metrics;
import io.waymark.catalog.projection.GraphChange;
import io.waymark.catalog.projection.GraphChangeListener;
import io.waymark.policy.propagation.Propagation;
import io.waymark.policy.taxonomy.Taxonomy;
import jakarta.inject.Singleton;
import org.neo4j.driver.Driver;
import org.neo4j.driver.Session;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Keeps derived labels true after every projection commit: PROPAGATED field labels (seeds are the
 * confident labels minus those a steward suppressed, walked downstream along DERIVES_FROM over the
 * in-memory {@link ColumnLineageGraph}) and dataset-level SUSPECTED labels. A batch that changed
 * labels or column lineage recomputes only the region downstream of what it changed
 * ({@link FieldLabels#region}); start-up, a rebuild and a job's new role or propagation blocks
 * recompute everything. Derived state: a rebuild reproduces it exactly.
 */
@Singleton
public class Propagator implements GraphChangeListener {
    private static final Logger LOG = LoggerFactory.getLogger(Propagator.class);
    private static final String BLOCKS = """
            MATCH (j:Job) WHERE j.`ann.propagationBlocks` IS NOT NULL
            UNWIND j.`ann.propagationBlocks` AS code
            RETURN j.key AS job, code""";
    /**
     * Whether a dataset's labels can matter to suspected labels: it has some (which may be stale),
     * or a job writes it or reads it without column lineage for its output.
     */
    private static final String SUSPICION_INVOLVES = """
            UNWIND $datasets AS k
            MATCH (d:Dataset {key: k})
            WHERE EXISTS { (d)-[:SUSPECTED_AS]->() }
               OR EXISTS { MATCH (d)-[f:FEEDS]->(b:Dataset) WHERE NOT EXISTS { (b)-[:HAS_FIELD]->(:Field)-[:DERIVES_FROM {job: f.job}]->(:Field) } }
               OR EXISTS { MATCH (:Dataset)-[f:FEEDS]->(d) WHERE NOT EXISTS { (d)-[:HAS_FIELD]->(:Field)-[:DERIVES_FROM {job: f.job}]->(:Field) } }
            RETURN count(d) > 0 AS involved""";

    private final Driver driver;
    private final Taxonomy taxonomy;
    private final Metrics metrics;
    private final Set<String> changedDatasets = new LinkedHashSet<>();
    private final ColumnLineageGraph columnLineage = new ColumnLineageGraph();

    private final ApplicationEventPublisher<LabelsChanged> published;

    public Propagator(Driver driver, Taxonomy taxonomy, Metrics metrics, ApplicationEventPublisher<LabelsChanged> published) {
        this.driver = driver;
        this.published = published;
        this.metrics = metrics;
        this.taxonomy = taxonomy;
        InferredLabels.check(taxonomy);
    }

    @Override
    public void changed(GraphChange change) {
        GraphChange.LabelChange labels = change.labels();
        if (!labels.columnLineageOutputs().isEmpty()) {
            columnLineage.changed(labels.columnLineageOutputs());
        }
        // Batches of plain run events (no labels, no column lineage, no role, every output with
        // column lineage) cannot change a propagated or suspected label.
        if (labels.jobRules()) {
            propagate();
        } else if (labels.any() || change.uncoveredWrites()) {
            run(labels, change.uncoveredWrites());
        }
    }

    @Override
    public void reset() {
        columnLineage.invalidate();
        propagate();
    }

    /** Recomputes every propagated label from the current seeds and lineage, then the dataset-level suspected ones. */
    public void propagate() {
        run(null, true);
    }

    /** {@code labels} null: everything; else the region downstream of what it names, and suspected labels if they can change. */
    private void run(GraphChange.LabelChange labels, boolean suspicionChanged) {
        long started = System.nanoTime();
        try (Session session = driver.session()) {
            Set<Propagation.Block> blocks = new HashSet<>();
            Map<String, Set<String>> blocksByJob = new HashMap<>();
            session.executeRead(tx -> tx.run(BLOCKS).list()).forEach(r -> {
                blocks.add(new Propagation.Block(r.get("job").asString(), r.get("code").asString()));
                blocksByJob.computeIfAbsent(r.get("job").asString(), k -> new HashSet<>()).add(r.get("code").asString());
            });
            long loaded = columnLineage.refresh(session);
            long fields = System.nanoTime();
            FieldDatasets fieldDatasets = new FieldDatasets(session);
            FieldLabels fieldLabels = new FieldLabels(session, taxonomy, columnLineage, fieldDatasets, blocks);
            Set<String> changedFields = Set.of();
            Set<String> touched = new LinkedHashSet<>();
            if (labels == null) {
                changedFields = fieldLabels.all();
            } else if (labels.any()) {
                Set<String> start = new LinkedHashSet<>(labels.fields());
                start.addAll(labels.columnLineageOutputs());
                changedFields = fieldLabels.region(start, labels.dependencyDatasets());
                touched.addAll(start);
            }
            Set<String> relabelled = new LinkedHashSet<>(fieldDatasets.of(changedFields));
            long suspected = System.nanoTime();
            String suspicion = "not affected";
            touched.addAll(changedFields);
            if (labels == null || suspicionChanged || involvesSuspicion(session, fieldDatasets.of(touched))) {
                relabelled.addAll(SuspectedLabels.recompute(session, blocksByJob));
                suspicion = "recomputed";
            }
            synchronized (changedDatasets) {
                changedDatasets.addAll(relabelled);
            }
            if (!relabelled.isEmpty()) {
                // Every write above has committed: a copy of labels read from now on sees them.
                published.publishEvent(new LabelsChanged(Set.copyOf(relabelled)));
            }
            long done = System.nanoTime();
            metrics.propagation(fieldLabels.whole, done - started);
            LOG.debug("propagation {} ms ({}): blocks and index {} ms (index update {} ms), field labels {} ms ({}), suspected dataset labels {} ms ({})",
                    (done - started) / 1_000_000, fieldLabels.whole ? "whole graph" : "region", (fields - started) / 1_000_000, loaded,
                    (suspected - fields) / 1_000_000, fieldLabels.phases, (done - suspected) / 1_000_000, suspicion);
        } catch (RuntimeException e) {
            LOG.error("propagation failed; labels stay as they were until the next change", e);
        }
    }

    private static boolean involvesSuspicion(Session session, Set<String> datasets) {
        return !datasets.isEmpty()
                && session.executeRead(tx -> tx.run(SUSPICION_INVOLVES, Map.of("datasets", List.copyOf(datasets))).single().get("involved").asBoolean());
    }

    /** The datasets whose propagated labels changed since the last call (for re-evaluating their rules). */
    public Set<String> takeChangedDatasets() {
        synchronized (changedDatasets) {
            Set<String> taken = new LinkedHashSet<>(changedDatasets);
            changedDatasets.clear();
            return taken;
        }
    }
}
