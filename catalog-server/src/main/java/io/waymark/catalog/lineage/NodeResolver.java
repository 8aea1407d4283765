package io.waymark.catalog.lineage;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.waymark.catalog.api.JsonView;
import io.waymark.catalog.model.NodeId;
import jakarta.inject.Singleton;
import org.neo4j.driver.Driver;
import org.neo4j.driver.Record;
import org.neo4j.driver.Session;
import org.neo4j.driver.TransactionContext;

import java.util.List;
import java.util.Map;

/**
 * Finds the node a client's id names. Marquez's text ids are ambiguous when a namespace or a name
 * contains ':', so every reading of the text is looked up: one existing node is the answer, none
 * is a 404 (after a bare alias's physical dataset is tried), and several are a 400 that lists
 * them and asks for {@code namespace} and {@code name}, instead of a guess.
 */
@Singleton
public class NodeResolver {
    private static final String EXISTING = """
            UNWIND $keys AS k MATCH (n:%s {key: k})
            RETURN n.key AS key, n.namespace AS namespace, coalesce(n.datasetName, n.name) AS name,
                   CASE WHEN n:Field THEN n.name END AS field""";

    private final Driver driver;

    public NodeResolver(Driver driver) {
        this.driver = driver;
    }

    /** The outcome: exactly one of {@code node} (found), {@code error} (not found or ambiguous). */
    public record Resolution(NodeId node, HttpResponse<?> error) {}

    public Resolution resolve(NodeId id, String namespace, String name) {
        try (Session session = driver.session()) {
            return session.executeRead(tx -> resolve(tx, id, namespace, name));
        }
    }

    /**
     * {@link #resolve(NodeId, String, String)} inside a caller's transaction: a lineage answer
     * resolves and walks in one (each transaction costs a few ms of Bolt round trips).
     * A node it returns exists.
     */
    public static Resolution resolve(TransactionContext tx, NodeId id, String namespace, String name) {
        List<String> keys = NodeId.candidates(id, blankToNull(namespace), blankToNull(name));
        List<Record> found = tx.run(EXISTING.formatted(id.type().label()), Map.of("keys", keys)).list();
        if (found.size() == 1) {
            return new Resolution(Aliases.resolve(tx, new NodeId(id.type(), found.get(0).get("key").asString())), null);
        }
        if (found.size() > 1) {
            return new Resolution(null, ambiguous(id, found));
        }
        for (String key : keys) {
            NodeId candidate = new NodeId(id.type(), key);
            NodeId physical = Aliases.resolve(tx, candidate);
            if (!physical.equals(candidate)) {
                return new Resolution(physical, null);
            }
        }
        return new Resolution(null, JsonView.notFound("node '" + id.value() + "'"));
    }

    private static HttpResponse<?> ambiguous(NodeId id, List<Record> found) {
        ObjectNode body = JsonView.errorBody(400, "ambiguous_node_id", "nodeId", "'" + id.value() + "' names " + found.size()
                + " nodes (a namespace or name contains ':'); pass namespace= and name= to choose one");
        ArrayNode candidates = body.putArray("candidates");
        for (Record r : found) {
            ObjectNode c = candidates.addObject().put("namespace", r.get("namespace").asString(null)).put("name", r.get("name").asString(null));
            if (!r.get("field").isNull()) {
                c.put("field", r.get("field").asString());
            }
        }
        return HttpResponse.<String>status(HttpStatus.BAD_REQUEST).body(JsonView.write(body)).contentType(MediaType.APPLICATION_JSON_TYPE);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
