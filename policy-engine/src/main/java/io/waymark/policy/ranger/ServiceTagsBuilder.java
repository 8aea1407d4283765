package io.waymark.policy.ranger;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.ranger.plugin.model.RangerPolicy.RangerPolicyResource;
import org.apache.ranger.plugin.model.RangerServiceResource;
import org.apache.ranger.plugin.model.RangerTag;
import org.apache.ranger.plugin.model.RangerTagDef;
import org.apache.ranger.plugin.model.RangerTagDef.RangerTagAttributeDef;
import org.apache.ranger.plugin.util.ServiceTags;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Builds the ServiceTags document of Ranger's tag REST API ({@code PUT /service/tags/importservicetags})
 * from Apache Ranger's own model classes: one tag definition per classification code, one tag per
 * distinct (code, protection, source), one service resource per column (database, table, column of
 * the Hive service) and the mapping from resources to tags. Ranger's tag-based policies then match
 * the code as the tag type (e.g. a masking policy on {@code PII.contact.email}) and may read the
 * protection attribute. Ids are local to the document; resources carry a stable {@code guid} so
 * Ranger updates them in place.
 */
public final class ServiceTagsBuilder {
    public static final String SOURCE = "waymark";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One label on one column. */
    public record ColumnLabel(RangerMapping.Resource table, String column, String code, String protection, String source) {}

    private ServiceTagsBuilder() {}

    /** {@code op}: replace (the document is everything Waymark knows for the service) or add_or_update. */
    public static ObjectNode build(String serviceName, String op, List<ColumnLabel> labels) {
        return JSON.valueToTree(serviceTags(serviceName, op, labels));
    }

    static ServiceTags serviceTags(String serviceName, String op, List<ColumnLabel> labels) {
        Map<String, Long> tagDefIds = new TreeMap<>();
        Map<List<String>, Long> tagIds = new LinkedHashMap<>();
        Map<List<String>, List<Long>> columns = new LinkedHashMap<>();
        long[] next = {1};
        for (ColumnLabel l : labels) {
            tagDefIds.computeIfAbsent(l.code(), c -> next[0]++);
            long tag = tagIds.computeIfAbsent(List.of(l.code(), l.protection(), l.source()), k -> next[0]++);
            List<Long> onColumn = columns.computeIfAbsent(List.of(l.table().database(), l.table().table(), l.column().toLowerCase()),
                    k -> new ArrayList<>());
            if (!onColumn.contains(tag)) {
                onColumn.add(tag);
            }
        }
        ServiceTags doc = new ServiceTags();
        doc.setOp(op);
        doc.setServiceName(serviceName);
        doc.setIsDelta(false);
        Map<Long, RangerTagDef> defs = new LinkedHashMap<>();
        tagDefIds.forEach((code, id) -> {
            RangerTagDef def = new RangerTagDef(code, SOURCE);
            def.setId(id);
            def.setAttributeDefs(List.of(new RangerTagAttributeDef("protection", "string"), new RangerTagAttributeDef("source", "string")));
            defs.put(id, def);
        });
        doc.setTagDefinitions(defs);
        Map<Long, RangerTag> tags = new LinkedHashMap<>();
        tagIds.forEach((key, id) -> {
            Map<String, String> attributes = new LinkedHashMap<>();
            attributes.put("protection", key.get(1));
            attributes.put("source", key.get(2));
            RangerTag tag = new RangerTag(key.get(0), attributes);
            tag.setId(id);
            tag.setOwner(RangerTag.OWNER_SERVICERESOURCE);
            tags.put(id, tag);
        });
        doc.setTags(tags);
        List<RangerServiceResource> resources = new ArrayList<>();
        Map<Long, List<Long>> resourceToTagIds = new LinkedHashMap<>();
        columns.forEach((key, ids) -> {
            Map<String, RangerPolicyResource> elements = new LinkedHashMap<>();
            elements.put("database", new RangerPolicyResource(key.get(0), false, false));
            elements.put("table", new RangerPolicyResource(key.get(1), false, false));
            elements.put("column", new RangerPolicyResource(key.get(2), false, false));
            RangerServiceResource resource = new RangerServiceResource(SOURCE + ":" + serviceName + ":" + String.join(".", key), serviceName, elements);
            long id = next[0]++;
            resource.setId(id);
            resources.add(resource);
            resourceToTagIds.put(id, ids);
        });
        doc.setServiceResources(resources);
        doc.setResourceToTagIds(resourceToTagIds);
        return doc;
    }
}
