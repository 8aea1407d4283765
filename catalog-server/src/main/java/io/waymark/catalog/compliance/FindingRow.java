package io.waymark.catalog.compliance;

/** A finding as the journal database keeps it. */
public record FindingRow(String id, String ruleId, String ruleVersion, String regulation, String severity, String outcome,
                         String nodeId, String title, String evidence, String remediation,
                         String firstSeen, String lastSeen, String resolvedAt) {
}
