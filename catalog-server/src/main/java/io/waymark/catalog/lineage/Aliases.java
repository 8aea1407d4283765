package io.waymark.catalog.lineage;

import io.waymark.catalog.model.NodeId;
import jakarta.inject.Singleton;
import org.neo4j.driver.Driver;
import org.neo4j.driver.Record;
import org.neo4j.driver.Session;
import org.neo4j.driver.TransactionContext;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Dataset aliases from the symlinks facet: Spark reports a file path and declares the catalog
 * table that names it ({@code analytics.customer_ltv}). The alias is its own node, but one that
 * nothing reads or writes and that has no schema; it stands for the physical dataset, so its id
 * leads there. A node that events use directly is a dataset of its own, also when it is some
 * dataset's symlink.
 */
@Singleton
public class Aliases {
    /** A bare alias: the target of a SYMLINK_OF, with no lineage and no fields of its own. */
    public static final String BARE = """
            NOT EXISTS { (a)<-[:READS|WRITES|READ|WROTE]-() } AND NOT EXISTS { (a)-[:HAS_FIELD]->() }""";
    private static final String PHYSICAL = """
            MATCH (p:Dataset)-[:SYMLINK_OF]->(a:Dataset {key: $key}) WHERE %s
            RETURN p.key AS key ORDER BY p.key LIMIT 1""".formatted(BARE);
    private static final String FIELD_PHYSICAL = """
            MATCH (p:Dataset)-[:SYMLINK_OF]->(a:Dataset)
            WHERE $key STARTS WITH 'datasetField:' + substring(a.key, 8) + ':' AND %s
            RETURN p.key AS physical, a.key AS alias ORDER BY size(a.key) DESC, p.key LIMIT 1""".formatted(BARE);

    private final Driver driver;

    public Aliases(Driver driver) {
        this.driver = driver;
    }

    /** The physical dataset a bare alias stands for. */
    public Optional<String> physicalOf(String datasetKey) {
        return read(PHYSICAL, datasetKey).stream().findFirst().map(r -> r.get("key").asString());
    }

    /** {@link #physicalOf(String)} inside a caller's transaction. */
    public static Optional<String> physicalOf(TransactionContext tx, String datasetKey) {
        return tx.run(PHYSICAL, Map.of("key", datasetKey)).list().stream().findFirst().map(r -> r.get("key").asString());
    }

    /**
     * The node an id stands for: a bare alias's physical dataset, or the same field of it; any
     * other id as it is. A field id is resolved only when no field has that key.
     */
    public NodeId resolve(NodeId id) {
        try (Session session = driver.session()) {
            return session.executeRead(tx -> resolve(tx, id));
        }
    }

    /** {@link #resolve(NodeId)} inside a caller's transaction. */
    public static NodeId resolve(TransactionContext tx, NodeId id) {
        if (id.type() == NodeId.Type.DATASET) {
            return physicalOf(tx, id.value()).map(key -> new NodeId(NodeId.Type.DATASET, key)).orElse(id);
        }
        if (id.type() == NodeId.Type.FIELD && tx.run("MATCH (f:Field {key: $key}) RETURN f.key AS key", Map.of("key", id.value())).list().isEmpty()) {
            for (Record r : tx.run(FIELD_PHYSICAL, Map.of("key", id.value())).list()) {
                String alias = r.get("alias").asString();
                String field = id.value().substring(("datasetField:" + alias.substring("dataset:".length()) + ":").length());
                return new NodeId(NodeId.Type.FIELD, "datasetField:" + r.get("physical").asString().substring("dataset:".length()) + ":" + field);
            }
        }
        return id;
    }

    private List<Record> read(String query, String key) {
        try (Session session = driver.session()) {
            return session.executeRead(tx -> tx.run(query, Map.of("key", key)).list());
        }
    }
}
