package io.waymark.catalog.governance;

import java.util.Set;

/**
 * Published after propagation committed new or removed propagated or suspected labels, naming the
 * datasets whose labels changed, for in-memory copies of labels (the lineage badge overlay).
 */
public record LabelsChanged(Set<String> datasets) {}
