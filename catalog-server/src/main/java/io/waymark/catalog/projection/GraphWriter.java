package io.waymark.catalog.projection;

import org.neo4j.driver.TransactionContext;

import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Applies a {@link ProjectionBatch} in one transaction (a huge one writes part of it ahead, see
 * {@link WriteAhead}). Every statement is idempotent and keeps
 * first/last-seen as min/max of event times, so applying the same entries again changes nothing.
 * Lookups by key carry index hints: a plan made while the graph was still empty scans the label
 * instead, and inside one batch transaction that grows quadratically (measured: a first batch of
 * 500 events took minutes).
 */
final class GraphWriter {
    static final String MIN_MAX = """
            SET %1$s.firstSeen = CASE WHEN %1$s.firstSeen IS NULL OR row.at < %1$s.firstSeen THEN row.at ELSE %1$s.firstSeen END,
                %1$s.lastSeen = CASE WHEN %1$s.lastSeen IS NULL OR row.at > %1$s.lastSeen THEN row.at ELSE %1$s.lastSeen END
            """;
    /** Like MIN_MAX, for rows already folded into a first/last span. */
    private static final String SPAN = """
            SET %1$s.firstSeen = CASE WHEN %1$s.firstSeen IS NULL OR row.first < %1$s.firstSeen THEN row.first ELSE %1$s.firstSeen END,
                %1$s.lastSeen = CASE WHEN %1$s.lastSeen IS NULL OR row.last > %1$s.lastSeen THEN row.last ELSE %1$s.lastSeen END
            """;
    private static final String CREATED_UPDATED = """
            SET %1$s.createdAt = CASE WHEN %1$s.createdAt IS NULL OR row.at < %1$s.createdAt THEN row.at ELSE %1$s.createdAt END,
                %1$s.updatedAt = CASE WHEN %1$s.updatedAt IS NULL OR row.at > %1$s.updatedAt THEN row.at ELSE %1$s.updatedAt END
            """;

    /** An event in a namespace an operator deleted brings it back, as for datasets and jobs. */
    static final String NAMESPACES = """
            UNWIND $rows AS row
            MERGE (n:Namespace {name: row.name})
            SET n.isHidden = false
            """ + CREATED_UPDATED.formatted("n");

    static final String JOBS = """
            UNWIND $rows AS row
            MERGE (j:Job {key: row.key})
            ON CREATE SET j.namespace = row.namespace, j.name = row.name, j.search = row.search, j.type = 'BATCH'
            SET j += row.props, j.deleted = false
            """ + Facets.mergeStatement("j") + CREATED_UPDATED.formatted("j");

    private static final String JOB_PARENTS = """
            UNWIND $rows AS row
            MATCH (j:Job {key: row.key}) USING INDEX j:Job(key)
            MERGE (p:Job {key: row.parentKey})
            ON CREATE SET p.namespace = row.parentNamespace, p.name = row.parentName, p.search = toLower(row.parentName),
                          p.type = 'BATCH', p.deleted = false, p.createdAt = row.at, p.updatedAt = row.at
            MERGE (j)-[:PART_OF]->(p)
            SET j.parentKey = row.parentKey, j.parentName = row.parentName
            """;

    static final String DATASETS = """
            UNWIND $rows AS row
            MERGE (d:Dataset {key: row.key})
            ON CREATE SET d.namespace = row.namespace, d.name = row.name, d.search = row.search, d.type = row.type
            SET d += row.props, d.deleted = row.dropped,
                d.deletedAt = row.deletedAt,
                d.createdAt = CASE WHEN d.createdAt IS NULL OR row.first < d.createdAt THEN row.first ELSE d.createdAt END,
                d.updatedAt = CASE WHEN d.updatedAt IS NULL OR row.last > d.updatedAt THEN row.last ELSE d.updatedAt END
            """ + Facets.mergeStatement("d");

    /** Writes a dataset's fields only when its schema differs from the one written last. */
    private static final String FIELDS = """
            UNWIND $rows AS row
            MATCH (d:Dataset {key: row.datasetKey}) USING INDEX d:Dataset(key)
            WITH d, row WHERE NOT row.checkStored OR d.schemaHash IS NULL OR d.schemaHash <> row.hash
            SET d.schemaHash = row.hash
            WITH d, row
            UNWIND row.fields AS field
            MERGE (f:Field {key: field.key})
            ON CREATE SET f.name = field.name, f.search = field.search, f.dataset = row.datasetKey,
                          f.namespace = field.namespace, f.datasetName = field.datasetName
            SET f.type = field.type, f.description = field.description, f.ordinal = field.ordinal, f.parent = field.parent
            MERGE (d)-[:HAS_FIELD]->(f)
            """;

