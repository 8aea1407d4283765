package io.waymark.catalog.journal;

/** A journal event the projector set aside because it fails on its own, with what the event was. */
public record ProjectionError(
        long eventId,
        String failedAt,
        String error,
        String kind,
        String eventType,
        String runId,
        String jobNamespace,
        String jobName,
        String receivedAt) {
}
