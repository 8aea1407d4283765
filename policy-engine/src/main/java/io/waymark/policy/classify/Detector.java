package io.waymark.policy.classify;

import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * One detector: column-name patterns (matched against the normalised name), an optional value
 * validator with its base rate (the chance a random value of the right shape passes), and
 * whether the name must agree before values alone may label a column.
 */
record Detector(String id, String code, Pattern include, Pattern exclude, Predicate<String> validator, double baseRate,
                boolean nameRequired, Gate gate, String protection) {

    /**
     * Evidence that must exist elsewhere in the same dataset: PAYMENTS a card number; HEALTH a
     * health identifier or clinical column unless the column's own name says what it is;
     * HEALTH_ONLY a health identifier or clinical column whatever the name (a store's ZIP code or a
     * signup date is not health data).
     */
    enum Gate { NONE, PAYMENTS, HEALTH, HEALTH_ONLY }

    static Detector of(String id, String code, String include, String exclude, Predicate<String> validator, double baseRate,
                       boolean nameRequired, Gate gate) {
        return new Detector(id, code, Pattern.compile(include), exclude == null ? null : Pattern.compile(exclude), validator,
                baseRate, nameRequired, gate, "CLEAR");
    }

    /** 0.7 when the whole name matches, 0.4 when a word-bounded part does, 0 otherwise or when excluded. */
    double nameScore(String normalised) {
        if (exclude != null && exclude.matcher(normalised).find()) {
            return 0;
        }
        if (include.matcher(normalised).matches()) {
            return 0.7;
        }
        var m = include.matcher(normalised);
        while (m.find()) {
            boolean startOk = m.start() == 0 || normalised.charAt(m.start() - 1) == '_';
            boolean endOk = m.end() == normalised.length() || normalised.charAt(m.end()) == '_';
            if (startOk && endOk && m.end() > m.start()) {
                return 0.4;
            }
        }
        return 0;
    }
}
