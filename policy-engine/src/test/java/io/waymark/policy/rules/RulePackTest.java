package io.waymark.policy.rules;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The shipped pack loads (so a broken rule file fails the build) and malformed rules are refused with the reason. */
class RulePackTest {
    @Test
    void theShippedPackLoadsWithARulePerRegulation() {
        RulePack pack = RulePack.load();
        for (String regulation : List.of("GDPR", "HIPAA", "SOX", "PCI-DSS")) {
            assertTrue(pack.rules().stream().anyMatch(r -> r.regulation().equals(regulation)), regulation);
        }
        for (Rule rule : pack.rules()) {
            for (String fixture : rule.tests()) {
                assertEquals(rule.id(), RulePack.yaml(RulePack.BASE + fixture).get("rule"), fixture);
            }
        }
    }

    @Test
    void malformedRulesAreRefused() {
        Map<String, Object> good = RulePack.yaml(RulePack.BASE + "pci/PCI-3.5.1-PAN-CLEARTEXT.yaml");
        String file = "pci/PCI-3.5.1-PAN-CLEARTEXT.yaml";
        assertEquals("pci/X.yaml: id must look like GDPR-A44-SLUG and match the file name", refuse("pci/X.yaml", good, Map.of()));
        assertTrue(refuse(file, good, Map.of("regulation", "CCPA")).contains("regulation must be one of"));
        assertTrue(refuse(file, good, Map.of("severity", "urgent")).contains("severity must be one of"));
        assertTrue(refuse(file, good, Map.of("version", "1")).contains("semver"));
        assertTrue(refuse(file, good, Map.of("tests", List.of("tests/x/pass-a.yaml"))).contains("fail- and one pass-"));
        assertTrue(refuse(file, good, Map.of("facts", Map.of("required", List.of("ann.country")))).contains("needs check.scope"));
        assertTrue(refuse(file, good, Map.of("check", Map.of("query", "MATCH (d:Dataset) RETURN d.key AS subject", "reads", List.of("runs"))))
                .contains("check.reads lists graph"));
    }

    /** A rule reading runs without saying so would keep stale findings after a routine run: the pack refuses it. */
    @Test
    void aCheckReadingRunsMustDeclareIt() {
        Map<String, Object> good = RulePack.yaml(RulePack.BASE + "pci/PCI-3.5.1-PAN-CLEARTEXT.yaml");
        String file = "pci/PCI-3.5.1-PAN-CLEARTEXT.yaml";
        for (String query : List.of("MATCH (j:Job)-[:HAS_RUN]->(r) RETURN j.key AS subject",
                "MATCH (r:Run)-[e:READ]->(d:Dataset) RETURN d.key AS subject",
                "MATCH (j:Job) WHERE j.latestRunState = 'FAILED' RETURN j.key AS subject",
                "MATCH ()-[e]->(d:Dataset) WHERE e.dqFailed IS NOT NULL RETURN d.key AS subject")) {
            assertTrue(refuse(file, good, Map.of("check", Map.of("query", query))).contains("declare check.reads: [graph, runs]"), query);
            assertTrue(RulePack.parse(file, with(good, Map.of("check", Map.of("query", query, "reads", List.of("graph", "runs")))))
                    .readsRuns(), query);
        }
        // Current inputs and outputs of a job are graph facts, not run facts.
        assertFalse(RulePack.parse(file, with(good, Map.of("check", Map.of("query", "MATCH (j:Job)-[:READS|WRITES]->(d) RETURN d.key AS subject"))))
                .readsRuns());
        long runRules = RulePack.load().rules().stream().filter(Rule::readsRuns).count();
        assertEquals(3, runRules, "SOX failed upstream run, SOX IPE data quality, PCI 3.2.1 purge evidence");
    }

    private static Map<String, Object> with(Map<String, Object> good, Map<String, Object> change) {
        Map<String, Object> rule = new HashMap<>(good);
        rule.putAll(change);
        return rule;
    }

    private static String refuse(String file, Map<String, Object> good, Map<String, Object> change) {
        return assertThrows(IllegalArgumentException.class, () -> RulePack.parse(file, with(good, change))).getMessage();
    }
}