    private static final String SYMLINKS = """
            UNWIND $rows AS row
            MATCH (d:Dataset {key: row.key}) USING INDEX d:Dataset(key)
            MERGE (a:Dataset {key: row.aliasKey})
            ON CREATE SET a.namespace = row.namespace, a.name = row.name, a.search = row.search, a.type = 'DB_TABLE',
                          a.deleted = false, a.createdAt = row.at, a.updatedAt = row.at
            MERGE (d)-[s:SYMLINK_OF]->(a)
            SET s.type = row.type
            """;

    private static final String OWNERS = """
            UNWIND $rows AS row
            MATCH (n:%1$s {key: row.key}) USING INDEX n:%1$s(key)
            MERGE (o:Owner {name: row.owner})
            MERGE (n)-[r:OWNED_BY]->(o)
            SET r.type = row.type
            """;

    static final String RUNS = """
            UNWIND $rows AS row
            MERGE (r:Run {key: row.key})
            ON CREATE SET r.runId = row.runId
            SET r += row.props,
                r.jobKey = row.jobKey,
                r.nominalStartTime = coalesce(row.nominalStart, r.nominalStartTime),
                r.nominalEndTime = coalesce(row.nominalEnd, r.nominalEndTime),
                r.errorMessage = coalesce(row.errorMessage, r.errorMessage),
                r.startTime = CASE WHEN row.type IN ['START', 'RUNNING'] AND (r.startTime IS NULL OR row.at < r.startTime) THEN row.at ELSE r.startTime END,
                r.failTime = CASE WHEN row.type = 'FAIL' AND (r.failTime IS NULL OR row.at < r.failTime) THEN row.at ELSE r.failTime END,
                r.completeTime = CASE WHEN row.type = 'COMPLETE' AND (r.completeTime IS NULL OR row.at > r.completeTime) THEN row.at ELSE r.completeTime END,
                r.abortTime = CASE WHEN row.type = 'ABORT' AND (r.abortTime IS NULL OR row.at > r.abortTime) THEN row.at ELSE r.abortTime END
            """ + Facets.mergeStatement("r") + CREATED_UPDATED.formatted("r") + """
            WITH r, row
            // FAIL is sticky: Spark sends COMPLETE after FAIL for the same run. Otherwise the
            // terminal event with the latest eventTime decides, whatever order events arrived in.
            SET r.state = CASE
                    WHEN r.failTime IS NOT NULL THEN 'FAILED'
                    WHEN r.completeTime IS NOT NULL AND (r.abortTime IS NULL OR r.completeTime >= r.abortTime) THEN 'COMPLETED'
                    WHEN r.abortTime IS NOT NULL THEN 'ABORTED'
                    WHEN r.startTime IS NOT NULL THEN 'RUNNING'
                    ELSE 'NEW' END
            WITH r, row
            MATCH (j:Job {key: row.jobKey}) USING INDEX j:Job(key)
            MERGE (j)-[:HAS_RUN]->(r)
            """;

    private static final String RUN_PARENTS = """
            UNWIND $rows AS row
            MATCH (r:Run {key: row.key}) USING INDEX r:Run(key)
            MERGE (p:Run {key: row.parentKey})
            ON CREATE SET p.runId = row.parentRunId, p.state = 'NEW', p.jobKey = row.parentJobKey
            // A parent that sends no events of its own was created when a child named it (Marquez's client
            // requires both times); coalesce also fills a placeholder an older Waymark left without them.
            SET p.createdAt = coalesce(p.createdAt, row.at), p.updatedAt = coalesce(p.updatedAt, row.at)
            MERGE (r)-[:CHILD_OF]->(p)
            WITH p, row
            MATCH (pj:Job {key: row.parentJobKey}) USING INDEX pj:Job(key)
            MERGE (pj)-[:HAS_RUN]->(p)
            """;

