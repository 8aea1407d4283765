package io.waymark.catalog.projection;

import java.util.Set;

/**
 * What one committed projection batch touched: jobs whose current READS/WRITES edges may have
 * changed, jobs and datasets whose properties may have, and whether anything that decides
 * propagated labels changed (labels, column lineage, job roles), and whether a job wrote a dataset
 * without column lineage (which can make dataset-level SUSPECTED labels).
 */
public record GraphChange(Set<String> jobs, Set<String> nodes, boolean labelInputs, boolean uncoveredWrites) {
}
