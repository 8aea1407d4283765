package io.waymark.catalog.ingest;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;

/** Per-item outcome of a batch: how many were accepted and which were refused, by position. */
public record BatchResult(int accepted, List<Rejected> rejected) {
    public record Rejected(int index, String error, String field) {}

    /**
     * The answer of OpenLineage's {@code POST /lineage/batch}: status, summary and the failed
     * events with their reason and whether sending them again could help (a refused event is the
     * same on every try: never). Waymark's own {@code accepted} and {@code rejected} stay beside it.
     */
    public ObjectNode body() {
        JsonNodeFactory f = JsonNodeFactory.instance;
        ObjectNode body = f.objectNode().put("status", rejected.isEmpty() ? "success" : "partial_success");
        body.putObject("summary").put("received", accepted + rejected.size()).put("successful", accepted).put("failed", rejected.size());
        ArrayNode failed = body.putArray("failed_events");
        for (Rejected r : rejected) {
            failed.addObject().put("index", r.index()).put("reason", r.error()).put("retriable", false).put("field", r.field());
        }
        body.put("accepted", accepted);
        ArrayNode refused = body.putArray("rejected");
        for (Rejected r : rejected) {
            refused.addObject().put("index", r.index()).put("error", r.error()).put("field", r.field());
        }
        return body;
    }
}
