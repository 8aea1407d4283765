package io.waymark.policy.ranger;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Builds the ServiceTags document of Ranger's tag REST API ({@code PUT /service/tags/importservicetags}):
 * one tag definition per classification code, one tag per distinct (code, protection, source),
 * one service resource per column (database, table, column of the Hive service) and the mapping
 * from resources to tags. Ranger's tag-based policies then match the code as the tag type (e.g. a
 * masking policy on {@code PII.contact.email}) and may read the protection attribute. Ids are
 * local to the document; resources carry a stable {@code guid} so Ranger updates them in place.
 */
public final class ServiceTagsBuilder {
    public static final String SOURCE = "waymark";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One label on one column. */
    public record ColumnLabel(RangerMapping.Resource table, String column, String code, String protection, String source) {}

    private ServiceTagsBuilder() {}

    /** {@code op}: replace (the document is everything Waymark knows for the service) or add_or_update. */
    public static ObjectNode build(String serviceName, String op, List<ColumnLabel> labels) {
        Map<String, Long> tagDefIds = new TreeMap<>();
        Map<List<String>, Long> tagIds = new LinkedHashMap<>();
        Map<List<String>, List<Long>> resources = new LinkedHashMap<>();
        long[] next = {1};
        for (ColumnLabel l : labels) {
            tagDefIds.computeIfAbsent(l.code(), c -> next[0]++);
            long tag = tagIds.computeIfAbsent(List.of(l.code(), l.protection(), l.source()), k -> next[0]++);
            List<Long> onColumn = resources.computeIfAbsent(List.of(l.table().database(), l.table().table(), l.column().toLowerCase()),
                    k -> new ArrayList<>());
            if (!onColumn.contains(tag)) {
                onColumn.add(tag);
            }
        }
        ObjectNode doc = JSON.createObjectNode().put("op", op).put("serviceName", serviceName).put("isDelta", false);
        ObjectNode defs = doc.putObject("tagDefinitions");
        tagDefIds.forEach((code, id) -> {
            ObjectNode def = defs.putObject(Long.toString(id)).put("id", id).put("name", code).put("source", SOURCE);
            ArrayNode attributes = def.putArray("attributeDefs");
            attributes.addObject().put("name", "protection").put("type", "string");
            attributes.addObject().put("name", "source").put("type", "string");
        });
        ObjectNode tags = doc.putObject("tags");
        tagIds.forEach((key, id) -> {
            ObjectNode tag = tags.putObject(Long.toString(id)).put("id", id).put("type", key.get(0)).put("owner", 0);
            tag.putObject("attributes").put("protection", key.get(1)).put("source", key.get(2));
        });
        ArrayNode serviceResources = doc.putArray("serviceResources");
        ObjectNode map = doc.putObject("resourceToTagIds");
        resources.forEach((key, ids) -> {
            long id = next[0]++;
            ObjectNode resource = serviceResources.addObject().put("id", id)
                    .put("guid", SOURCE + ":" + serviceName + ":" + String.join(".", key)).put("serviceName", serviceName);
            ObjectNode elements = resource.putObject("resourceElements");
            element(elements, "database", key.get(0));
            element(elements, "table", key.get(1));
            element(elements, "column", key.get(2));
            ArrayNode tagList = map.putArray(Long.toString(id));
            ids.forEach(tagList::add);
        });
        return doc;
    }

    private static void element(ObjectNode elements, String name, String value) {
        ObjectNode e = elements.putObject(name).put("isExcludes", false).put("isRecursive", false);
        e.putArray("values").add(value);
    }
}
