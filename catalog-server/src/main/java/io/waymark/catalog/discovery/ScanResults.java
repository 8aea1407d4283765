package io.waymark.catalog.discovery;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.waymark.catalog.api.JsonView;
import io.waymark.catalog.ingest.EventKind;
import io.waymark.catalog.ingest.IngestService;
import io.waymark.catalog.model.NodeId;
import io.waymark.catalog.model.Times;
import io.waymark.policy.classify.Label;

import java.time.Instant;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import static io.waymark.catalog.api.JsonView.F;

/**
 * What a scan leaves behind: each table as an OpenLineage DatasetEvent, the detectors' labels as
 * a DETECT journal entry, and the schema changes since the last scan. Values never get here.
 */
final class ScanResults {
    private ScanResults() {}

    /** The DatasetEvent a table becomes: its schema, comment, source and what only discovery knows. */
    static String event(ConnectionRow row, DatasetNaming.Source source, Scanner.Table table, String datasetName) {
        ObjectNode event = F.objectNode().put("eventTime", Times.format(Instant.now())).put("producer", Discovery.PRODUCER)
                .put("schemaURL", "https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/DatasetEvent");
        ObjectNode dataset = event.putObject("dataset").put("namespace", source.namespace()).put("name", datasetName);
        ObjectNode facets = dataset.putObject("facets");
        ArrayNode fields = facets.putObject("schema").put("_producer", Discovery.PRODUCER)
                .put("_schemaURL", "https://openlineage.io/spec/facets/1-1-1/SchemaDatasetFacet.json#/$defs/SchemaDatasetFacet").putArray("fields");
        ArrayNode keys = F.arrayNode();
        ArrayNode foreign = F.arrayNode();
        ArrayNode nullable = F.arrayNode();
        for (Scanner.Column col : table.columns()) {
            ObjectNode f = fields.addObject().put("name", col.name()).put("type", col.type());
            if (col.comment() != null && !col.comment().isBlank()) {
                f.put("description", col.comment());
            }
            if (col.primaryKey()) {
                keys.add(col.name());
            }
            if (col.references() != null) {
                foreign.addObject().put("column", col.name()).put("references", col.references());
            }
            if (col.nullable()) {
                nullable.add(col.name());
            }
        }
        if (table.comment() != null && !table.comment().isBlank()) {
            facets.putObject("documentation").put("_producer", Discovery.PRODUCER)
                    .put("_schemaURL", "https://openlineage.io/spec/facets/1-0-1/DocumentationDatasetFacet.json#/$defs/DocumentationDatasetFacet")
                    .put("description", table.comment());
        }
        facets.putObject("dataSource").put("_producer", Discovery.PRODUCER)
                .put("_schemaURL", "https://openlineage.io/spec/facets/1-0-1/DatasourceDatasetFacet.json#/$defs/DatasourceDatasetFacet")
                .put("name", row.name()).put("uri", source.namespace());
        facets.putObject("datasetType").put("_producer", Discovery.PRODUCER)
                .put("_schemaURL", "https://openlineage.io/spec/facets/1-0-0/DatasetTypeDatasetFacet.json#/$defs/DatasetTypeDatasetFacet")
                .put("datasetType", table.view() ? "VIEW" : "TABLE");
        ObjectNode discovered = facets.putObject("waymark_discovery").put("_producer", Discovery.PRODUCER)
                .put("_schemaURL", "https://waymark.dev/spec/facets/DiscoveryDatasetFacet.json").put("connection", row.name());
        discovered.set("primaryKey", keys);
        discovered.set("foreignKeys", foreign);
        discovered.set("nullable", nullable);
        if (table.rowEstimate() != null) {
            discovered.put("rowEstimate", table.rowEstimate());
        }
        return JsonView.write(event);
    }

    /** The detectors' labels for a table's columns, as the classify API journals them (no values). */
    static IngestService.GovernanceEntry detection(String namespace, String name, Map<String, List<Label>> labels) {
        ObjectNode entry = io.waymark.catalog.classify.Detections.entry(namespace, name, labels).put("source", Discovery.PRODUCER);
        return new IngestService.GovernanceEntry(EventKind.DETECT, NodeId.dataset(namespace, name), JsonView.write(entry));
    }

    /**
     * Columns added, dropped or retyped since the {@code before} snapshot (null: the first scan), with
     * the snapshot kept for the next scan.
     */
    static String changes(JsonNode before, Map<String, Map<String, String>> now) {
        ObjectNode body = F.objectNode();
        ArrayNode changes = body.putArray("changes");
        if (before != null) {
            for (Map.Entry<String, Map<String, String>> table : now.entrySet()) {
                JsonNode old = before.path(table.getKey());
                if (old.isMissingNode()) {
                    changes.addObject().put("dataset", table.getKey()).put("change", "TABLE_ADDED");
                    continue;
                }
                table.getValue().forEach((column, type) -> {
                    if (!old.has(column)) {
                        changes.addObject().put("dataset", table.getKey()).put("column", column).put("change", "ADDED").put("type", type);
                    } else if (!old.path(column).asText().equals(type)) {
                        changes.addObject().put("dataset", table.getKey()).put("column", column).put("change", "RETYPED")
                                .put("from", old.path(column).asText()).put("to", type);
                    }
                });
                for (Iterator<String> it = old.fieldNames(); it.hasNext(); ) {
                    String column = it.next();
                    if (!table.getValue().containsKey(column)) {
                        changes.addObject().put("dataset", table.getKey()).put("column", column).put("change", "DROPPED");
                    }
                }
            }
            for (Iterator<String> it = before.fieldNames(); it.hasNext(); ) {
                String table = it.next();
                if (!now.containsKey(table)) {
                    changes.addObject().put("dataset", table).put("change", "TABLE_DROPPED");
                }
            }
        }
        ObjectNode snapshot = body.putObject("snapshot");
        now.forEach((table, types) -> {
            ObjectNode t = snapshot.putObject(table);
            types.forEach(t::put);
        });
        return JsonView.write(body);
    }

}
