package io.waymark.catalog.lineage;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.waymark.catalog.api.JsonBody;
import io.waymark.catalog.api.ReadLimits;
import io.waymark.catalog.config.WaymarkConfig;
import io.waymark.catalog.model.NodeId;
import jakarta.inject.Singleton;
import org.neo4j.driver.Driver;
import org.neo4j.driver.Record;
import org.neo4j.driver.Session;
import org.neo4j.driver.TransactionContext;
import org.neo4j.driver.Value;

import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.waymark.catalog.api.JsonView.F;

/**
 * Column lineage in Marquez's shape: DATASET_FIELD nodes with their input fields and the
 * transformations (type, subtype, masking, job) of each derivation. Bounded like {@link LineageService}.
 */
@Singleton
public class ColumnLineageService {
    private final ReadLimits reads;
    private static final String START_FIELDS = """
            MATCH (d:Dataset {key: $key})-[:HAS_FIELD]->(f:Field) RETURN f.key AS key ORDER BY f.ordinal, f.name LIMIT $limit""";
    private static final String UPSTREAM = """
            UNWIND $keys AS k
            MATCH (n:Field {key: k})
            CALL (n) { MATCH (n)-[:DERIVES_FROM]->(m:Field) RETURN DISTINCT m.key AS other ORDER BY other LIMIT $limit }
            RETURN k, collect(other) AS others""";
    private static final String DOWNSTREAM = """
            UNWIND $keys AS k
            MATCH (n:Field {key: k})
            CALL (n) { MATCH (m:Field)-[:DERIVES_FROM]->(n) RETURN DISTINCT m.key AS other ORDER BY other LIMIT $limit }
            RETURN k, collect(other) AS others""";
    private static final String FIELDS = """
            UNWIND $keys AS k
            MATCH (f:Field {key: k})
            CALL (f) {
                OPTIONAL MATCH (f)-[e:DERIVES_FROM]->(i:Field)
                RETURN collect(e {.type, .subtype, .masking, .description, .job, input: i.key,
                                  namespace: i.namespace, dataset: i.datasetName, field: i.name}) AS inputs
            }
            RETURN f, inputs""";
    private static final String DEPENDENCIES = """
            UNWIND $datasets AS dk
            MATCH (d:Dataset {key: dk})-[e:DEPENDS_ON]->(i:Field)
            RETURN dk AS dataset, i.key AS input, i.namespace AS namespace, i.datasetName AS inputDataset, i.name AS field,
                   e.type AS type, e.subtype AS subtype, e.masking AS masking, e.job AS job
            ORDER BY dataset, input, type, subtype LIMIT $limit""";

    private final Driver driver;
    private final int fanOutCap;
    private final int maxNodes;

    public ColumnLineageService(Driver driver, WaymarkConfig config, ReadLimits reads) {
        this.reads = reads;
        this.driver = driver;
        this.fanOutCap = config.getLineageFanOutCap();
        this.maxNodes = 20 * config.getLineageFanOutCap();
    }

    /** Returns null when the start node does not exist. */
    public JsonBody lineage(NodeId start, int depth, boolean withDownstream) {
        return reads.run(() -> lineageWithinTurn(start, depth, withDownstream));
    }

    private JsonBody lineageWithinTurn(NodeId start, int depth, boolean withDownstream) {
        try (Session session = driver.session()) {
            return session.executeRead(tx -> {
                Set<String> frontier = new LinkedHashSet<>();
                switch (start.type()) {
                    case DATASET -> {
                        if (!tx.run("MATCH (d:Dataset {key: $key}) RETURN d.key", Map.of("key", start.value())).hasNext()) {
                            return null;
                        }
                        tx.run(START_FIELDS, Map.of("key", start.value(), "limit", maxNodes)).list()
                                .forEach(r -> frontier.add(r.get("key").asString()));
                    }
                    case FIELD -> {
                        if (!tx.run("MATCH (f:Field {key: $key}) RETURN f.key", Map.of("key", start.value())).hasNext()) {
                            return null;
                        }
                        frontier.add(start.value());
                    }
                    default -> throw new IllegalArgumentException("column lineage starts at a dataset or a datasetField, not " + start.type().prefix());
                }
                Walk walk = new Walk(fanOutCap, maxNodes);
                frontier.forEach(k -> walk.add(k, "Field"));
                Set<String> up = frontier;
                Set<String> down = withDownstream ? frontier : Set.of();
                for (int hop = 0; hop < depth && (!up.isEmpty() || !down.isEmpty()); hop++) {
                    up = step(tx, walk, up, true);
                    down = step(tx, walk, down, false);
                }
                return render(tx, walk);
            }, reads.config());
        }
    }