    /** %1$s run-level type (READ/WROTE), %2$s current type (READS/WRITES). */
    static final String RUN_IO = """
            UNWIND $rows AS row
            MATCH (r:Run {key: row.runKey}) USING INDEX r:Run(key)
            MATCH (d:Dataset {key: row.dsKey}) USING INDEX d:Dataset(key)
            MERGE (r)-[e:%1$s]->(d)
            SET e.version = row.version, e.facets = coalesce(row.facets, e.facets), e.schema = coalesce(row.schema, e.schema),
                e.dqChecked = coalesce(row.dqChecked, e.dqChecked), e.dqFailed = coalesce(row.dqFailed, e.dqFailed),
                e.dqRowCount = coalesce(row.dqRowCount, e.dqRowCount)
            """ + MIN_MAX.formatted("e") + """
            WITH r, d, row
            MATCH (j:Job {key: row.jobKey}) USING INDEX j:Job(key)
            WITH r, d, row, j WHERE r.state <> 'FAILED'
            MERGE (j)-[c:%2$s]->(d)
            SET c.lastRunKey = CASE WHEN c.lastSeen IS NULL OR row.at >= c.lastSeen THEN row.runKey ELSE c.lastRunKey END
            """ + MIN_MAX.formatted("c");

    private static final String CURRENT_VERSION = """
            UNWIND $rows AS row
            MATCH (d:Dataset {key: row.dsKey}) USING INDEX d:Dataset(key)
            WITH d, row WHERE d.versionAt IS NULL OR row.at >= d.versionAt
            SET d.currentVersion = row.version, d.versionAt = row.at
            """;

    /**
     * Marquez gives every dataset a version, read-only inputs too: a dataset no write has
     * versioned takes the version of how it was first seen, and any write replaces it.
     */
    private static final String SEEN_VERSION = """
            UNWIND $rows AS row
            MATCH (d:Dataset {key: row.dsKey}) USING INDEX d:Dataset(key)
            WITH d, row WHERE d.currentVersion IS NULL
            SET d.currentVersion = row.version
            """;

    private static final String STATIC_IO = """
            UNWIND $rows AS row
            MATCH (j:Job {key: row.jobKey}) USING INDEX j:Job(key)
            MATCH (d:Dataset {key: row.dsKey}) USING INDEX d:Dataset(key)
            MERGE (j)-[c:%s]->(d)
            SET c.static = true
            """ + MIN_MAX.formatted("c");

    /** A failed run neither creates nor keeps a current edge: rebuild those edges of newly failed runs from the runs that did not fail. */
    private static final String FAILED_RUN_IO = """
            UNWIND $runKeys AS rk
            MATCH (j:Job)-[:HAS_RUN]->(r:Run {key: rk}) USING INDEX r:Run(key) WHERE r.state = 'FAILED'
            MATCH (r)-[:%1$s]->(d:Dataset)
            WITH DISTINCT j, d
            MATCH (j)-[c:%2$s]->(d)
            OPTIONAL MATCH (j)-[:HAS_RUN]->(ok:Run)-[o:%1$s]->(d) WHERE ok.state <> 'FAILED'
            WITH c, ok, o ORDER BY o.lastSeen DESC, ok.key
            WITH c, min(o.firstSeen) AS first, max(o.lastSeen) AS last, collect(ok.key)[0] AS lastRun
            FOREACH (_ IN CASE WHEN first IS NULL AND NOT coalesce(c.static, false) THEN [1] ELSE [] END | DELETE c)
            FOREACH (_ IN CASE WHEN first IS NOT NULL THEN [1] ELSE [] END | SET c.firstSeen = first, c.lastSeen = last, c.lastRunKey = lastRun)
            """;

    private static final String INPUT_FIELD = """
            MERGE (srcDataset:Dataset {key: row.inDatasetKey})
            ON CREATE SET srcDataset.namespace = row.inNamespace, srcDataset.name = row.inDataset, srcDataset.search = toLower(row.inDataset),
                          srcDataset.type = 'DB_TABLE', srcDataset.deleted = false, srcDataset.createdAt = row.at, srcDataset.updatedAt = row.at
            MERGE (srcField:Field {key: row.inKey})
            ON CREATE SET srcField.name = row.inName, srcField.search = toLower(row.inName), srcField.dataset = row.inDatasetKey,
                          srcField.namespace = row.inNamespace, srcField.datasetName = row.inDataset
            MERGE (srcDataset)-[:HAS_FIELD]->(srcField)
            """;

