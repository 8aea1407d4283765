package io.waymark.catalog.impact;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.waymark.catalog.api.ReadLimits;
import io.waymark.catalog.config.WaymarkConfig;
import io.waymark.catalog.lineage.LineageIndex;
import io.waymark.catalog.model.NodeId;
import io.waymark.policy.taxonomy.Classification;
import io.waymark.policy.taxonomy.Taxonomy;
import jakarta.inject.Singleton;
import org.neo4j.driver.Driver;
import org.neo4j.driver.Record;
import org.neo4j.driver.Session;
import org.neo4j.driver.Value;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static io.waymark.catalog.api.JsonView.F;

/**
 * "What breaks, and which obligations are touched, if this changes?" Walks downstream from a
 * dataset (jobs that read it, what they write, and on) or, column-precise, from a field along
 * column lineage, bounded like every lineage walk, and tells for each affected node how far it
 * is, the path to it, its owners, its labels and the regulations those labels bring in.
 */
@Singleton
public class ImpactService {
    /** The changes an impact question can ask about. */
    public enum Change { DROP, RENAME, TYPE_CHANGE, DELETE, DELAY }

    private static final String FIELD_DOWNSTREAM = """
            UNWIND $keys AS k
            MATCH (o:Field)-[e:DERIVES_FROM]->(i:Field {key: k})
            RETURN k AS from, o.key AS to, e.job AS job, e.type AS type, e.subtype AS subtype ORDER BY to LIMIT $limit""";
    private static final String FIELD_READERS = """
            MATCH (d:Dataset)-[:HAS_FIELD]->(f:Field {key: $key}) MATCH (j:Job)-[:READS]->(d) RETURN DISTINCT j.key AS job ORDER BY job LIMIT $limit""";
    /** Owners (ownership facet and the owner annotation) and confident, unsuppressed labels of each affected node. */
    private static final String DETAILS = """
            UNWIND $keys AS k
            CALL (k) {
                OPTIONAL MATCH (d:Dataset {key: k})
                OPTIONAL MATCH (j:Job {key: k})
                OPTIONAL MATCH (f:Field {key: k})
                OPTIONAL MATCH (fd:Dataset {key: f.dataset})
                RETURN coalesce(d, j, fd) AS holder, d, f
            }
            CALL (holder) { OPTIONAL MATCH (holder)-[:OWNED_BY]->(o:Owner) RETURN collect(o.name) AS names }
            CALL (d) {
                OPTIONAL MATCH (d)-[:HAS_FIELD]->(x:Field)-[r:CLASSIFIED_AS]->(c:Classification)
                WHERE r.status IN ['ACTIVE', 'CONFIRMED', 'DETECTED']
                  AND NOT EXISTS { (x)-[:CLASSIFIED_AS {status: 'SUPPRESSED'}]->(c) }
                RETURN collect(DISTINCT c.code) AS datasetCodes
            }
            CALL (f) {
                OPTIONAL MATCH (f)-[r:CLASSIFIED_AS]->(c:Classification)
                WHERE r.status IN ['ACTIVE', 'CONFIRMED', 'DETECTED']
                  AND NOT EXISTS { (f)-[:CLASSIFIED_AS {status: 'SUPPRESSED'}]->(c) }
                RETURN collect(DISTINCT c.code) AS fieldCodes
            }
            RETURN k AS key, names + CASE WHEN holder.`ann.owner` IS NULL THEN [] ELSE [holder.`ann.owner`] END AS owners,
                   datasetCodes + fieldCodes AS codes """;

    private final Driver driver;
    private final ReadLimits reads;
    private final LineageIndex index;
    private final Taxonomy taxonomy;
    private final int fanOutCap;
    private final int maxNodes;

    public ImpactService(Driver driver, LineageIndex index, Taxonomy taxonomy, WaymarkConfig config, ReadLimits reads) {
        this.reads = reads;
        this.driver = driver;
        this.index = index;
        this.taxonomy = taxonomy;
        this.fanOutCap = config.getLineageFanOutCap();
        this.maxNodes = 20 * config.getLineageFanOutCap();
    }

