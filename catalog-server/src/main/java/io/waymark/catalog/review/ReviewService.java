package io.waymark.catalog.review;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.waymark.catalog.api.JsonView;
import io.waymark.catalog.ingest.EventKind;
import io.waymark.catalog.ingest.IngestService;
import io.waymark.catalog.ingest.InvalidEventException;
import io.waymark.catalog.model.NodeId;
import io.waymark.catalog.projection.Projector;
import io.waymark.policy.taxonomy.Taxonomy;
import jakarta.inject.Singleton;
import org.neo4j.driver.Driver;
import org.neo4j.driver.Record;
import org.neo4j.driver.Session;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.waymark.catalog.api.JsonView.F;

/**
 * The steward's review queue: labels proposed by the classifier (on arrival, by name) or by a
 * detector (from samples) that no steward has decided on, and decisions on them in bulk. A
 * decision is journaled as the steward's label (accept) or suppression (reject), so it survives
 * rescans and rebuilds; a rejection keeps the evidence it rejected, and a label whose evidence
 * later changes comes back for review.
 */
@Singleton
public class ReviewService {
    public static final int MAX_DECISIONS = 1000;
    private static final String UNDECIDED = """
            MATCH (d:Dataset)-[:HAS_FIELD]->(f:Field)-[r:CLASSIFIED_AS {status: 'PROPOSED'}]->(c:Classification)
            WHERE NOT coalesce(d.deleted, false) AND ($ns IS NULL OR d.namespace = $ns) AND ($code IS NULL OR c.code = $code)
              AND r.confidence >= $min
              AND NOT EXISTS { (f)-[s:CLASSIFIED_AS {source: 'STEWARD'}]->(c) WHERE s.status IN ['CONFIRMED', 'SUPPRESSED'] }
              AND NOT EXISTS { (f)-[a:CLASSIFIED_AS]->(c) WHERE a.status IN ['DETECTED', 'ACTIVE', 'CONFIRMED'] AND a.source <> 'PROPAGATED' }
            WITH d, f, c, r ORDER BY r.confidence DESC
            WITH d, f, c, collect(r)[0] AS r
            """;
    /** One pass over the undecided labels gives both the page and the count (the queue is read whole either way). */
    private static final String PROPOSALS = UNDECIDED + """
            WITH d, f, c, r ORDER BY r.confidence DESC, d.namespace, d.name, f.name, c.code
            WITH collect({namespace: d.namespace, dataset: d.name, field: f.name, code: c.code, source: r.source, confidence: r.confidence,
                          detector: r.detector, explanation: r.explanation, protection: r.protection}) AS queue
            RETURN size(queue) AS total, queue[$offset..($offset + $limit)] AS page""";
    /** The explanation a rejection keeps: the one classified on arrival, which is what can change. */
    private static final String EVIDENCE = """
            UNWIND $rows AS row
            OPTIONAL MATCH (:Field {key: row.fieldKey})-[r:CLASSIFIED_AS {source: 'NAME'}]->(:Classification {code: row.code})
            RETURN row.fieldKey AS field, row.code AS code, r.explanation AS explanation, EXISTS { MATCH (:Field {key: row.fieldKey}) } AS exists""";

    private final Driver driver;
    private final IngestService ingest;
    private final Projector projector;
    private final Taxonomy taxonomy;

    public ReviewService(Driver driver, IngestService ingest, Projector projector, Taxonomy taxonomy) {
        this.driver = driver;
        this.ingest = ingest;
        this.projector = projector;
        this.taxonomy = taxonomy;
    }

    public ObjectNode proposals(String namespace, String code, double minConfidence, int limit, int offset) {
        Map<String, Object> params = new HashMap<>();
        params.put("ns", namespace);
        params.put("code", code);
        params.put("min", minConfidence);
        params.put("limit", limit);
        params.put("offset", offset);
        ArrayNode list = F.arrayNode();
        Record answer;
        try (Session session = driver.session()) {
            answer = session.executeRead(tx -> tx.run(PROPOSALS, params).single());
        }
        long total = answer.get("total").asLong();
        for (Map<String, Object> p : answer.get("page").asList(org.neo4j.driver.Value::asMap)) {
            ObjectNode row = list.addObject();
            for (String k : new String[] {"namespace", "dataset", "field", "code", "source", "detector", "explanation", "protection"}) {
                row.put(k, (String) p.get(k));
            }
            row.put("confidence", p.get("confidence") instanceof Number n ? n.doubleValue() : 0);
        }
        ObjectNode body = F.objectNode();
        body.set("proposals", list);
        body.put("totalCount", total);
        return body;
    }

    /** One steward decision on a label. */
    public record Decision(String namespace, String dataset, String field, String code, boolean accept, String reason) {
        String fieldKey() {
            return NodeId.field(namespace, dataset, field);
        }
    }

    /**
     * Journals the decisions in one commit (all or none), waits until they are in the graph, and
     * answers how many were accepted and rejected. A decision on a field that does not exist
     * refuses the whole request.
     */
    public ObjectNode decide(List<Decision> decisions, String actor) throws Exception {
        for (int i = 0; i < decisions.size(); i++) {
            if (taxonomy.find(decisions.get(i).code()).isEmpty()) {
                throw InvalidEventException.invalid("decisions[" + i + "].code", "unknown classification code '" + decisions.get(i).code() + "'");
            }
        }
        List<Map<String, Object>> rows = new ArrayList<>();
        decisions.forEach(d -> rows.add(Map.of("fieldKey", d.fieldKey(), "code", d.code())));
        Map<String, String> evidence = new HashMap<>();
        try (Session session = driver.session()) {
            List<Record> found = session.executeRead(tx -> tx.run(EVIDENCE, Map.of("rows", rows)).list());
            for (int i = 0; i < found.size(); i++) {
                Record r = found.get(i);
                if (!r.get("exists").asBoolean()) {
                    throw InvalidEventException.notFound("decisions[" + i + "].field",
                            "no field '" + decisions.get(i).field() + "' in dataset '" + decisions.get(i).dataset() + "'");
                }
                if (!r.get("explanation").isNull()) {
                    evidence.put(r.get("field").asString() + "\n" + r.get("code").asString(), r.get("explanation").asString());
                }
            }
        }
        List<IngestService.GovernanceEntry> entries = new ArrayList<>();
        int accepted = 0;
        for (Decision d : decisions) {
            ObjectNode entry = F.objectNode().put("target", d.fieldKey()).put("dataset", NodeId.dataset(d.namespace(), d.dataset()))
                    .put("code", d.code()).put("actor", actor).put("reason", d.reason());
            if (!d.accept()) {
                entry.put("evidence", evidence.get(d.fieldKey() + "\n" + d.code()));
            }
            accepted += d.accept() ? 1 : 0;
            entries.add(new IngestService.GovernanceEntry(d.accept() ? EventKind.CLASSIFY : EventKind.UNCLASSIFY, d.fieldKey(), JsonView.write(entry)));
        }
        ingest.journalGovernance(entries).get();
        projector.awaitCaughtUp(Duration.ofSeconds(30));
        return F.objectNode().put("accepted", accepted).put("rejected", decisions.size() - accepted);
    }
}
