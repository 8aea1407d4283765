package io.waymark.policy.rules;

import java.util.List;
import java.util.Map;

/**
 * One rule of a pack: a read-only Cypher check whose rows are findings (FAIL unless the row says
 * UNKNOWN), an optional scope query naming the subjects it applies to, and the facts those
 * subjects must carry: a subject in scope without a required fact is UNKNOWN, never a pass.
 * {@code lineageReach} says the verdict on a subject depends on datasets more than one hop
 * upstream of it, so a change must re-evaluate everything downstream of it. {@code readsRuns}
 * says it reads run-level facts (runs, their inputs and outputs, states, data-quality results):
 * only such rules are re-evaluated after a routine run that changed nothing else.
 */
public record Rule(
        String id,
        String version,
        String title,
        String regulation,
        String citation,
        String severity,
        String description,
        String remediation,
        String subject,
        List<String> requiredFacts,
        Map<String, Object> params,
        String scope,
        String query,
        int timeoutSeconds,
        boolean lineageReach,
        boolean readsRuns,
        List<String> tests) {
}
