package io.waymark.policy.rules;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The engine's choice between a rule's listed and whole-graph forms, from the costs it measured. */
class RuleCostsTest {
    private static final long MS = 1_000_000;

    @Test
    void subjectsAreListedUntilBothCostsAreMeasured() {
        assertTrue(RuleEngine.Costs.NONE.lists(Integer.MAX_VALUE));
        RuleEngine.Costs wholeOnly = RuleEngine.Costs.NONE.measuredWhole(30 * MS);
        assertTrue(wholeOnly.lists(Integer.MAX_VALUE));
        // The first listed run plans the query: no measure.
        RuleEngine.Costs planned = wholeOnly.measuredListed(21, 400 * MS);
        assertTrue(planned.lists(Integer.MAX_VALUE));
        RuleEngine.Costs measured = planned.measuredListed(10, 1 * MS);
        assertEquals(100_000, measured.perSubject());
        assertTrue(measured.lists(300), "300 subjects at 0.1 ms cost 30 ms, as much as the whole graph");
        assertFalse(measured.lists(301));
    }

    /** The failure this guards against: a listed cost measured high once kept a rule whole in every later round. */
    @Test
    void aRuleSentWholeIsListedAgainInTimeAndMeasuredAfresh() {
        // 21 subjects once took 114 ms listed (5.4 ms each, the query still cold); the whole graph takes 30 ms.
        RuleEngine.Costs costs = RuleEngine.Costs.NONE.measuredWhole(30 * MS).measuredListed(21, 400 * MS).measuredListed(21, 114 * MS);
        assertFalse(costs.lists(21));
        int wholeRounds = 0;
        while (!costs.lists(21)) {
            costs = costs.forgetting().measuredWhole(30 * MS);
            wholeRounds++;
            assertTrue(wholeRounds < 20, "the listed form is never tried again");
        }
        assertEquals(6, wholeRounds);
        // Listed again, it is measured at what it costs now and stays listed.
        costs = costs.measuredListed(21, 2 * MS);
        assertTrue(costs.lists(21));
        // A rule whose listed form really is dearer goes back to whole at once.
        assertFalse(costs.measuredListed(21, 200 * MS).lists(21));
    }
}
