package io.waymark.catalog.journal;

/** An event about to be appended to the journal; {@code target} is the node a governance entry changes. */
public record NewEvent(
        String receivedAt,
        String eventTime,
        String kind,
        String eventType,
        String runId,
        String jobNamespace,
        String jobName,
        String contentHash,
        String payload,
        String target) {
}
