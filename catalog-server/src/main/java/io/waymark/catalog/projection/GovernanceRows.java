package io.waymark.catalog.projection;

import com.fasterxml.jackson.databind.JsonNode;
import io.waymark.catalog.governance.AnnotationSchema;
import io.waymark.catalog.ingest.InvalidEventException;

import java.time.ZonedDateTime;
import java.util.HashMap;
import java.util.Map;

/** Graph rows for journaled governance entries (annotations, steward classifications). */
final class GovernanceRows {
    private GovernanceRows() {}

    static Map<String, Object> annotation(JsonNode entry) {
        boolean job = "Job".equals(entry.path("label").asText());
        Map<String, Object> props = new HashMap<>();
        try {
            AnnotationSchema.check(entry.path("patch"), job).forEach((k, v) -> props.put("ann." + k, v));
        } catch (InvalidEventException e) {
            // Checked before it was journaled; reaching this means the schema was narrowed since.
            throw new IllegalStateException("journaled annotation no longer valid: " + e.getMessage(), e);
        }
        Map<String, Object> row = new HashMap<>();
        row.put("label", job ? "Job" : "Dataset");
        row.put("key", entry.path("target").asText());
        row.put("props", props);
        return row;
    }

    /** One row per classified column: the detector's labels replace that column's earlier detections. */
    static java.util.List<Map<String, Object>> detections(JsonNode entry, ZonedDateTime at) {
        java.util.List<Map<String, Object>> rows = new java.util.ArrayList<>();
        String datasetKey = entry.path("target").asText();
        entry.path("columns").fields().forEachRemaining(column -> {
            java.util.List<Map<String, Object>> labels = new java.util.ArrayList<>();
            for (JsonNode l : column.getValue()) {
                Map<String, Object> label = new HashMap<>();
                for (String k : new String[] {"code", "status", "protection", "detector", "explanation"}) {
                    label.put(k, l.path(k).asText());
                }
                label.put("confidence", l.path("confidence").asDouble());
                labels.add(label);
            }
            Map<String, Object> row = new HashMap<>();
            row.put("datasetKey", datasetKey);
            row.put("namespace", entry.path("namespace").asText());
            row.put("datasetName", entry.path("name").asText());
            row.put("field", column.getKey());
            row.put("fieldKey", datasetKey.replaceFirst("^dataset:", "datasetField:") + ":" + column.getKey());
            row.put("labels", labels);
            row.put("at", at);
            rows.add(row);
        });
        return rows;
    }

    static Map<String, Object> classification(JsonNode entry, boolean suppress, ZonedDateTime at) {
        Map<String, Object> row = new HashMap<>();
        row.put("fieldKey", entry.path("target").asText());
        row.put("datasetKey", entry.path("dataset").asText());
        row.put("code", entry.path("code").asText());
        row.put("status", suppress ? "SUPPRESSED" : "CONFIRMED");
        row.put("actor", entry.path("actor").asText());
        row.put("reason", entry.path("reason").isTextual() ? entry.path("reason").asText() : null);
        row.put("protection", entry.path("protection").isTextual() ? entry.path("protection").asText() : null);
        row.put("at", at);
        return row;
    }
}
