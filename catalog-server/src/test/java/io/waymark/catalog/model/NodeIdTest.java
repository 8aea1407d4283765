package io.waymark.catalog.model;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class NodeIdTest {
    @Test
    void idsOfNamespacesWithColonsAndSlashesRoundTrip() {
        String dataset = NodeId.dataset("postgres://db:5432", "sales.public.orders");
        assertEquals("dataset:postgres://db:5432:sales.public.orders", dataset);
        assertEquals(new NodeId(NodeId.Type.DATASET, dataset), NodeId.parse(dataset));
        String field = NodeId.field("kafka://b1:9092", "topics/orders:v2", "payload.id");
        assertEquals(NodeId.Type.FIELD, NodeId.parse(field).type());
        assertEquals("datasetField:kafka://b1:9092:topics/orders%3Av2:payload.id", field, "a name's colon is escaped");
        assertEquals(NodeId.dataset("kafka://b1:9092", "topics/orders:v2"), NodeId.datasetOfField(field));
        assertEquals("datasetField:kafka://b1:9092:topics/orders:v2:payload.id", NodeId.display(field), "Marquez's id undoes the escape");
        assertEquals(NodeId.Type.JOB, NodeId.parse(NodeId.job("airflow", "dag.task")).type());
        assertEquals(NodeId.Type.RUN, NodeId.parse(NodeId.run("0193505a-3c00-7000-8000-00000000a001")).type());
    }

    @Test
    void aColonMovedBetweenNamespaceAndNameMakesAnotherKey() {
        String a = NodeId.dataset("coll:x", "y");
        String b = NodeId.dataset("coll", "x:y");
        assertNotEquals(a, b);
        assertEquals(NodeId.display(a), NodeId.display(b), "Marquez's text is the same for both");
        assertNotEquals(NodeId.job("coll:x", "y"), NodeId.job("coll", "x:y"));
        assertNotEquals(NodeId.field("coll", "x:y", "z"), NodeId.field("coll", "x", "y:z"));
        assertNotEquals(NodeId.field("coll:x", "y", "z"), NodeId.field("coll", "x:y", "z"));
        assertEquals(List.of("dataset:coll:x:y", b), NodeId.candidates(NodeId.parse("dataset:coll:x:y"), null, null));
        assertEquals(List.of(b), NodeId.candidates(NodeId.parse("dataset:coll:x:y"), "coll", null));
        assertEquals(List.of(a), NodeId.candidates(NodeId.parse("dataset:coll:x:y"), null, "y"));
        assertEquals(List.of(b), NodeId.candidates(NodeId.parse(b), null, null).subList(0, 1), "a key is a candidate of its own");
    }

    @Test
    void escapesRoundTripAndLeaveOrdinaryNamesAlone() {
        for (String name : List.of("a:b", "%3A", "%25", "%:", "%3A:", "x%20y", "50%", "::", "%253A", "%3a")) {
            String key = NodeId.dataset("ns", name);
            assertEquals("dataset:ns:" + name, NodeId.display(key), name);
            assertEquals(key.lastIndexOf(':'), "dataset:ns".length(), "the namespace ends at the key's last colon: " + key);
        }
        assertEquals("dataset:s3://b:x%20y", NodeId.dataset("s3://b", "x%20y"));
        assertEquals("job:airflow:dag.task", NodeId.job("airflow", "dag.task"));
        assertNotEquals(NodeId.dataset("ns", "a%3Ab"), NodeId.dataset("ns", "a:b"));
    }

    @Test
    void refusesIdsWithoutAKnownPrefix() {
        assertThrows(IllegalArgumentException.class, () -> NodeId.parse("table:x:y"));
        assertThrows(IllegalArgumentException.class, () -> NodeId.parse("dataset:"));
        assertThrows(IllegalArgumentException.class, () -> NodeId.parse(""));
    }
}
