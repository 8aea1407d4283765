package io.waymark.catalog.classify;

import io.waymark.policy.classify.Label;
import io.waymark.policy.classify.NameClassifier;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Classification on arrival: every field of a schema that reaches the graph gets the labels its
 * name, type and description support (source NAME), with no request from anyone. A pure function
 * of the schema, so a rebuild gives the same labels; most events repeat their dataset's schema,
 * so results are kept by schema hash.
 */
public final class ArrivalLabels {
    /** Schemas remembered; a schema is classified again only after this many others. */
    private static final int CACHE = 4096;
    private static final NameClassifier CLASSIFIER = new NameClassifier();
    private static final Map<String, Map<String, List<Map<String, Object>>>> BY_SCHEMA = new LinkedHashMap<>(CACHE, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Map<String, List<Map<String, Object>>>> eldest) {
            return size() > CACHE;
        }
    };

    private ArrivalLabels() {}

    /**
     * Puts {@code labels} (a list of label maps: code, status, confidence, protection, detector,
     * explanation) on each field row ({@code name}, {@code type}, {@code description}).
     */
    public static void attach(List<Map<String, Object>> fields, String schemaHash) {
        Map<String, List<Map<String, Object>>> labels;
        synchronized (BY_SCHEMA) {
            labels = BY_SCHEMA.get(schemaHash);
        }
        if (labels == null) {
            labels = classify(fields);
            synchronized (BY_SCHEMA) {
                BY_SCHEMA.put(schemaHash, labels);
            }
        }
        for (Map<String, Object> field : fields) {
            field.put("labels", labels.getOrDefault((String) field.get("name"), List.of()));
        }
    }

    /**
     * The labels a field's name alone supports, for fields known only from column lineage (no type,
     * no description, no sibling columns: the field is judged on its own, so the result does not
     * depend on which other fields an event happened to name).
     */
    public static List<Map<String, Object>> ofNameOnly(String name) {
        Map<String, Object> field = new java.util.HashMap<>();
        field.put("name", name);
        attach(List.of(field), "name-only:" + name);
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> labels = (List<Map<String, Object>>) field.get("labels");
        return labels;
    }

    private static Map<String, List<Map<String, Object>>> classify(List<Map<String, Object>> fields) {
        List<NameClassifier.Column> columns = new ArrayList<>();
        for (Map<String, Object> field : fields) {
            columns.add(new NameClassifier.Column((String) field.get("name"), (String) field.get("type"), (String) field.get("description")));
        }
        Map<String, List<Map<String, Object>>> result = new LinkedHashMap<>();
        CLASSIFIER.classify(columns).forEach((column, list) -> {
            if (!list.isEmpty()) {
                result.put(column, list.stream().map(ArrivalLabels::row).toList());
            }
        });
        return result;
    }

    private static Map<String, Object> row(Label label) {
        return Map.of("code", label.code(), "status", label.status(), "confidence", label.confidence(), "protection", label.protection(),
                "detector", label.detector(), "explanation", label.explanation());
    }
}
