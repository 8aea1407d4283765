package io.waymark.catalog.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.RawValue;

import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;

import static io.waymark.catalog.api.JsonView.F;
import static io.waymark.catalog.api.JsonView.facets;
import static io.waymark.catalog.api.JsonView.id;
import static io.waymark.catalog.api.JsonView.putTime;
import static io.waymark.catalog.api.JsonView.str;
import static io.waymark.catalog.api.JsonView.strings;

/** Graph node properties to the Marquez shapes of datasets, jobs and runs. */
public final class Views {
    /** A dataset answer lists at most this many top-level fields and then sets {@code fieldsTruncated}; the schema facet has them all. */
    public static final int FIELD_CAP = 1000;

    private Views() {}

    public static ObjectNode dataset(Map<String, Object> d, boolean withFacets) {
        String namespace = str(d, "namespace");
        String name = str(d, "name");
        ObjectNode node = F.objectNode();
        node.set("id", id(namespace, name));
        node.put("type", str(d, "type"));
        node.put("name", name);
        node.put("physicalName", name);
        putTime(node, "createdAt", d.get("createdAt"));
        putTime(node, "updatedAt", d.get("updatedAt"));
        node.put("namespace", namespace);
        // Marquez's name for a dataset without a dataSource facet; its client requires one.
        node.put("sourceName", sourceName(d));
        if (d.get("fieldCount") instanceof Number count && count.intValue() > FIELD_CAP) {
            node.put("fieldsTruncated", true);
        }
        String fieldsJson = str(d, "fieldsJson");
        if (fieldsJson != null) {
            // Prepared at projection time: embedding it raw saves parsing and re-writing every schema.
            node.putRawValue("fields", new RawValue(fieldsJson));
        } else {
            node.set("fields", fields(str(d, "facet.schema")));
        }
        node.set("tags", tags(d));
        putTime(node, "lastModifiedAt", d.get("versionAt"));
        node.put("lastLifecycleState", str(d, "lastLifecycleState"));
        node.put("description", str(d, "description"));
        node.put("currentVersion", str(d, "currentVersion"));
        node.put("deleted", Boolean.TRUE.equals(d.get("deleted")));
        node.set("annotations", JsonView.annotations(d));
        if (withFacets) {
            node.set("facets", facets(d));
        }
        return node;
    }

    /** The tags a producer sent (tags facet) that nobody removed, and the ones added through the API. */
    static ArrayNode tags(Map<String, Object> n) {
        java.util.LinkedHashSet<String> tags = new java.util.LinkedHashSet<>();
        for (String key : List.of("tags", "stewardTags")) {
            if (n.get(key) instanceof List<?> list) {
                list.forEach(t -> tags.add(String.valueOf(t)));
            }
        }
        if (n.get("hiddenTags") instanceof List<?> hidden) {
            hidden.forEach(t -> tags.remove(String.valueOf(t)));
        }
        ArrayNode array = F.arrayNode();
        tags.forEach(array::add);
        return array;
    }

    public static String sourceName(Map<String, Object> d) {
        String source = str(d, "sourceName");
        return source == null || source.isBlank() ? "default" : source;
    }

    /**
     * Puts each field's labels on the dataset's fields (nested fields by dotted path): active ones
     * in {@code classifications}, those a steward suppressed in {@code suppressedClassifications}.
     */
    public static void classify(ObjectNode dataset, String schemaFacet, Map<String, List<ObjectNode>> labelsByField) {
        ArrayNode fields = fields(schemaFacet);
        while (fields.size() > FIELD_CAP) {
            fields.remove(fields.size() - 1);
            dataset.put("fieldsTruncated", true);
        }
        java.util.Set<String> listed = new java.util.HashSet<>();
        collectPaths(fields, "", listed);
        // Columns known only from column lineage (no schema facet yet) still show their labels.
        labelsByField.keySet().stream().filter(f -> !listed.contains(f)).sorted()
                .forEach(f -> fields.addObject().put("name", f).putNull("type").putArray("tags"));
        classify(fields, "", labelsByField);
        dataset.set("fields", fields);
    }

