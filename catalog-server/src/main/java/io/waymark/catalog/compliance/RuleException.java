package io.waymark.catalog.compliance;

/** An approved exception to one rule for one subject, valid until {@code expiresAt} unless revoked. */
public record RuleException(String id, String ruleId, String nodeId, String justification, String approver, String requestedBy,
                            String createdAt, String expiresAt, String revokedAt) {
}
