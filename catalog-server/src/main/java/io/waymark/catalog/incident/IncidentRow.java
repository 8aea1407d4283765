package io.waymark.catalog.incident;

/** An incident as the journal database keeps it ({@code detail} is JSON: reason, root cause, evidence). */
public record IncidentRow(String id, String kind, String subject, String namespace, String name, String episode, String state,
                          String severity, String title, String detail, String owner, String openedAt, String updatedAt,
                          String acknowledgedAt, String acknowledgedBy, String resolvedAt, String resolvedBy, String resolution) {
}
