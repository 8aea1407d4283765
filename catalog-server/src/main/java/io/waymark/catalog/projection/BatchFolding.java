package io.waymark.catalog.projection;

import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Producers repeat themselves: every event of a run carries the same datasets, schemas and
 * column lineage. A batch is folded here so each node or edge is written once per batch, with
 * exactly the result its rows would give one after another (min/max of times, later values
 * win). Besides saving work this keeps the graph independent of how the journal was cut into
 * batches: a WHERE that reads what an earlier row of the same UNWIND wrote does not see it.
 */
final class BatchFolding {
    private BatchFolding() {}

    /** One row per dataset: props merged in order, the time span, the last row's drop state. */
    static List<Map<String, Object>> datasets(List<Map<String, Object>> rows) {
        Map<Object, Map<String, Object>> byKey = new LinkedHashMap<>();
        for (Map<String, Object> row : rows) {
            ZonedDateTime at = (ZonedDateTime) row.get("at");
            Map<String, Object> folded = byKey.get(row.get("key"));
            if (folded == null) {
                folded = Row.copyOf(row);
                folded.put("props", new LinkedHashMap<>(props(row)));
                folded.put("first", at);
                folded.put("last", at);
                byKey.put(row.get("key"), folded);
            } else {
                props(folded).putAll(props(row));
                Facets.fold(folded, row);
                folded.put("first", earlier((ZonedDateTime) folded.get("first"), at));
                folded.put("last", later((ZonedDateTime) folded.get("last"), at));
                folded.put("dropped", row.get("dropped"));
            }
            // As a lone row would: the last row decides whether, and since when, it is deleted.
            folded.put("deletedAt", Boolean.TRUE.equals(row.get("dropped")) ? at : null);
        }
        return new ArrayList<>(byKey.values());
    }

    /** Schema rows whose fields differ from the previous schema of the same dataset in the batch. */
    static List<Map<String, Object>> schemaChanges(List<Map<String, Object>> schemas) {
        Map<Object, Object> previous = new HashMap<>();
        List<Map<String, Object>> changes = new ArrayList<>();
        for (Map<String, Object> schema : schemas) {
            Object before = previous.put(schema.get("datasetKey"), schema.get("hash"));
            if (before == null || !before.equals(schema.get("hash"))) {
                Map<String, Object> row = new HashMap<>(schema);
                // Only a dataset's first schema in the batch is compared with the stored one.
                row.put("checkStored", before == null);
                changes.add(row);
            }
        }
        return changes;
    }

    /**
     * The labels classified on arrival from each dataset's latest schema in the batch: one row per
     * dataset with its schema hash, the labels by field ({@code labels}) and the field|code pairs
     * they make ({@code keep}).
     */
    static List<Map<String, Object>> latestSchemaLabels(List<Map<String, Object>> schemas) {
        Map<Object, Map<String, Object>> latest = new java.util.LinkedHashMap<>();
        schemas.forEach(schema -> latest.put(schema.get("datasetKey"), schema));
        List<Map<String, Object>> rows = new ArrayList<>();
        for (Map<String, Object> schema : latest.values()) {
            List<Map<String, Object>> labels = new ArrayList<>();
            List<String> keep = new ArrayList<>();
            for (Object f : (List<?>) schema.get("fields")) {
                Map<?, ?> field = (Map<?, ?>) f;
                for (Object l : (List<?>) field.get("labels")) {
                    Map<String, Object> label = new HashMap<>((Map<String, Object>) l);
                    label.put("fieldKey", field.get("key"));
                    labels.add(label);
                    keep.add(field.get("key") + "|" + label.get("code"));
                }
            }
            rows.add(Map.of("datasetKey", schema.get("datasetKey"), "hash", schema.get("hash"), "labels", labels, "keep", keep));
        }
        return rows;
    }

    /**
     * Labels classified on arrival for the fields column lineage names (outputs and inputs), one
     * row per dataset; written only to datasets no schema has described (a schema's labels are the
     * authority where there is one, see {@link LabelStatements#LINEAGE_FIELD_LABELS}).
     */
    static List<Map<String, Object>> lineageFieldLabels(List<Map<String, Object>> columnLineage, List<Map<String, Object>> dependencies) {
        Map<Object, Map<Object, Object>> fieldsByDataset = new LinkedHashMap<>();
        for (Map<String, Object> row : columnLineage) {
            fieldsByDataset.computeIfAbsent(row.get("outDatasetKey"), k -> new LinkedHashMap<>()).put(row.get("outKey"), row.get("outName"));
            fieldsByDataset.computeIfAbsent(row.get("inDatasetKey"), k -> new LinkedHashMap<>()).put(row.get("inKey"), row.get("inName"));
        }
        for (Map<String, Object> row : dependencies) {
            fieldsByDataset.computeIfAbsent(row.get("inDatasetKey"), k -> new LinkedHashMap<>()).put(row.get("inKey"), row.get("inName"));
        }
        List<Map<String, Object>> rows = new ArrayList<>();
        fieldsByDataset.forEach((datasetKey, fields) -> {
            List<Map<String, Object>> labels = new ArrayList<>();
            fields.forEach((fieldKey, name) -> {
                for (Map<String, Object> l : io.waymark.catalog.classify.ArrivalLabels.ofNameOnly((String) name)) {
                    Map<String, Object> label = new HashMap<>(l);
                    label.put("fieldKey", fieldKey);
                    labels.add(label);
                }
            });
            if (!labels.isEmpty()) {
                rows.add(Map.of("datasetKey", datasetKey, "labels", labels));
            }
        });
        return rows;
    }

    /** Lineage edges folded by identity (ends, job, type, subtype) into a first/last span. */
    static List<Map<String, Object>> edges(List<Map<String, Object>> rows, String fromKey) {
        Map<List<Object>, Map<String, Object>> byEdge = new LinkedHashMap<>();
        for (Map<String, Object> row : rows) {
            List<Object> id = List.of(row.get(fromKey), row.get("inKey"), row.get("jobKey"), row.get("type"), row.get("subtype"));
            ZonedDateTime at = (ZonedDateTime) row.get("at");
            Map<String, Object> folded = byEdge.get(id);
            if (folded == null) {
                folded = Row.copyOf(row);
                folded.put("first", at);
                folded.put("last", at);
                byEdge.put(id, folded);
            } else {
                folded.put("first", earlier((ZonedDateTime) folded.get("first"), at));
                folded.put("last", later((ZonedDateTime) folded.get("last"), at));
                folded.put("masking", row.get("masking"));
                folded.put("description", row.get("description"));
            }
        }
        return new ArrayList<>(byEdge.values());
    }

    /** The latest write per dataset; a later row wins a tie, as it would arriving alone. */
    static List<Map<String, Object>> latestPerDataset(List<Map<String, Object>> writes) {
        Map<Object, Map<String, Object>> latest = new LinkedHashMap<>();
        for (Map<String, Object> w : writes) {
            latest.merge(w.get("dsKey"), w, (a, b) -> ((ZonedDateTime) b.get("at")).isBefore((ZonedDateTime) a.get("at")) ? a : b);
        }
        return new ArrayList<>(latest.values());
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> props(Map<String, Object> row) {
        return (Map<String, Object>) row.get("props");
    }

    private static ZonedDateTime earlier(ZonedDateTime a, ZonedDateTime b) {
        return b.isBefore(a) ? b : a;
    }

    private static ZonedDateTime later(ZonedDateTime a, ZonedDateTime b) {
        return b.isAfter(a) ? b : a;
    }
}