    private static void collectPaths(JsonNode fields, String prefix, java.util.Set<String> paths) {
        for (JsonNode f : fields) {
            String path = prefix + f.path("name").asText();
            paths.add(path);
            collectPaths(f.path("fields"), path + ".", paths);
        }
    }

    private static void classify(JsonNode fields, String prefix, Map<String, List<ObjectNode>> labelsByField) {
        for (JsonNode field : fields) {
            if (!(field instanceof ObjectNode f)) {
                continue;
            }
            String path = prefix + f.path("name").asText();
            ArrayNode active = f.putArray("classifications");
            ArrayNode suppressed = f.putArray("suppressedClassifications");
            List<ObjectNode> labels = labelsByField.getOrDefault(path, List.of());
            // A steward's suppression of a code hides every label of that code, whoever assigned it.
            java.util.Set<String> suppressedCodes = new java.util.HashSet<>();
            labels.stream().filter(l -> "SUPPRESSED".equals(l.path("status").asText())).forEach(l -> suppressedCodes.add(l.path("code").asText()));
            for (ObjectNode label : labels) {
                (suppressedCodes.contains(label.path("code").asText()) ? suppressed : active).add(label);
            }
            classify(f.path("fields"), path + ".", labelsByField);
        }
    }

    /** Adds tags given through the API to a field of the answer, found by its dotted path. */
    static void addFieldTags(JsonNode fields, String path, List<String> tags) {
        for (JsonNode field : fields) {
            String name = field.path("name").asText();
            if (field instanceof ObjectNode f && name.equals(path)) {
                ArrayNode existing = f.has("tags") && f.get("tags").isArray() ? (ArrayNode) f.get("tags") : f.putArray("tags");
                java.util.Set<String> present = new java.util.HashSet<>();
                existing.forEach(t -> present.add(t.asText()));
                tags.stream().filter(present::add).forEach(existing::add);
                return;
            }
            if (path.startsWith(name + ".")) {
                addFieldTags(field.path("fields"), path.substring(name.length() + 1), tags);
                return;
            }
        }
    }

    /** The current schema facet's fields, nested fields kept nested, as Marquez lists them. */
    static ArrayNode fields(String schemaFacet) {
        ArrayNode result = F.arrayNode();
        if (schemaFacet == null) {
            return result;
        }
        JsonNode fields = JsonView.parse(schemaFacet).path("fields");
        for (JsonNode field : fields) {
            if (field.isObject()) {
                ObjectNode copy = ((ObjectNode) field).deepCopy();
                if (!copy.has("tags")) {
                    copy.set("tags", F.arrayNode());
                }
                result.add(copy);
            }
        }
        return result;
    }

    /**
     * A job's or run's inputs and outputs in one answer: past this many the list is cut and
     * {@code inputsTruncated}/{@code outputsTruncated} say so; the rest are paged by
     * {@code GET …/jobs/{job}/inputs|outputs}. Queries ask for one more to tell.
     */
    public static final int IO_CAP = 1000;

    /**
     * A run inside another answer (a job's latestRun and latestRuns, a job version's latestRun, a
     * page of runs) lists at most this many dataset versions each way, and says so the same way; the
     * run's own answer lists {@link #IO_CAP}. A job that read 64,000 datasets and ran twice made a
     * 424 KB job answer, three quarters of it the same thousand input versions three times over,
     * and 96 viewers of it kept the event loops writing instead of answering {@code /health}.
     */
    public static final int EMBEDDED_RUN_IO_CAP = 100;

    /** {@link #job} with at most {@link #IO_CAP} inputs and outputs, given at most one more of each. */
    public static ObjectNode cappedJob(Map<String, Object> j, List<Map<String, Object>> inputs, List<Map<String, Object>> outputs,
                                       Map<String, Object> latestRun, boolean withFacets) {
        return truncated(job(j, capped(inputs, IO_CAP), capped(outputs, IO_CAP), latestRun, withFacets), inputs, outputs, IO_CAP);
    }

    /** {@link #run} with at most {@code cap} inputs and outputs, given at most one more of each. */
    public static ObjectNode cappedRun(Map<String, Object> r, List<Map<String, Object>> inputs, List<Map<String, Object>> outputs, int cap) {
        return truncated(run(r, capped(inputs, cap), capped(outputs, cap)), inputs, outputs, cap);
    }

