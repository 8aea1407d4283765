package io.waymark.catalog.ingest;

/** The three OpenLineage event types, plus Waymark's own journaled operator actions. */
public enum EventKind {
    RUN, JOB, DATASET, DELETE_DATASET, DELETE_JOB, ANNOTATE, CLASSIFY, UNCLASSIFY, DETECT,
    /** Marquez's catalog edits: a namespace's owner and description, its (soft) deletion, tags and tag definitions. */
    NAMESPACE, DELETE_NAMESPACE, TAG, UNTAG, TAG_DEF
}
