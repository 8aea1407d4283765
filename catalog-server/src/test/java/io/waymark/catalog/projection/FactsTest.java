package io.waymark.catalog.projection;

import org.junit.jupiter.api.Test;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Retention keeps the entries that decide each fact {@link Facts} names; a kind of graph row it
 * does not know would be dropped with the run history. So every row list of a projection batch is
 * either read by Facts or named here as governance (never purged) or run history.
 */
class FactsTest {
    /** Governance rows (their journal kinds are never purged) and run-level history (purged on purpose). */
    private static final Set<String> NOT_FACTS = Set.of("deletes", "annotations", "classifications", "detections", "edits", "undeclared",
            "touchedRuns", "seenVersions");

    @Test
    void everyKindOfGraphRowIsAFactOrNamedAsNotOne() {
        List<String> unknown = new ArrayList<>();
        for (Field f : ProjectionBatch.class.getDeclaredFields()) {
            boolean rows = Collection.class.isAssignableFrom(f.getType()) || Map.class.isAssignableFrom(f.getType());
            if (rows && !Modifier.isStatic(f.getModifiers()) && !Facts.READ.contains(f.getName()) && !NOT_FACTS.contains(f.getName())) {
                unknown.add(f.getName());
            }
        }
        assertEquals(List.of(), unknown, "ProjectionBatch rows retention does not know: name them in Facts (and Facts.READ) or in NOT_FACTS");
    }
}