    private static List<Map<String, Object>> capped(List<Map<String, Object>> list, int cap) {
        return list.size() > cap ? list.subList(0, cap) : list;
    }

    private static ObjectNode truncated(ObjectNode node, List<?> inputs, List<?> outputs, int cap) {
        if (inputs.size() > cap) {
            node.put("inputsTruncated", true);
        }
        if (outputs.size() > cap) {
            node.put("outputsTruncated", true);
        }
        return node;
    }

    public static ObjectNode job(Map<String, Object> j, List<Map<String, Object>> inputs, List<Map<String, Object>> outputs,
                                 Map<String, Object> latestRun, boolean withFacets) {
        String namespace = str(j, "namespace");
        String name = str(j, "name");
        ObjectNode node = F.objectNode();
        node.set("id", id(namespace, name));
        node.put("type", str(j, "type"));
        node.put("name", name);
        String parentName = str(j, "parentName");
        node.put("simpleName", parentName != null && name.startsWith(parentName + ".") ? name.substring(parentName.length() + 1) : name);
        node.put("parentJobName", parentName);
        putTime(node, "createdAt", j.get("createdAt"));
        putTime(node, "updatedAt", j.get("updatedAt"));
        node.put("namespace", namespace);
        node.set("inputs", ids(inputs));
        node.set("outputs", ids(outputs));
        node.put("location", str(j, "location"));
        node.put("description", str(j, "description"));
        node.set("latestRun", latestRun == null ? F.nullNode() : run(latestRun, List.of(), List.of()));
        node.set("tags", tags(j));
        node.putNull("currentVersion");
        node.put("deleted", Boolean.TRUE.equals(j.get("deleted")));
        node.set("annotations", JsonView.annotations(j));
        if (withFacets) {
            node.set("facets", facets(j));
        }
        return node;
    }

    private static ArrayNode ids(List<Map<String, Object>> datasets) {
        ArrayNode array = F.arrayNode();
        datasets.forEach(d -> array.add(id(str(d, "namespace"), str(d, "name"))));
        return array;
    }

    public static ObjectNode run(Map<String, Object> r, List<Map<String, Object>> inputs, List<Map<String, Object>> outputs) {
        ObjectNode node = F.objectNode();
        node.put("id", str(r, "runId"));
        putTime(node, "createdAt", r.get("createdAt"));
        putTime(node, "updatedAt", r.get("updatedAt"));
        putTime(node, "nominalStartTime", r.get("nominalStartTime"));
        putTime(node, "nominalEndTime", r.get("nominalEndTime"));
        String state = str(r, "state");
        node.put("state", state == null ? "NEW" : state);
        Object started = r.get("startTime");
        Object ended = switch (state == null ? "" : state) {
            case "FAILED" -> r.get("failTime");
            case "COMPLETED" -> r.get("completeTime");
            case "ABORTED" -> r.get("abortTime");
            default -> null;
        };
        putTime(node, "startedAt", started);
        putTime(node, "endedAt", ended);
        if (started instanceof ZonedDateTime s && ended instanceof ZonedDateTime e) {
            node.put("durationMs", Duration.between(s, e).toMillis());
        } else {
            node.putNull("durationMs");
        }
        node.set("args", F.objectNode());
        String jobKey = str(r, "jobKey");
        node.put("jobKey", jobKey);
        node.put("errorMessage", str(r, "errorMessage"));
        node.set("inputDatasetVersions", versions(inputs));
        node.set("outputDatasetVersions", versions(outputs));
        node.set("facets", facets(r));
        return node;
    }

    private static ArrayNode versions(List<Map<String, Object>> io) {
        ArrayNode array = F.arrayNode();
        for (Map<String, Object> d : io) {
            ObjectNode version = F.objectNode();
            version.set("datasetVersionId", id(str(d, "namespace"), str(d, "name")).put("version", str(d, "version")));
            String facets = str(d, "facets");
            version.set("facets", facets == null ? F.objectNode() : JsonView.parse(facets));
            array.add(version);
        }
        return array;
    }
}
