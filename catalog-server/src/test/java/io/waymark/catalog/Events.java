package io.waymark.catalog;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.UUID;

/** Builds small OpenLineage events for tests. */
public final class Events {
    private Events() {}

    static ObjectNode run(String type, String runId, String time, String jobNs, String job) {
        ObjectNode e = TestServer.JSON.createObjectNode();
        e.put("eventTime", time);
        e.put("producer", "https://example.com/waymark-tests");
        e.put("schemaURL", "https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent");
        if (type != null) {
            e.put("eventType", type);
        }
        e.putObject("run").put("runId", runId);
        e.putObject("job").put("namespace", jobNs).put("name", job);
        e.putArray("inputs");
        e.putArray("outputs");
        return e;
    }

    static ObjectNode dataset(String ns, String name) {
        ObjectNode d = TestServer.JSON.createObjectNode();
        d.put("namespace", ns).put("name", name);
        return d;
    }

    static ObjectNode withIo(ObjectNode event, ObjectNode[] inputs, ObjectNode[] outputs) {
        ArrayNode in = (ArrayNode) event.get("inputs");
        ArrayNode out = (ArrayNode) event.get("outputs");
        for (ObjectNode i : inputs) {
            in.add(i);
        }
        for (ObjectNode o : outputs) {
            out.add(o);
        }
        return event;
    }

    /** A COMPLETE run of {@code job} reading {@code inputs} and writing {@code outputs}, in namespace {@code ns}. */
    public static ObjectNode complete(String ns, String job, String[] inputs, String[] outputs, String time) {
        ObjectNode e = run("COMPLETE", UUID.randomUUID().toString(), time, ns, job);
        for (String i : inputs) {
            ((ArrayNode) e.get("inputs")).add(dataset(ns, i));
        }
        for (String o : outputs) {
            ((ArrayNode) e.get("outputs")).add(dataset(ns, o));
        }
        return e;
    }

    public static String ns() {
        return "test-" + UUID.randomUUID().toString().substring(0, 8);
    }
}
