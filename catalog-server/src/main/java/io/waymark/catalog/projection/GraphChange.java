package io.waymark.catalog.projection;

import java.util.Set;

/**
 * What one committed projection batch touched: jobs whose current READS/WRITES edges may have
 * changed, jobs and datasets whose properties may have, whether anything that decides propagated
 * labels changed (labels, new or changed column lineage, job roles), whether a job wrote a
 * dataset without column lineage while lineage between datasets changed (which can make
 * dataset-level SUSPECTED labels), and the datasets whose upstream facts changed
 * ({@code lineageSeeds}: what lies downstream of them needs lineage rules re-evaluated).
 * {@code runsOnly}: nothing but run-level facts changed (runs, their inputs and outputs, states,
 * statistics), so only rules that read runs can change their verdicts.
 * {@code columnLineageOutputs}: the fields that gained or changed a DERIVES_FROM edge.
 */
public record GraphChange(Set<String> jobs, Set<String> nodes, boolean labelInputs, boolean uncoveredWrites, Set<String> lineageSeeds,
                          boolean runsOnly, Set<String> columnLineageOutputs) {
}
