package io.waymark.policy.rules;

import java.util.Map;

/** A rule's verdict on one subject; {@code id} is stable (rule id + subject) so history can follow it. */
public record Finding(
        String id,
        String ruleId,
        String ruleVersion,
        String regulation,
        String severity,
        String outcome,
        String nodeId,
        String title,
        Map<String, Object> evidence,
        String remediation) {
}
