package io.waymark.catalog.classify;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.waymark.catalog.model.NodeId;
import io.waymark.policy.classify.Label;

import java.util.List;
import java.util.Map;

import static io.waymark.catalog.api.JsonView.F;

/** The journal entry of a detector run over sample values: labels per column, never a value. */
public final class Detections {
    private Detections() {}

    public static ObjectNode entry(String namespace, String name, Map<String, List<Label>> labels) {
        ObjectNode entry = F.objectNode().put("target", NodeId.dataset(namespace, name)).put("namespace", namespace).put("name", name);
        entry.set("columns", columns(labels));
        return entry;
    }

    public static ObjectNode columns(Map<String, List<Label>> labels) {
        ObjectNode columns = F.objectNode();
        labels.forEach((column, list) -> {
            ArrayNode array = columns.putArray(column);
            list.forEach(l -> array.addObject().put("code", l.code()).put("status", l.status()).put("confidence", l.confidence())
                    .put("protection", l.protection()).put("detector", l.detector()).put("explanation", l.explanation()));
        });
        return columns;
    }
}
