package io.waymark.policy.rules;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
    }

    private static String refuse(String file, Map<String, Object> good, Map<String, Object> change) {
        Map<String, Object> rule = new HashMap<>(good);
        rule.putAll(change);
        return assertThrows(IllegalArgumentException.class, () -> RulePack.parse(file, rule)).getMessage();
    }
}