    /** What each written edge now holds, for {@link WriteCache}. */
    private static final String WRITTEN_EDGES = "collect([row.cacheKey, elementId(e), e.masking, e.description, e.firstSeen, e.lastSeen]) AS edges";
    /** Counts the rows whose edge is new or changed what propagation reads (masking): a repeated facet changes no label. */
    /** Which output fields gained or changed an edge (the propagation walk's index re-reads only those). */
    private static final String CHANGED_OUTPUTS = "WITH known, row, e\n"
            + "RETURN collect(DISTINCT CASE WHEN NOT known THEN row.outKey END) AS keys, " + WRITTEN_EDGES;
    /** As CHANGED_OUTPUTS, for dataset-level dependencies: which datasets gained or changed one. */
    private static final String CHANGED_DATASETS = "WITH known, row, e\n"
            + "RETURN collect(DISTINCT CASE WHEN NOT known THEN row.dsKey END) AS keys, " + WRITTEN_EDGES;

    /**
     * Moves the span of edges the graph already holds with the same masking and description (see
     * {@link WriteCache}), found by element id. Element ids are reused only after a delete, and these
     * edges are deleted only when a rebuild empties the graph (which clears the cache); the edge's
     * job and type are checked even so, and a mismatch clears the cache and retries the batch.
     */
    private static final String EXTEND = """
            UNWIND $rows AS row
            MATCH ()-[e:%1$s]->() WHERE elementId(e) = row.element
            WITH row, e WHERE e.job = row.jobKey AND e.type = row.type AND e.subtype = row.subtype
            """ + SPAN.formatted("e") + "RETURN count(*) AS matched";

    private static final String COLUMN_LINEAGE = "UNWIND $rows AS row\n" + INPUT_FIELD + """
            WITH row, srcField
            MATCH (outd:Dataset {key: row.outDatasetKey}) USING INDEX outd:Dataset(key)
            MERGE (outf:Field {key: row.outKey})
            ON CREATE SET outf.name = row.outName, outf.search = toLower(row.outName), outf.dataset = row.outDatasetKey,
                          outf.namespace = row.outNamespace, outf.datasetName = row.outDataset
            MERGE (outd)-[:HAS_FIELD]->(outf)
            WITH row, srcField, outf, EXISTS { (outf)-[old:DERIVES_FROM {job: row.jobKey, type: row.type, subtype: row.subtype}]->(srcField)
                                              WHERE coalesce(old.masking, false) = coalesce(row.masking, false) } AS known
            MERGE (outf)-[e:DERIVES_FROM {job: row.jobKey, type: row.type, subtype: row.subtype}]->(srcField)
            SET e.masking = row.masking, e.description = row.description
            """ + SPAN.formatted("e") + CHANGED_OUTPUTS;

    private static final String DATASET_DEPENDENCIES = "UNWIND $rows AS row\n" + INPUT_FIELD + """
            WITH row, srcField
            MATCH (d:Dataset {key: row.dsKey}) USING INDEX d:Dataset(key)
            WITH row, srcField, d, EXISTS { (d)-[old:DEPENDS_ON {job: row.jobKey, type: row.type, subtype: row.subtype}]->(srcField)
                                           WHERE coalesce(old.masking, false) = coalesce(row.masking, false) } AS known
            MERGE (d)-[e:DEPENDS_ON {job: row.jobKey, type: row.type, subtype: row.subtype}]->(srcField)
            SET e.masking = row.masking, e.description = row.description
            """ + SPAN.formatted("e") + CHANGED_DATASETS;

    private static final String DELETES = """
            UNWIND $rows AS row
            MATCH (n:%1$s {key: row.key}) USING INDEX n:%1$s(key)
            SET n.deleted = true, n.deletedAt = row.at
            """;

    private GraphWriter() {}

    /**
     * What a written batch changed beyond its rows: datasets whose upstream facts changed (see
     * {@link LineageFacts}), the output fields whose field-to-field DERIVES_FROM edges were added or
     * changed, the datasets whose dataset-level DEPENDS_ON edges were, and the fields of changed
     * schemas that hold (or lost) labels classified on arrival.
     */
    record Written(Set<String> lineageSeeds, boolean graphChanged, Set<String> fieldLineageOutputs, Set<String> dependencyDatasets,
                   Set<String> arrivalLabelFields) {
        boolean columnLineageChanged() {
            return !fieldLineageOutputs.isEmpty() || !dependencyDatasets.isEmpty();
        }
    }

