package io.waymark.catalog.governance;

import org.neo4j.driver.Record;
import org.neo4j.driver.Session;

import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Writing derived labels (propagated, suspected): replaced whole, and only when they differ from what is stored. */
final class DerivedLabels {
    private DerivedLabels() {}

    /**
     * Compares the stored rows ({@code current}, returning the same columns as the rows) with the
     * computed ones; when they differ, clears and writes them in one transaction and returns the
     * values of {@code keyColumn} of the rows that changed (empty when nothing did).
     */
    static Set<String> replaceIfChanged(Session session, String current, String clear, String write,
                                        List<Map<String, Object>> rows, String keyColumn) {
        Set<Map<String, Object>> before = new HashSet<>(session.executeRead(tx -> tx.run(current).list(Record::asMap)));
        Set<Map<String, Object>> after = new HashSet<>(rows);
        if (before.equals(after)) {
            return Set.of();
        }
        Set<String> changed = new LinkedHashSet<>();
        before.stream().filter(r -> !after.contains(r)).forEach(r -> changed.add((String) r.get(keyColumn)));
        after.stream().filter(r -> !before.contains(r)).forEach(r -> changed.add((String) r.get(keyColumn)));
        session.executeWriteWithoutResult(tx -> {
            tx.run(clear).consume();
            if (!rows.isEmpty()) {
                tx.run(write, Map.of("rows", rows)).consume();
            }
        });
        return changed;
    }
}
