package io.waymark.catalog.lineage;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.waymark.catalog.api.JsonBody;
import io.waymark.catalog.api.RawJson;
import io.waymark.catalog.model.NodeId;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import static io.waymark.catalog.api.JsonView.F;

/**
 * The state of one bounded lineage traversal (dataset/job or column level): nodes in discovery
 * order, the edges between them, which nodes each direction has expanded, and whether a cap cut
 * the result. Both caps live here so every walk applies them the same way.
 */
final class Walk {
    final Map<String, String> labels = new LinkedHashMap<>();
    final Map<String, Set<String>> in = new HashMap<>();
    final Map<String, Set<String>> out = new HashMap<>();
    private final Set<String> expandedUp = new HashSet<>();
    private final Set<String> expandedDown = new HashSet<>();
    private final int fanOutCap;
    private final int maxNodes;
    boolean truncated;

    Walk(int fanOutCap, int maxNodes) {
        this.fanOutCap = fanOutCap;
        this.maxNodes = maxNodes;
    }

    void add(String key, String label) {
        labels.putIfAbsent(key, label);
    }

    /**
     * Adds one node's neighbours (queries ask for cap + 1 so a cut can be told) with edges the way
     * data flows, and puts those not yet expanded in this direction into {@code next}.
     */
    void follow(String from, List<String> others, boolean upstream, String label, Set<String> next) {
        if (others.size() > fanOutCap) {
            truncated = true;
            others = others.subList(0, fanOutCap);
        }
        for (String other : others) {
            boolean isNew = !labels.containsKey(other);
            if (isNew && labels.size() >= maxNodes) {
                truncated = true;
                continue;
            }
            add(other, label);
            if (upstream) {
                edge(other, from);
            } else {
                edge(from, other);
            }
            if (isNew || !(upstream ? expandedUp : expandedDown).contains(other)) {
                next.add(other);
            }
        }
    }

    /** Records that the frontier has been expanded in one direction. */
    void expanded(Collection<String> frontier, boolean upstream) {
        (upstream ? expandedUp : expandedDown).addAll(frontier);
    }

    List<String> keys(String label) {
        List<String> keys = new ArrayList<>();
        labels.forEach((k, l) -> {
            if (l.equals(label)) {
                keys.add(k);
            }
        });
        return keys;
    }

    /**
     * Marquez's graph, written as it streams out: one entry per node with its data and its in/out
     * edges; {@code neighbours} (Waymark's addition, absent for a node not in the map) counts all of
     * a node's upstream and downstream neighbours, so a client can show how many lie beyond the
     * edges returned; {@code classifications} (Waymark's too) are the node's active labels.
     * A node's data is either raw JSON (a cached lineage view, copied as it is) or a tree. Every
     * node id is encoded once: an edge names two of them and each edge is written from both ends.
     * {@code more} writes any fields after {@code truncated}.
     */
    JsonBody toGraph(Map<String, ?> data, Function<String, String> type, Map<String, long[]> neighbours,
                     Map<String, ArrayNode> classifications, JsonBody.Content more) {
        return new JsonBody(json -> {
            Map<String, SerializedString> ids = new HashMap<>();
            labels.keySet().forEach(key -> ids.put(key, new SerializedString(NodeId.display(key))));
            json.writeStartObject();
            json.writeArrayFieldStart("graph");
            for (Map.Entry<String, String> node : labels.entrySet()) {
                String key = node.getKey();
                json.writeStartObject();
                json.writeFieldName("id");
                json.writeString(ids.get(key));
                json.writeStringField("type", type.apply(node.getValue()));
                json.writeFieldName("data");
                Object value = data.get(key);
                if (value instanceof RawJson text) {
                    json.writeRawValue(text);
                } else {
                    json.writeTree(value == null ? F.objectNode() : (JsonNode) value);
                }
                edges(json, "inEdges", in.get(key), key, true, ids);
                edges(json, "outEdges", out.get(key), key, false, ids);
                long[] counts = neighbours.get(key);
                if (counts != null) {
                    json.writeObjectFieldStart("neighbours");
                    json.writeNumberField("upstream", counts[0]);
                    json.writeNumberField("downstream", counts[1]);
                    json.writeEndObject();
                }
                json.writeFieldName("classifications");
                ArrayNode labelled = classifications.get(key);
                json.writeTree(labelled == null ? F.arrayNode() : labelled);
                json.writeEndObject();
            }
            json.writeEndArray();
            json.writeBooleanField("truncated", truncated);
            more.write(json);
            json.writeEndObject();
        });
    }

    private void edge(String origin, String destination) {
        out.computeIfAbsent(origin, k -> new LinkedHashSet<>()).add(destination);
        in.computeIfAbsent(destination, k -> new LinkedHashSet<>()).add(origin);
    }

    private static void edges(JsonGenerator json, String field, Set<String> others, String self, boolean incoming,
                              Map<String, SerializedString> ids) throws IOException {
        json.writeArrayFieldStart(field);
        if (others != null) {
            for (String other : others) {
                json.writeStartObject();
                json.writeFieldName("origin");
                json.writeString(ids.get(incoming ? other : self));
                json.writeFieldName("destination");
                json.writeString(ids.get(incoming ? self : other));
                json.writeEndObject();
            }
        }
        json.writeEndArray();
    }
}