    static LineageFacts factsBefore(TransactionContext tx, ProjectionBatch batch) {
        Set<String> jobs = batch.touchedJobs();
        Set<String> datasets = batch.touchedDatasets();
        return StatementTimings.timed("lineage facts before", jobs.size() + datasets.size(),
                () -> LineageFacts.read(tx, jobs, datasets, batch.dqDatasets()));
    }

    static Written write(TransactionContext tx, ProjectionBatch batch, WriteCache written) {
        return write(tx, batch, written, null);
    }

    /** Writes the batch, or what {@code ahead} (non-null) left of it. */
    static Written write(TransactionContext tx, ProjectionBatch batch, WriteCache written, WriteAhead.Ahead ahead) {
        Set<String> jobs = batch.touchedJobs();
        Set<String> datasets = batch.touchedDatasets();
        Set<String> dq = batch.dqDatasets();
        LineageFacts before = ahead != null ? ahead.factsBefore() : factsBefore(tx, batch);
        run(tx, NAMESPACES, namespaceRows(batch.namespaceTimes));
        run(tx, JOBS, batch.jobs);
        if (ahead == null) {
            run(tx, DATASETS, BatchFolding.datasets(batch.datasets));
        }
        run(tx, JOB_PARENTS, batch.jobParents);
        run(tx, FIELDS, written.changedSchemas(BatchFolding.schemaChanges(batch.schemas)));
        Set<String> arrivalLabelFields = changedKeys(tx, LabelStatements.ARRIVAL_LABELS, BatchFolding.latestSchemaLabels(batch.schemas));
        run(tx, SYMLINKS, batch.symlinks);
        run(tx, OWNERS.formatted("Dataset"), byValue(batch.owners, "label", "Dataset"));
        run(tx, OWNERS.formatted("Job"), byValue(batch.owners, "label", "Job"));
        run(tx, RUNS, batch.runs);
        run(tx, RUN_PARENTS, batch.runParents);
        List<Map<String, Object>> reads = byValue(batch.runIo, "dir", "READ");
        List<Map<String, Object>> writes = byValue(batch.runIo, "dir", "WROTE");
        if (ahead == null) {
            run(tx, RUN_IO.formatted("READ", "READS"), reads);
            run(tx, RUN_IO.formatted("WROTE", "WRITES"), writes);
        }
        StatementTimings.timed("run job versions", batch.runIo.size(), () -> {
            RunVersions.update(tx, batch.runIo);
            return null;
        });
        run(tx, CURRENT_VERSION, BatchFolding.latestPerDataset(writes));
        run(tx, SEEN_VERSION, batch.seenVersions.entrySet().stream()
                .map(e -> Map.<String, Object>of("dsKey", e.getKey(), "version", e.getValue())).toList());
        run(tx, STATIC_IO.formatted("READS"), byValue(batch.staticIo, "dir", "READ"));
        run(tx, STATIC_IO.formatted("WRITES"), byValue(batch.staticIo, "dir", "WROTE"));
        if (!batch.touchedRuns.isEmpty()) {
            List<String> runKeys = new ArrayList<>(batch.touchedRuns);
            StatementTimings.timed("failed runs' current edges", runKeys.size(), () -> {
                tx.run(FAILED_RUN_IO.formatted("READ", "READS"), Map.of("runKeys", runKeys)).consume();
                return tx.run(FAILED_RUN_IO.formatted("WROTE", "WRITES"), Map.of("runKeys", runKeys)).consume();
            });
        }
        Set<String> fieldLineageOutputs = lineageEdges(tx, written, "DERIVES_FROM", COLUMN_LINEAGE, BatchFolding.edges(batch.columnLineage, "outKey"), "outKey");
        Set<String> dependencyDatasets = lineageEdges(tx, written, "DEPENDS_ON", DATASET_DEPENDENCIES,
                BatchFolding.edges(batch.datasetDependencies, "dsKey"), "dsKey");
        arrivalLabelFields = new java.util.HashSet<>(arrivalLabelFields);
        arrivalLabelFields.addAll(changedKeys(tx, LabelStatements.LINEAGE_FIELD_LABELS,
                BatchFolding.lineageFieldLabels(batch.columnLineage, batch.datasetDependencies)));
        StatementTimings.timed("labels and catalog edits", batch.declared.size() + batch.edits.size(), () -> {
            LabelStatements.write(tx, batch);
            CatalogEdits.write(tx, batch);
            return null;
        });
        run(tx, DELETES.formatted("Dataset"), byValue(batch.deletes, "label", "Dataset"));
        run(tx, DELETES.formatted("Job"), byValue(batch.deletes, "label", "Job"));
        StatementTimings.timed("derived state (FEEDS, latest run)", jobs.size(), () -> {
            DerivedState.update(tx, jobs);
            return null;
        });
        LineageFacts.Changes changes = StatementTimings.timed("lineage facts after", jobs.size() + datasets.size(),
                () -> LineageFacts.changesSince(before, tx, jobs, datasets, dq));
        return new Written(changes.seeds(), changes.graphChanged(), fieldLineageOutputs, dependencyDatasets,
                arrivalLabelFields);
    }

