package io.waymark.catalog.journal;

/** One committed row of the journal. */
public record JournalEntry(
        long id,
        String receivedAt,
        String eventTime,
        String kind,
        String eventType,
        String runId,
        String jobNamespace,
        String jobName,
        String payload) {
}
