package io.waymark.catalog.projection;

import com.fasterxml.jackson.databind.JsonNode;
import io.waymark.catalog.governance.AnnotationSchema;
import io.waymark.catalog.ingest.InvalidEventException;

import java.time.ZonedDateTime;
import java.util.HashMap;
import java.util.Map;

/** Graph rows for journaled governance entries (annotations, steward classifications). */
final class GovernanceRows {
    private static final java.util.regex.Pattern CODE = java.util.regex.Pattern.compile("(PII|PHI|PCI|FIN)(\\.[A-Za-z0-9_]+)+");

    private GovernanceRows() {}

    /** Whether a tag is shaped like a classification code (PII.*, PHI.*, PCI.*, FIN.*). */
    static boolean isCode(String tag) {
        return tag != null && CODE.matcher(tag).matches();
    }

    /**
     * A column-level tag ({@code field} set) whose key or value is a taxonomy-shaped code (PII.*,
     * PHI.*, PCI.*, FIN.*) is a label the producer declared. Other tags stay plain tags.
     */
    static void declaredLabels(JsonNode tags, String namespace, String dataset, String datasetKey, ZonedDateTime at, ProjectionBatch batch) {
        for (JsonNode tag : EventProjection.iterable(tags)) {
            String field = EventProjection.text(tag, "field");
            if (field == null || !EventProjection.fits(field)) {
                continue;
            }
            for (String candidate : new String[] {EventProjection.text(tag, "key"), EventProjection.text(tag, "value")}) {
                if (candidate != null && CODE.matcher(candidate).matches()) {
                    Map<String, Object> row = new HashMap<>();
                    row.put("datasetKey", datasetKey);
                    row.put("namespace", namespace);
                    row.put("datasetName", dataset);
                    row.put("field", field);
                    row.put("fieldKey", io.waymark.catalog.model.NodeId.field(namespace, dataset, field));
                    row.put("code", candidate);
                    row.put("tagSource", EventProjection.text(tag, "source"));
                    row.put("at", at);
                    batch.declared.add(row);
                }
            }
        }
    }


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
            row.put("fieldKey", io.waymark.catalog.model.NodeId.fieldOf(datasetKey, column.getKey()));
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
        // What a rejection rejected: when the classifier's evidence changes, the label is up for review again.
        row.put("evidence", entry.path("evidence").isTextual() ? entry.path("evidence").asText() : null);
        row.put("at", at);
        return row;
    }
}
