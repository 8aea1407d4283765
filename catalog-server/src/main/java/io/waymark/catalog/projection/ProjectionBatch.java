package io.waymark.catalog.projection;

import io.waymark.catalog.governance.AnnotationSchema;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The graph changes of a batch of journal entries, gathered as parameter rows so each kind of
 * change is one {@code UNWIND … MERGE} statement, whatever the batch size.
 */
final class ProjectionBatch {
    final List<Map<String, Object>> namespaceTimes = new ArrayList<>();
    final List<Map<String, Object>> datasets = new ArrayList<>();
    /** One row per schema facet seen: datasetKey, hash of the fields, the field rows. */
    final List<Map<String, Object>> schemas = new ArrayList<>();
    final List<Map<String, Object>> jobs = new ArrayList<>();
    final List<Map<String, Object>> jobParents = new ArrayList<>();
    final List<Map<String, Object>> runs = new ArrayList<>();
    final List<Map<String, Object>> runParents = new ArrayList<>();
    final List<Map<String, Object>> runIo = new ArrayList<>();
    final List<Map<String, Object>> staticIo = new ArrayList<>();
    /** A version for every dataset an event names (inputs too), for datasets no run has written yet. */
    final Map<String, String> seenVersions = new java.util.LinkedHashMap<>();
    final List<Map<String, Object>> columnLineage = new ArrayList<>();
    final List<Map<String, Object>> datasetDependencies = new ArrayList<>();
    final List<Map<String, Object>> symlinks = new ArrayList<>();
    final List<Map<String, Object>> owners = new ArrayList<>();
    final List<Map<String, Object>> deletes = new ArrayList<>();
    final List<Map<String, Object>> annotations = new ArrayList<>();
    final List<Map<String, Object>> classifications = new ArrayList<>();
    final List<Map<String, Object>> detections = new ArrayList<>();
    /** Catalog edits through Marquez's API, in journal order: namespaces, tags on nodes, tag definitions. */
    final List<Map<String, Object>> edits = new ArrayList<>();
    /** Declared labels a removed field tag took away. */
    final List<Map<String, Object>> undeclared = new ArrayList<>();
    /** Labels producers declared with a column-level OpenLineage tags facet. */
    final List<Map<String, Object>> declared = new ArrayList<>();
    final Set<String> touchedRuns = new LinkedHashSet<>();
    long lastEventId;
    /** Some output in this batch came without a columnLineage facet. */
    boolean uncoveredWrites;

    /** Jobs whose current READS/WRITES edges this batch may have changed. */
    Set<String> touchedJobs() {
        Set<String> keys = new LinkedHashSet<>();
        jobs.forEach(j -> keys.add((String) j.get("key")));
        runs.forEach(r -> keys.add((String) r.get("jobKey")));
        runIo.forEach(r -> keys.add((String) r.get("jobKey")));
        staticIo.forEach(r -> keys.add((String) r.get("jobKey")));
        deletes.forEach(d -> keys.add((String) d.get("key")));
        return keys;
    }

    /** Jobs and datasets whose deleted state this batch may have changed. */
    Set<String> touchedNodes() {
        Set<String> keys = touchedJobs();
        datasets.forEach(d -> keys.add((String) d.get("key")));
        annotations.forEach(a -> keys.add((String) a.get("key")));
        classifications.forEach(c -> keys.add((String) c.get("datasetKey")));
        detections.forEach(c -> keys.add((String) c.get("datasetKey")));
        declared.forEach(c -> keys.add((String) c.get("datasetKey")));
        edits.stream().filter(e -> e.get("datasetKey") != null).forEach(e -> keys.add((String) e.get("datasetKey")));
        edits.stream().filter(e -> "Job".equals(e.get("label"))).forEach(e -> keys.add((String) e.get("key")));
        return keys;
    }

    Set<String> touchedDatasets() {
        Set<String> keys = new LinkedHashSet<>();
        touchedNodes().stream().filter(k -> k.startsWith("dataset:")).forEach(keys::add);
        return keys;
    }

    /** Datasets read with data-quality assertions in this batch. */
    Set<String> dqDatasets() {
        Set<String> keys = new LinkedHashSet<>();
        runIo.stream().filter(r -> r.get("dqChecked") != null).forEach(r -> keys.add((String) r.get("dsKey")));
        return keys;
    }

    /**
     * The change as listeners see it. Column lineage counts as a label input only when an edge is
     * new or changed, and uncovered writes only when lineage edges between datasets changed: a
     * routine run repeating what the graph holds changes no propagated or suspected label, and
     * when it changed nothing but run-level facts it is {@code runsOnly}.
     */
    GraphChange change(GraphWriter.Written written) {
        Set<String> labelFields = new LinkedHashSet<>();
        classifications.forEach(r -> labelFields.add((String) r.get("fieldKey")));
        detections.forEach(r -> labelFields.add((String) r.get("fieldKey")));
        declared.forEach(r -> labelFields.add((String) r.get("fieldKey")));
        undeclared.forEach(r -> labelFields.add((String) r.get("fieldKey")));
        labelFields.addAll(written.arrivalLabelFields());
        boolean jobRules = annotations.stream().anyMatch(a -> "Job".equals(a.get("label"))
                && (((Map<?, ?>) a.get("props")).containsKey("ann.role") || ((Map<?, ?>) a.get("props")).containsKey("ann." + AnnotationSchema.PROPAGATION_BLOCKS)));
        GraphChange.LabelChange labels = new GraphChange.LabelChange(labelFields, written.fieldLineageOutputs(), written.dependencyDatasets(), jobRules);
        boolean runsOnly = !written.graphChanged() && !labels.any() && annotations.isEmpty() && deletes.isEmpty() && edits.isEmpty();
        return new GraphChange(touchedJobs(), touchedNodes(), labels, uncoveredWrites && !written.lineageSeeds().isEmpty(),
                written.lineageSeeds(), runsOnly);
    }
}
