package io.waymark.catalog.projection;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * How facets are kept on nodes. A producer names its facets, and a name must never become part
 * of the graph's schema: each property key is one more entry in Neo4j's token store, forever, so
 * one event with 20,000 facet names stalled projection for everyone, and a NUL in a name could not
 * be stored at all. The facets the OpenLineage spec defines (names Waymark chose to know) are
 * properties {@code facet.<name>}; every other facet goes, as opaque JSON, into two parallel list
 * properties, {@code customFacetNames} and {@code customFacetValues}, merged by name (a later
 * event's facet replaces the same name's) and capped at {@link #MAX_CUSTOM} names, the most
 * recently set kept. The journal keeps every facet of every event whatever the cap drops.
 */
final class Facets {
    static final int MAX_CUSTOM = 100;
    static final String NAMES = "customNames";
    static final String VALUES = "customValues";

    /** The OpenLineage spec's run, job and dataset facets (and input/output facets). */
    private static final Set<String> STANDARD = Set.of(
            "nominalTime", "parent", "errorMessage", "externalQuery", "processing_engine", "extractionError", "environmentVariables",
            "jobDependencies", "documentation", "ownership", "sourceCodeLocation", "sourceCode", "sql", "jobType", "tags",
            "schema", "dataSource", "lifecycleStateChange", "storage", "symlinks", "version", "columnLineage", "datasetType",
            "hierarchy", "catalog", "subset", "inputStatistics", "outputStatistics", "dataQualityMetrics", "dataQualityAssertions");

    /** Merges a node's stored custom facets with a row's: the row's names replace the same names, the newest {@value #MAX_CUSTOM} stay. */
    static String mergeStatement(String variable) {
        return """
                FOREACH (_ IN CASE WHEN size(row.customNames) > 0 THEN [1] ELSE [] END |
                    SET %1$s.customFacetValues = ([i IN range(0, size(coalesce(%1$s.customFacetNames, [])) - 1)
                                                   WHERE NOT %1$s.customFacetNames[i] IN row.customNames | %1$s.customFacetValues[i]]
                                                  + row.customValues)[-%2$d..],
                        %1$s.customFacetNames = ([x IN coalesce(%1$s.customFacetNames, []) WHERE NOT x IN row.customNames]
                                                 + row.customNames)[-%2$d..])
                """.formatted(variable, MAX_CUSTOM);
    }

    private Facets() {}

    /**
     * Puts an event's facets on a row: standard ones into {@code props} as {@code facet.<name>},
     * the others into the row's custom lists, merged after what the row holds already.
     */
    static void split(JsonNode facets, Map<String, Object> props, Map<String, Object> row) {
        List<String> names = new ArrayList<>();
        List<String> values = new ArrayList<>();
        Iterator<Map.Entry<String, JsonNode>> it = facets.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> facet = it.next();
            if (facet.getValue().isNull()) {
                continue;
            }
            if (STANDARD.contains(facet.getKey())) {
                props.put("facet." + facet.getKey(), facet.getValue().toString());
            } else {
                names.add(facet.getKey());
                values.add(facet.getValue().toString());
            }
        }
        merge(row, names, values);
    }

    /** Folds a later row's custom facets into an earlier row's, as two writes one after the other would. */
    @SuppressWarnings("unchecked")
    static void fold(Map<String, Object> into, Map<String, Object> later) {
        merge(into, (List<String>) later.get(NAMES), (List<String>) later.get(VALUES));
    }

    @SuppressWarnings("unchecked")
    private static void merge(Map<String, Object> row, List<String> names, List<String> values) {
        if (names.isEmpty()) {
            // Nothing to merge; most datasets have no custom facet: no lists of their own to keep until the batch's commit.
            row.putIfAbsent(NAMES, List.of());
            row.putIfAbsent(VALUES, List.of());
            return;
        }
        Map<String, String> merged = new LinkedHashMap<>();
        List<String> oldNames = (List<String>) row.getOrDefault(NAMES, List.of());
        List<String> oldValues = (List<String>) row.getOrDefault(VALUES, List.of());
        for (int i = 0; i < oldNames.size(); i++) {
            merged.put(oldNames.get(i), oldValues.get(i));
        }
        for (int i = 0; i < names.size(); i++) {
            // Removed first, so a name set again moves to the end, as the graph's merge does.
            merged.remove(names.get(i));
            merged.put(names.get(i), values.get(i));
        }
        List<String> n = new ArrayList<>(merged.keySet());
        List<String> v = new ArrayList<>(merged.values());
        int from = Math.max(0, n.size() - MAX_CUSTOM);
        row.put(NAMES, new ArrayList<>(n.subList(from, n.size())));
        row.put(VALUES, new ArrayList<>(v.subList(from, v.size())));
    }
}
