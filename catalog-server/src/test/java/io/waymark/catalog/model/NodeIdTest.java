package io.waymark.catalog.model;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class NodeIdTest {
    @Test
    void idsOfNamespacesWithColonsAndSlashesRoundTrip() {
        String dataset = NodeId.dataset("postgres://db:5432", "sales.public.orders");
        assertEquals("dataset:postgres://db:5432:sales.public.orders", dataset);
        assertEquals(new NodeId(NodeId.Type.DATASET, dataset), NodeId.parse(dataset));
        String field = NodeId.field("kafka://b1:9092", "topics/orders:v2", "payload.id");
        assertEquals(NodeId.Type.FIELD, NodeId.parse(field).type());
        assertEquals("dataset:kafka://b1:9092:topics/orders:v2", NodeId.datasetOfField(field, "payload.id"));
        assertEquals(NodeId.Type.JOB, NodeId.parse(NodeId.job("airflow", "dag.task")).type());
        assertEquals(NodeId.Type.RUN, NodeId.parse(NodeId.run("0193505a-3c00-7000-8000-00000000a001")).type());
    }

    @Test
    void refusesIdsWithoutAKnownPrefix() {
        assertThrows(IllegalArgumentException.class, () -> NodeId.parse("table:x:y"));
        assertThrows(IllegalArgumentException.class, () -> NodeId.parse("dataset:"));
        assertThrows(IllegalArgumentException.class, () -> NodeId.parse(""));
    }
}
