package io.waymark.catalog.projection;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.waymark.catalog.classify.ArrivalLabels;
import io.waymark.catalog.ingest.EventParser;
import io.waymark.catalog.journal.JournalEntry;
import io.waymark.catalog.model.NodeId;
import io.waymark.catalog.model.Times;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Turns one journal entry into rows of a {@link ProjectionBatch}. Pure: the rows depend on the
 * entry alone, which is what makes replaying the journal reproduce the graph.
 */
final class EventProjection {
    private static final int MAX_FIELD_BYTES = 1024;

    private final ObjectMapper mapper;

    EventProjection(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    void add(JournalEntry entry, ProjectionBatch batch) throws Exception {
        JsonNode root = mapper.readTree(entry.payload());
        ZonedDateTime at = Times.utc(Instant.parse(entry.eventTime()));
        switch (entry.kind()) {
            case "RUN" -> runEvent(root, at, entry.eventType(), batch);
            case "JOB" -> jobEvent(root, at, batch);
            case "DATASET" -> dataset(root.get("dataset"), at, null, batch);
            case "DELETE_DATASET", "DELETE_JOB" -> batch.deletes.add(Map.of(
                    "label", entry.kind().equals("DELETE_DATASET") ? "Dataset" : "Job",
                    "key", root.path("key").asText(),
                    "at", at));
            case "ANNOTATE" -> batch.annotations.add(GovernanceRows.annotation(root));
            case "DETECT" -> batch.detections.addAll(GovernanceRows.detections(root, at));
            case "CLASSIFY", "UNCLASSIFY" -> batch.classifications.add(GovernanceRows.classification(root, entry.kind().equals("UNCLASSIFY"), at));
            case "NAMESPACE", "DELETE_NAMESPACE", "TAG", "UNTAG", "TAG_DEF" -> CatalogEdits.add(entry.kind(), root, at, batch);
            default -> throw new IllegalArgumentException("unknown journal entry kind " + entry.kind());
        }
        batch.lastEventId = entry.id();
    }

    private void runEvent(JsonNode root, ZonedDateTime at, String eventType, ProjectionBatch batch) {
        JsonNode job = root.get("job");
        String jobKey = job(job, at, batch);
        JsonNode run = root.get("run");
        String runId = run.get("runId").asText().toLowerCase();
        String runKey = NodeId.run(runId);
        JsonNode runFacets = objectOrEmpty(run.get("facets"));
        Map<String, Object> row = new Row();
        row.put("key", runKey);
        row.put("runId", runId);
        row.put("jobKey", jobKey);
        row.put("at", at);
        row.put("type", eventType == null ? "" : eventType);
        Map<String, Object> runProps = new LinkedHashMap<>();
        Facets.split(runFacets, runProps, row);
        row.put("props", runProps);
        JsonNode nominal = runFacets.path("nominalTime");
        row.put("nominalStart", time(nominal.path("nominalStartTime")));
        row.put("nominalEnd", time(nominal.path("nominalEndTime")));
        row.put("errorMessage", errorMessage(runFacets));
        batch.runs.add(row);
        batch.touchedRuns.add(runKey);

        JsonNode parent = runFacets.path("parent");
        JsonNode parentJob = parent.path("job");
        if (text(parentJob, "namespace") != null && text(parentJob, "name") != null) {
            String parentJobKey = NodeId.job(text(parentJob, "namespace"), text(parentJob, "name"));
            addNamespace(batch, text(parentJob, "namespace"), at);
            batch.jobParents.add(Map.of("key", jobKey, "parentKey", parentJobKey,
                    "parentNamespace", text(parentJob, "namespace"), "parentName", text(parentJob, "name"), "at", at));
            String parentRunId = text(parent.path("run"), "runId");
            if (parentRunId != null) {
                batch.runParents.add(Map.of("key", runKey, "parentKey", NodeId.run(parentRunId.toLowerCase()),
                        "parentRunId", parentRunId.toLowerCase(), "parentJobKey", parentJobKey, "at", at));
            }
        }
        io(root.get("inputs"), "READ", "inputFacets", jobKey, runKey, at, batch.runIo, batch);
        io(root.get("outputs"), "WROTE", "outputFacets", jobKey, runKey, at, batch.runIo, batch);
    }

    private void jobEvent(JsonNode root, ZonedDateTime at, ProjectionBatch batch) {
        String jobKey = job(root.get("job"), at, batch);
        io(root.get("inputs"), "READ", "inputFacets", jobKey, null, at, batch.staticIo, batch);
        io(root.get("outputs"), "WROTE", "outputFacets", jobKey, null, at, batch.staticIo, batch);
    }

    private void io(JsonNode list, String direction, String ioFacetsKey, String jobKey, String runKey,
                    ZonedDateTime at, List<Map<String, Object>> target, ProjectionBatch batch) {
        if (list == null || !list.isArray()) {
            return;
        }
        for (JsonNode ds : list) {
            JsonNode ioFacets = objectOrEmpty(ds.get(ioFacetsKey));
            String dsKey = dataset(ds, at, ioFacets, batch);
            Map<String, Object> row = new Row();
            row.put("jobKey", jobKey);
            row.put("runKey", runKey);
            row.put("dsKey", dsKey);
            row.put("dir", direction);
            row.put("at", at);
            row.put("version", version(ds));
            row.put("facets", ioFacets.isEmpty() ? null : ioFacets.toString());
            row.put("schema", objectOrEmpty(ds.get("facets")).has("schema") ? ds.get("facets").get("schema").toString() : null);
            assertions(ioFacets.path("dataQualityAssertions").path("assertions"), row);
            JsonNode rowCount = ioFacets.path("dataQualityMetrics").path("rowCount");
            if (rowCount.isIntegralNumber() && rowCount.canConvertToLong()) {
                // A plain property, so the monitor finds row-count history by index, not by parsing facets.
                row.put("dqRowCount", rowCount.longValue());
            }
            target.add(row);
            if ("WROTE".equals(direction)) {
                ColumnLineageRows.add(ds, dsKey, jobKey, at, batch);
            }
        }
    }

    /**
     * Data-quality assertions (input facet dataQualityAssertions) as plain edge properties, so
     * rules can ask which checks ran and failed without parsing facet JSON in Cypher.
     */
    private static void assertions(JsonNode assertions, Map<String, Object> row) {
        if (!assertions.isArray() || assertions.isEmpty()) {
            return;
        }
        List<String> failed = new ArrayList<>();
        for (JsonNode a : assertions) {
            if (a.path("success").isBoolean() && !a.path("success").booleanValue()) {
                String name = a.path("assertion").asText("assertion");
                failed.add(a.path("column").isTextual() ? name + "(" + a.path("column").textValue() + ")" : name);
            }
        }
        row.put("dqChecked", (long) assertions.size());
        row.put("dqFailed", failed);
    }

    private String job(JsonNode job, ZonedDateTime at, ProjectionBatch batch) {
        String namespace = job.get("namespace").asText();
        String name = job.get("name").asText();
        String key = NodeId.job(namespace, name);
        JsonNode facets = objectOrEmpty(job.get("facets"));
        Map<String, Object> props = new LinkedHashMap<>();
        Map<String, Object> custom = new HashMap<>();
        Facets.split(facets, props, custom);
        String description = text(facets.path("documentation"), "description");
        if (description != null) {
            props.put("description", description);
        }
        String location = text(facets.path("sourceCodeLocation"), "url");
        if (location != null) {
            props.put("location", location);
        }
        JsonNode jobType = facets.path("jobType");
        if (jobType.isObject()) {
            props.put("type", "STREAMING".equalsIgnoreCase(text(jobType, "processingType")) ? "STREAM" : "BATCH");
            putIfText(props, "jobType", jobType, "jobType");
            putIfText(props, "integration", jobType, "integration");
        }
        List<String> tags = tags(facets.path("tags"));
        if (!tags.isEmpty()) {
            props.put("tags", tags);
        }
        addNamespace(batch, namespace, at);
        batch.jobs.add(Map.of("key", key, "namespace", namespace, "name", name,
                "search", name.toLowerCase(), "at", at, "props", props,
                Facets.NAMES, custom.get(Facets.NAMES), Facets.VALUES, custom.get(Facets.VALUES)));
        owners(facets.path("ownership"), "Job", key, batch);
        return key;
    }

    private String dataset(JsonNode ds, ZonedDateTime at, JsonNode ioFacets, ProjectionBatch batch) {
        String namespace = ds.get("namespace").asText();
        String name = ds.get("name").asText();
        String key = NodeId.dataset(namespace, name);
        JsonNode facets = objectOrEmpty(ds.get("facets"));
        Map<String, Object> props = new LinkedHashMap<>();
        Map<String, Object> row = new Row();
        Facets.split(facets, props, row);
        if (ioFacets != null) {
            Facets.split(ioFacets, props, row);
        }
        String description = text(facets.path("documentation"), "description");
        if (description != null) {
            props.put("description", description);
        }
        putIfText(props, "sourceName", facets.path("dataSource"), "name");
        putIfText(props, "sourceUri", facets.path("dataSource"), "uri");
        String lifecycle = text(facets.path("lifecycleStateChange"), "lifecycleStateChange");
        if (lifecycle != null) {
            props.put("lastLifecycleState", lifecycle);
        }
        List<String> tags = tags(facets.path("tags"));
        if (!tags.isEmpty()) {
            props.put("tags", tags);
        }
        addNamespace(batch, namespace, at);
        // The first one of the batch, so the result does not depend on where batches are cut.
        batch.seenVersions.putIfAbsent(key, version(ds));
        row.put("key", key);
        row.put("namespace", namespace);
        row.put("name", name);
        row.put("search", name.toLowerCase());
        row.put("type", namespace.startsWith("kafka") ? "STREAM" : "DB_TABLE");
        row.put("at", at);
        row.put("props", props);
        row.put("dropped", "DROP".equals(lifecycle));
        batch.datasets.add(row);
        JsonNode schema = facets.path("schema").path("fields");
        if (schema.isArray()) {
            props.put("fieldsJson", marquezFields(schema));
            props.put("fieldCount", schema.size());
            List<Map<String, Object>> fields = new ArrayList<>();
            schemaFields(schema, namespace, name, "", fields);
            String hash = UUID.nameUUIDFromBytes(schema.toString().getBytes(StandardCharsets.UTF_8)).toString();
            ArrivalLabels.attach(fields, hash);
            batch.schemas.add(Map.of("datasetKey", key, "fields", fields, "hash", hash));
        }
        symlinks(facets.path("symlinks").path("identifiers"), key, at, batch);
        GovernanceRows.declaredLabels(facets.path("tags").path("tags"), namespace, name, key, at, batch);
        owners(facets.path("ownership"), "Dataset", key, batch);
        return key;
    }

    private void schemaFields(JsonNode fields, String namespace, String dataset, String prefix, List<Map<String, Object>> rows) {
        if (!fields.isArray()) {
            return;
        }
        int ordinal = 0;
        for (JsonNode field : fields) {
            String name = text(field, "name");
            if (name == null || (prefix + name).getBytes(StandardCharsets.UTF_8).length > MAX_FIELD_BYTES) {
                continue;
            }
            String path = prefix + name;
            Map<String, Object> row = new Row();
            row.put("namespace", namespace);
            row.put("datasetName", dataset);
            row.put("key", NodeId.field(namespace, dataset, path));
            row.put("name", path);
            row.put("search", path.toLowerCase());
            row.put("type", text(field, "type"));
            row.put("description", text(field, "description"));
            row.put("ordinal", ordinal++);
            row.put("parent", prefix.isEmpty() ? null : prefix.substring(0, prefix.length() - 1));
            rows.add(row);
            schemaFields(field.path("fields"), namespace, dataset, path + ".", rows);
        }
    }

    /** The schema's fields as Marquez lists them (each with tags), kept ready to embed in responses. */
    private static String marquezFields(JsonNode schema) {
        com.fasterxml.jackson.databind.node.ArrayNode fields = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.arrayNode();
        for (JsonNode field : schema) {
            if (fields.size() == io.waymark.catalog.api.Views.FIELD_CAP) {
                break;
            }
            if (field.isObject()) {
                com.fasterxml.jackson.databind.node.ObjectNode copy = ((com.fasterxml.jackson.databind.node.ObjectNode) field).deepCopy();
                if (!copy.has("tags")) {
                    copy.putArray("tags");
                }
                fields.add(copy);
            }
        }
        return fields.toString();
    }

    private static void symlinks(JsonNode identifiers, String key, ZonedDateTime at, ProjectionBatch batch) {
        for (JsonNode id : iterable(identifiers)) {
            String namespace = text(id, "namespace");
            String name = text(id, "name");
            if (!fitsDataset(namespace, name)) {
                continue;
            }
            addNamespace(batch, namespace, at);
            batch.symlinks.add(Map.of("key", key, "aliasKey", NodeId.dataset(namespace, name), "namespace", namespace,
                    "name", name, "search", name.toLowerCase(), "type", text(id, "type") == null ? "" : text(id, "type"), "at", at));
        }
    }

    private static void owners(JsonNode ownership, String label, String key, ProjectionBatch batch) {
        for (JsonNode owner : iterable(ownership.path("owners"))) {
            String name = text(owner, "name");
            if (name != null) {
                batch.owners.add(Map.of("label", label, "key", key, "owner", name,
                        "type", text(owner, "type") == null ? "" : text(owner, "type")));
            }
        }
    }

    private static List<String> tags(JsonNode facet) {
        List<String> tags = new ArrayList<>();
        for (JsonNode tag : iterable(facet.path("tags"))) {
            String key = text(tag, "key");
            String value = text(tag, "value");
            if (key != null) {
                tags.add(value == null || value.isEmpty() || value.equalsIgnoreCase("true") ? key : key + ":" + value);
            }
        }
        return tags;
    }

    private static String version(JsonNode ds) {
        JsonNode facets = objectOrEmpty(ds.get("facets"));
        String declared = text(facets.path("version"), "datasetVersion");
        String basis = ds.get("namespace").asText() + "\n" + ds.get("name").asText() + "\n"
                + (declared != null ? "v:" + declared : "s:" + facets.path("schema").path("fields"));
        return UUID.nameUUIDFromBytes(basis.getBytes(StandardCharsets.UTF_8)).toString();
    }

    static boolean fits(String field) {
        return field.getBytes(StandardCharsets.UTF_8).length <= MAX_FIELD_BYTES;
    }

    /** Names from facets were not checked at ingest; ones too long for a graph key are skipped, not fatal. */
    static boolean fitsDataset(String namespace, String name) {
        return namespace != null && name != null && !namespace.isEmpty() && !name.isEmpty()
                && namespace.getBytes(StandardCharsets.UTF_8).length <= EventParser.MAX_NAMESPACE_BYTES
                && name.getBytes(StandardCharsets.UTF_8).length <= EventParser.MAX_NAME_BYTES;
    }

    static void addNamespace(ProjectionBatch batch, String namespace, ZonedDateTime at) {
        batch.namespaceTimes.add(Map.of("name", namespace, "at", at));
    }

    private static ZonedDateTime time(JsonNode node) {
        if (!node.isTextual()) {
            return null;
        }
        try {
            return Times.utc(OffsetDateTime.parse(node.textValue()).toInstant());
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static void putIfText(Map<String, Object> props, String key, JsonNode node, String field) {
        String value = text(node, field);
        if (value != null) {
            props.put(key, value);
        }
    }

    static String text(JsonNode node, String field) {
        JsonNode value = node == null ? null : node.get(field);
        return value != null && value.isTextual() ? value.textValue() : null;
    }

    static JsonNode objectOrEmpty(JsonNode node) {
        return node != null && node.isObject() ? node : com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
    }

    static Iterable<JsonNode> iterable(JsonNode node) {
        return node != null && node.isArray() ? node : List.of();
    }

    /**
     * Why a run failed: the spec's errorMessage facet, else a producer's own exception facet
     * (Spark 1.53 sends {@code spark.exception} with {@code message} and {@code stackTrace} and no
     * errorMessage), its message or the first line of its stack trace, without the stack frames.
     */
    static String errorMessage(JsonNode runFacets) {
        JsonNode standard = runFacets.path("errorMessage").path("message");
        if (standard.isTextual()) {
            return standard.textValue();
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = runFacets.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> facet = it.next();
            String name = facet.getKey().toLowerCase(java.util.Locale.ROOT);
            if (!name.endsWith("exception") && !name.endsWith("error")) {
                continue;
            }
            JsonNode message = facet.getValue().path("message");
            JsonNode trace = facet.getValue().path("stackTrace");
            String text = message.isTextual() && !message.textValue().isBlank() ? message.textValue()
                    : trace.isTextual() ? trace.textValue().lines().findFirst().orElse("") : null;
            if (text != null && !text.isBlank()) {
                int frames = text.indexOf("\n\tat ");
                text = (frames > 0 ? text.substring(0, frames) : text).strip();
                return text.length() > 2000 ? text.substring(0, 2000) + "…" : text;
            }
        }
        return null;
    }
}