    private Set<String> step(TransactionContext tx, Walk walk, Set<String> frontier, boolean upstream) {
        Set<String> next = new LinkedHashSet<>();
        if (frontier.isEmpty()) {
            return next;
        }
        List<Record> rows = tx.run(upstream ? UPSTREAM : DOWNSTREAM,
                Map.of("keys", List.copyOf(frontier), "limit", fanOutCap + 1)).list();
        for (Record r : rows) {
            walk.follow(r.get("k").asString(), r.get("others").asList(Value::asString), upstream, "Field", next);
        }
        walk.expanded(frontier, upstream);
        return next;
    }

    private JsonBody render(TransactionContext tx, Walk walk) {
        Map<String, ObjectNode> data = new HashMap<>();
        Set<String> datasets = new LinkedHashSet<>();
        for (Record r : tx.run(FIELDS, Map.of("keys", List.copyOf(walk.labels.keySet()))).list()) {
            Map<String, Object> f = r.get("f").asMap();
            ObjectNode node = F.objectNode();
            node.put("namespace", (String) f.get("namespace"));
            node.put("dataset", (String) f.get("datasetName"));
            node.put("field", (String) f.get("name"));
            // Marquez answers "" for a field whose type it does not know, and its Java client refuses null.
            Object type = f.get("type");
            node.put("fieldType", type == null ? "" : (String) type);
            ArrayNode inputs = node.putArray("inputFields");
            Map<String, ObjectNode> byInput = new HashMap<>();
            for (Map<String, Object> e : r.get("inputs").asList(Value::asMap)) {
                if (e.get("input") == null) {
                    continue;
                }
                ObjectNode input = byInput.computeIfAbsent((String) e.get("input"), k -> {
                    ObjectNode in = inputs.addObject();
                    in.put("namespace", (String) e.get("namespace"));
                    in.put("dataset", (String) e.get("dataset"));
                    in.put("field", (String) e.get("field"));
                    in.put("transformationDescription", (String) e.get("description"));
                    in.put("transformationType", (String) e.get("subtype"));
                    in.putArray("transformations");
                    return in;
                });
                ((ArrayNode) input.get("transformations")).addObject()
                        .put("type", (String) e.get("type"))
                        .put("subtype", (String) e.get("subtype"))
                        .put("masking", Boolean.TRUE.equals(e.get("masking")))
                        .put("description", (String) e.get("description"))
                        .put("job", (String) e.get("job"));
            }
            data.put((String) f.get("key"), node);
            datasets.add((String) f.get("dataset"));
        }
        ArrayNode dependencies = F.arrayNode();
        for (Record r : tx.run(DEPENDENCIES, Map.of("datasets", List.copyOf(datasets), "limit", maxNodes)).list()) {
            dependencies.addObject()
                    .put("dataset", NodeId.display(r.get("dataset").asString()))
                    .put("inputField", NodeId.display(r.get("input").asString()))
                    .put("namespace", r.get("namespace").asString(null))
                    .put("inputDataset", r.get("inputDataset").asString(null))
                    .put("field", r.get("field").asString(null))
                    .put("type", r.get("type").asString(null))
                    .put("subtype", r.get("subtype").asString(null))
                    .put("masking", r.get("masking").asBoolean(false))
                    .put("job", r.get("job").asString(null));
        }
        return walk.toGraph(data, label -> "DATASET_FIELD", Map.of(), LineageLabels.ofFields(tx, List.copyOf(walk.labels.keySet())), json -> {
            json.writeFieldName("datasetDependencies");
            json.writeTree(dependencies);
        });
    }
}