    /** Returns null when the node does not exist. */
    public ObjectNode impact(NodeId start, Change change, int depth) {
        // A turn among the API's bounded reads, as every answer's graph work takes.
        return reads.run(() -> impactWithinTurn(start, change, depth));
    }

    private ObjectNode impactWithinTurn(NodeId start, Change change, int depth) {
        try (Session session = driver.session()) {
            String label = start.type() == NodeId.Type.FIELD ? "Field" : start.type() == NodeId.Type.JOB ? "Job" : "Dataset";
            if (!session.executeRead(tx -> tx.run("MATCH (n:" + label + " {key: $key}) RETURN n.key", Map.of("key", start.value())).hasNext())) {
                return null;
            }
            Map<String, Hit> hits = new LinkedHashMap<>();
            boolean truncated = start.type() == NodeId.Type.FIELD ? fieldWalk(session, start.value(), depth, hits) : datasetWalk(start, depth, hits);
            Map<String, Record> details = new LinkedHashMap<>();
            if (!hits.isEmpty()) {
                for (Record r : session.executeRead(tx -> tx.run(DETAILS, Map.of("keys", List.copyOf(hits.keySet()))).list())) {
                    details.put(r.get("key").asString(), r);
                }
            }
            ArrayNode affected = F.arrayNode();
            for (Hit hit : hits.values()) {
                ObjectNode node = affected.addObject();
                node.put("nodeId", NodeId.display(hit.key));
                node.put("type", hit.type);
                node.put("distance", hit.distance);
                node.put("effect", effect(change, hit));
                ArrayNode path = node.putArray("path");
                hit.path.forEach(p -> path.add(NodeId.display(p)));
                Record detail = details.get(hit.key);
                List<String> owners = detail == null ? List.of() : detail.get("owners").asList(Value::asString);
                List<String> codes = detail == null ? List.of() : detail.get("codes").asList(Value::asString);
                ArrayNode ownerArray = node.putArray("owners");
                new TreeSet<>(owners).forEach(ownerArray::add);
                ArrayNode codeArray = node.putArray("classifications");
                new TreeSet<>(codes).forEach(codeArray::add);
                ArrayNode regulations = node.putArray("regulations");
                regulations(codes).forEach(regulations::add);
            }
            ObjectNode body = F.objectNode();
            body.put("nodeId", NodeId.display(start.value()));
            body.put("change", change.name().toLowerCase().replace('_', '-'));
            body.set("affected", affected);
            body.put("truncated", truncated);
            return body;
        }
    }

    private boolean datasetWalk(NodeId start, int depth, Map<String, Hit> hits) {
        boolean truncated = false;
        Deque<Hit> queue = new ArrayDeque<>();
        boolean fromDataset = start.type() == NodeId.Type.DATASET;
        queue.add(new Hit(start.value(), fromDataset ? "DATASET" : "JOB", 0, List.of(start.value()), null));
        Set<String> seen = new LinkedHashSet<>(List.of(start.value()));
        while (!queue.isEmpty()) {
            Hit at = queue.poll();
            boolean dataset = at.type.equals("DATASET");
            // distance counts jobs, as lineage depth does: dataset -> job is distance 1
            int next = dataset ? at.distance + 1 : at.distance;
            if (dataset && next > depth) {
                continue;
            }
            List<String> others = index.neighbours(at.key, dataset, false, null, fanOutCap + 1);
            if (others.size() > fanOutCap) {
                truncated = true;
                others = others.subList(0, fanOutCap);
            }
            for (String other : others) {
                if (!seen.add(other)) {
                    continue;
                }
                if (seen.size() > maxNodes) {
                    return true;
                }
                List<String> path = new ArrayList<>(at.path);
                path.add(other);
                Hit hit = new Hit(other, dataset ? "JOB" : "DATASET", next, path, null);
                hits.put(other, hit);
                queue.add(hit);
            }
        }
        return truncated;
    }

