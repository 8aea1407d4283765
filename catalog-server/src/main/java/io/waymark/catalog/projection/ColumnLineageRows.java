package io.waymark.catalog.projection;

import com.fasterxml.jackson.databind.JsonNode;
import io.waymark.catalog.model.NodeId;

import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Rows for an output dataset's {@code columnLineage} facet: one per (output field, input field,
 * transformation) for DERIVES_FROM, and one per whole-dataset dependency for DEPENDS_ON.
 */
final class ColumnLineageRows {
    private ColumnLineageRows() {}

    static void add(JsonNode ds, String dsKey, String jobKey, ZonedDateTime at, ProjectionBatch batch) {
        JsonNode facet = EventProjection.objectOrEmpty(ds.get("facets")).path("columnLineage");
        if (!facet.isObject()) {
            batch.uncoveredWrites = true;
            return;
        }
        String namespace = ds.get("namespace").asText();
        String name = ds.get("name").asText();
        Iterator<Map.Entry<String, JsonNode>> outputs = facet.path("fields").fields();
        while (outputs.hasNext()) {
            Map.Entry<String, JsonNode> output = outputs.next();
            String outKey = NodeId.field(namespace, name, output.getKey());
            JsonNode spec = output.getValue();
            for (JsonNode input : EventProjection.iterable(spec.path("inputFields"))) {
                String inNs = EventProjection.text(input, "namespace");
                String inName = EventProjection.text(input, "name");
                String inField = EventProjection.text(input, "field");
                if (!EventProjection.fitsDataset(inNs, inName) || inField == null || !EventProjection.fits(inField) || !EventProjection.fits(output.getKey())) {
                    continue;
                }
                EventProjection.addNamespace(batch, inNs, at);
                for (Map<String, Object> t : transformations(input.path("transformations"), spec)) {
                    Map<String, Object> row = inputRow(t, inNs, inName, inField, jobKey, at);
                    row.put("outKey", outKey);
                    row.put("outName", output.getKey());
                    row.put("outDatasetKey", dsKey);
                    row.put("outNamespace", namespace);
                    row.put("outDataset", name);
                    batch.columnLineage.add(row);
                }
            }
        }
        for (JsonNode input : EventProjection.iterable(facet.path("dataset"))) {
            String inNs = EventProjection.text(input, "namespace");
            String inName = EventProjection.text(input, "name");
            String inField = EventProjection.text(input, "field");
            if (!EventProjection.fitsDataset(inNs, inName) || inField == null || !EventProjection.fits(inField)) {
                continue;
            }
            EventProjection.addNamespace(batch, inNs, at);
            for (Map<String, Object> t : transformations(input.path("transformations"), null)) {
                Map<String, Object> row = inputRow(t, inNs, inName, inField, jobKey, at);
                row.put("dsKey", dsKey);
                batch.datasetDependencies.add(row);
            }
        }
    }

    /** Spec 1.x put one transformationType/Description on the output field; 2.x lists transformations per input. */
    private static List<Map<String, Object>> transformations(JsonNode list, JsonNode legacy) {
        List<Map<String, Object>> result = new ArrayList<>();
        for (JsonNode t : EventProjection.iterable(list)) {
            Map<String, Object> row = new HashMap<>();
            row.put("type", t.path("type").isTextual() ? t.get("type").textValue() : "DIRECT");
            row.put("subtype", t.path("subtype").isTextual() ? t.get("subtype").textValue() : "");
            row.put("description", t.path("description").isTextual() ? t.get("description").textValue() : null);
            row.put("masking", t.path("masking").asBoolean(false));
            result.add(row);
        }
        if (result.isEmpty()) {
            String legacyType = legacy == null ? null : EventProjection.text(legacy, "transformationType");
            Map<String, Object> row = new HashMap<>();
            row.put("type", "DIRECT");
            row.put("subtype", legacyType == null ? "" : legacyType.toUpperCase());
            row.put("description", legacy == null ? null : EventProjection.text(legacy, "transformationDescription"));
            row.put("masking", legacyType != null && legacyType.toUpperCase().contains("MASK"));
            if (legacy == null) {
                row.put("type", "INDIRECT");
            }
            result.add(row);
        }
        return result;
    }

    /** What both kinds of row say about the input field, the job and the time. */
    private static Map<String, Object> inputRow(Map<String, Object> transformation, String inNs, String inName, String inField,
                                                String jobKey, ZonedDateTime at) {
        Map<String, Object> row = new HashMap<>(transformation);
        row.put("inKey", NodeId.field(inNs, inName, inField));
        row.put("inName", inField);
        row.put("inDatasetKey", NodeId.dataset(inNs, inName));
        row.put("inNamespace", inNs);
        row.put("inDataset", inName);
        row.put("jobKey", jobKey);
        row.put("at", at);
        return row;
    }
}