    /**
     * Column-lineage edges of a batch: new or changed ones through the full statement (which returns
     * the keys whose edges it added or changed), repeated ones by element id or not at all.
     */
    private static Set<String> lineageEdges(TransactionContext tx, WriteCache cache, String type, String statement, List<Map<String, Object>> rows,
                                            String fromKey) {
        if (rows.isEmpty()) {
            return Set.of();
        }
        WriteCache.Split split = cache.split(type, rows, fromKey);
        Set<String> keys = Set.of();
        if (!split.merge().isEmpty()) {
            long started = System.nanoTime();
            org.neo4j.driver.Record result = tx.run(statement, Map.of("rows", split.merge())).single();
            keys = new java.util.LinkedHashSet<>(result.get("keys").asList(org.neo4j.driver.Value::asString));
            cache.wrote(result.get("edges").asList(v -> v.asList(x -> x.isNull() ? null : x.asObject())));
            StatementTimings.record(statement, split.merge().size(), started);
        }
        if (!split.extend().isEmpty()) {
            long started = System.nanoTime();
            String extend = EXTEND.formatted(type);
            long matched = tx.run(extend, Map.of("rows", split.extend())).single().get("matched").asLong();
            StatementTimings.record(extend, split.extend().size(), started);
            if (matched != split.extend().size()) {
                cache.clear();
                throw new WriteCache.Stale(type, split.extend().size(), matched);
            }
        }
        return keys;
    }

    /** Runs a lineage statement ending in a {@code keys} column: the keys whose edges it added or changed. */
    private static Set<String> changedKeys(TransactionContext tx, String statement, List<Map<String, Object>> rows) {
        if (rows.isEmpty()) {
            return Set.of();
        }
        long started = System.nanoTime();
        Set<String> keys = new java.util.LinkedHashSet<>(tx.run(statement, Map.of("rows", rows)).single().get("keys").asList(org.neo4j.driver.Value::asString));
        StatementTimings.record(statement, rows.size(), started);
        return keys;
    }

    static void run(TransactionContext tx, String statement, List<Map<String, Object>> rows) {
        if (!rows.isEmpty()) {
            long started = System.nanoTime();
            tx.run(statement, Map.of("rows", rows)).consume();
            StatementTimings.record(statement, rows.size(), started);
        }
    }

    static List<Map<String, Object>> byValue(List<Map<String, Object>> rows, String key, String value) {
        return rows.stream().filter(r -> value.equals(r.get(key))).toList();
    }

    /** One row per namespace with the batch's earliest and latest time, so MERGE sees each name once. */
    static List<Map<String, Object>> namespaceRows(List<Map<String, Object>> times) {
        Map<String, ZonedDateTime[]> span = new LinkedHashMap<>();
        for (Map<String, Object> t : times) {
            ZonedDateTime at = (ZonedDateTime) t.get("at");
            span.merge((String) t.get("name"), new ZonedDateTime[] {at, at},
                    (a, b) -> new ZonedDateTime[] {a[0].isBefore(b[0]) ? a[0] : b[0], a[1].isAfter(b[1]) ? a[1] : b[1]});
        }
        List<Map<String, Object>> rows = new ArrayList<>();
        span.forEach((name, s) -> {
            rows.add(Map.of("name", name, "at", s[0]));
            rows.add(Map.of("name", name, "at", s[1]));
        });
        return rows;
    }
}