    private boolean fieldWalk(Session session, String start, int depth, Map<String, Hit> hits) {
        boolean truncated = false;
        for (Record r : session.executeRead(tx -> tx.run(FIELD_READERS, Map.of("key", start, "limit", fanOutCap + 1)).list())) {
            hits.putIfAbsent(r.get("job").asString(), new Hit(r.get("job").asString(), "JOB", 1, List.of(start, r.get("job").asString()), null));
        }
        Map<String, Hit> frontier = new LinkedHashMap<>();
        frontier.put(start, new Hit(start, "DATASET_FIELD", 0, List.of(start), null));
        Set<String> seen = new LinkedHashSet<>(List.of(start));
        for (int hop = 1; hop <= depth && !frontier.isEmpty(); hop++) {
            Map<String, Hit> next = new LinkedHashMap<>();
            int level = hop;
            List<Record> rows = session.executeRead(tx -> tx.run(FIELD_DOWNSTREAM,
                    Map.of("keys", List.copyOf(frontier.keySet()), "limit", maxNodes + 1)).list());
            if (rows.size() > maxNodes) {
                truncated = true;
            }
            for (Record r : rows) {
                Hit from = frontier.get(r.get("from").asString());
                String to = r.get("to").asString();
                String job = r.get("job").asString(null);
                if (job != null && !hits.containsKey(job)) {
                    List<String> jobPath = new ArrayList<>(from.path);
                    jobPath.add(job);
                    hits.put(job, new Hit(job, "JOB", level, jobPath, null));
                }
                if (!seen.add(to)) {
                    continue;
                }
                List<String> path = new ArrayList<>(from.path);
                if (job != null) {
                    path.add(job);
                }
                path.add(to);
                String transformation = r.get("type").asString("") + "/" + r.get("subtype").asString("");
                Hit hit = new Hit(to, "DATASET_FIELD", level, path, from.transformation == null ? transformation : from.transformation + ">" + transformation);
                hits.put(to, hit);
                next.put(to, hit);
            }
            frontier.clear();
            frontier.putAll(next);
        }
        return truncated;
    }

    /** What the change does to an affected node, in words a data engineer acts on. */
    private static String effect(Change change, Hit hit) {
        boolean direct = hit.distance <= 1;
        return switch (change) {
            case DROP, DELETE -> hit.type.equals("JOB") && direct ? "breaks: reads what is removed" : direct ? "loses its input" : "stale: fed by a broken job";
            case RENAME -> hit.type.equals("JOB") && direct ? "breaks: refers to the old name" : "stale: fed by a broken job";
            case TYPE_CHANGE -> hit.transformation != null && hit.transformation.endsWith("IDENTITY")
                    ? "type changes with it (identity copy)" : hit.type.equals("JOB") && direct ? "may break: reads the changed type" : "may change or break";
            case DELAY -> "late";
        };
    }

    /** GDPR for personal data, HIPAA for PHI identifiers and clinical data, PCI-DSS for account data, SOX for financial reporting. */
    private List<String> regulations(List<String> codes) {
        Set<String> regulations = new TreeSet<>();
        for (String code : codes) {
            Classification c = taxonomy.find(code).orElse(null);
            if (c == null) {
                continue;
            }
            if (c.personalData()) {
                regulations.add("GDPR");
            }
            if (c.code().startsWith("PHI.") || (c.hipaaIdentifier().isPresent() && c.code().startsWith("PHI"))) {
                regulations.add("HIPAA");
            }
            if (c.pciElement().filter(e -> !e.equals("none")).isPresent()) {
                regulations.add("PCI-DSS");
            }
            if (c.code().startsWith("FIN.REPORTING")) {
                regulations.add("SOX");
            }
        }
        return List.copyOf(regulations);
    }

    private record Hit(String key, String type, int distance, List<String> path, String transformation) {}
}
