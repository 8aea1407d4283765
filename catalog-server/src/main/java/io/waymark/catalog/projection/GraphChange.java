package io.waymark.catalog.projection;

import java.util.Set;

/**
 * What one committed projection batch touched: jobs whose current READS/WRITES edges may have
 * changed, jobs and datasets whose properties may have, what changed that labels are derived
 * from ({@code labels}), whether a job wrote a dataset without column lineage while lineage
 * between datasets changed (which can make dataset-level SUSPECTED labels), and the datasets whose
 * upstream facts changed ({@code lineageSeeds}: what lies downstream of them needs lineage rules
 * re-evaluated). {@code runsOnly}: nothing but run-level facts changed (runs, their inputs and
 * outputs, states, statistics), so only rules that read runs can change their verdicts.
 */
public record GraphChange(Set<String> jobs, Set<String> nodes, LabelChange labels, boolean uncoveredWrites, Set<String> lineageSeeds,
                          boolean runsOnly) {

    /**
     * What decides propagated labels and changed in the batch: the fields whose own labels changed
     * (steward, detector, declared), the fields that gained or changed a DERIVES_FROM edge, the
     * datasets that gained or changed a dataset-level DEPENDS_ON edge, and whether a job's role or
     * propagation blocks changed (these reach every edge of the job).
     */
    public record LabelChange(Set<String> fields, Set<String> columnLineageOutputs, Set<String> dependencyDatasets, boolean jobRules) {
        public static final LabelChange NONE = new LabelChange(Set.of(), Set.of(), Set.of(), false);

        public boolean any() {
            return jobRules || !fields.isEmpty() || !columnLineageOutputs.isEmpty() || !dependencyDatasets.isEmpty();
        }
    }

    /** Whether anything that decides propagated labels changed (labels, new or changed column lineage, job roles). */
    public boolean labelInputs() {
        return labels.any();
    }
}
