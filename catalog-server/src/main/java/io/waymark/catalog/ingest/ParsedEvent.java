package io.waymark.catalog.ingest;

import java.time.Instant;

/** The envelope of an accepted event: what the journal indexes; the payload itself stays verbatim. */
public record ParsedEvent(
        EventKind kind,
        Instant eventTime,
        String eventType,
        String runId,
        String jobNamespace,
        String jobName,
        String contentHash,
        String payload) {
}
