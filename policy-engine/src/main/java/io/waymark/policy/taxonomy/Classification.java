package io.waymark.policy.taxonomy;

import java.util.Optional;

/** One code of the taxonomy with the flags the regulations care about. */
public record Classification(
        String code,
        String description,
        boolean personalData,
        boolean directIdentifier,
        boolean gdprSpecial,
        Optional<String> hipaaIdentifier,
        boolean safeHarborAllowed,
        boolean ldsAllowed,
        Optional<String> pciElement,
        boolean subjectKey) {

    /** The family the UI badges show: PII, PII.SPECIAL, PHI, PCI or FIN. */
    public String family() {
        if (code.startsWith("PII.SPECIAL.")) {
            return "PII.SPECIAL";
        }
        int dot = code.indexOf('.');
        return dot < 0 ? code : code.substring(0, dot);
    }
}
