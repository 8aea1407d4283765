package io.waymark.policy.taxonomy;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TaxonomyTest {
    @Test
    void theShippedTaxonomyLoadsWithEveryFamily() {
        Taxonomy taxonomy = Taxonomy.load();
        assertTrue(taxonomy.all().size() >= 40);
        for (String family : new String[] {"PII", "PII.SPECIAL", "PHI", "PCI", "FIN"}) {
            assertTrue(taxonomy.all().stream().anyMatch(c -> c.family().equals(family)), family);
        }
        Classification pan = taxonomy.find("PCI.PAN").orElseThrow();
        assertEquals("PAN", pan.pciElement().orElseThrow());
        assertTrue(taxonomy.find("PII.SPECIAL.health").orElseThrow().gdprSpecial());
        assertEquals("H", taxonomy.find("PHI.id.mrn").orElseThrow().hipaaIdentifier().orElseThrow());
    }

    @Test
    void malformedTaxonomiesAreRefusedWithTheReason() {
        assertEquals("taxonomy: 'XYZ.foo' is not a code of the PII/PHI/PCI/FIN families", refuse("- {code: XYZ.foo, description: x}"));
        assertEquals("taxonomy: PII.a: unknown key 'colour'", refuse("- {code: PII.a, description: x, colour: red}"));
        assertEquals("taxonomy: duplicate code PII.a", refuse("- {code: PII.a, description: x}\n  - {code: PII.a, description: y}"));
        assertEquals("taxonomy: PII.a: personalData must be true or false", refuse("- {code: PII.a, description: x, personalData: maybe}"));
        assertEquals("taxonomy: PCI.x: pciElement must be one of " + java.util.Set.of("PAN", "CHD", "SAD", "none"),
                refuse("- {code: PCI.x, description: x, pciElement: FOO}"));
    }

    private static String refuse(String entries) {
        String doc = "kind: Taxonomy\nversion: 1\nclassifications:\n  " + entries + "\n";
        return assertThrows(IllegalArgumentException.class,
                () -> Taxonomy.parse(new ByteArrayInputStream(doc.getBytes(StandardCharsets.UTF_8)))).getMessage();
    }
}
