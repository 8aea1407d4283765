package io.waymark.catalog.lineage;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.waymark.catalog.model.NodeId;

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
     * Marquez's graph: one entry per node with its data and its in/out edges; {@code neighbours}
     * (Waymark's addition, absent for a node not in the map) counts all of a node's upstream and
     * downstream neighbours, so a client can show how many lie beyond the edges returned.
     */
    ObjectNode toGraph(Map<String, ObjectNode> data, Function<String, String> type, Map<String, long[]> neighbours) {
        ArrayNode graph = F.arrayNode();
        labels.forEach((key, label) -> {
            ObjectNode node = graph.addObject();
            node.put("id", NodeId.display(key));
            node.put("type", type.apply(label));
            node.set("data", data.getOrDefault(key, F.objectNode()));
            node.set("inEdges", edges(in.get(key), key, true));
            node.set("outEdges", edges(out.get(key), key, false));
            long[] counts = neighbours.get(key);
            if (counts != null) {
                node.putObject("neighbours").put("upstream", counts[0]).put("downstream", counts[1]);
            }
        });
        ObjectNode body = F.objectNode();
        body.set("graph", graph);
        body.put("truncated", truncated);
        return body;
    }

    private void edge(String origin, String destination) {
        out.computeIfAbsent(origin, k -> new LinkedHashSet<>()).add(destination);
        in.computeIfAbsent(destination, k -> new LinkedHashSet<>()).add(origin);
    }

    private static ArrayNode edges(Set<String> others, String self, boolean incoming) {
        ArrayNode array = F.arrayNode();
        if (others != null) {
            for (String other : others) {
                array.addObject().put("origin", NodeId.display(incoming ? other : self)).put("destination", NodeId.display(incoming ? self : other));
            }
        }
        return array;
    }
}
