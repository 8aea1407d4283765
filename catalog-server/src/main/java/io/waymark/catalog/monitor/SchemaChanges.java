package io.waymark.catalog.monitor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.waymark.catalog.api.JsonView;
import io.waymark.catalog.impact.ImpactService;
import io.waymark.catalog.incident.IncidentDao;
import io.waymark.catalog.ingest.Json;
import io.waymark.catalog.model.NodeId;
import io.waymark.catalog.model.Times;
import org.jdbi.v3.core.Jdbi;
import org.neo4j.driver.Driver;
import org.neo4j.driver.Record;
import org.neo4j.driver.Session;
import org.neo4j.driver.Value;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Schema changes that break downstream column lineage: for each dataset whose fields other fields
 * derive from, the monitor keeps the schema it last accepted; a newer schema that drops or retypes a
 * field something downstream derives from is a breaking change, with the affected downstream fields
 * and their owners (the impact service's walk). It stays one until the schema is reverted or a
 * person resolves the incident (accepting the change); a compatible change (added fields, changes to
 * fields nothing uses) simply becomes the new baseline.
 */
final class SchemaChanges {
    static final String KIND = "BREAKING_SCHEMA_CHANGE";
    private static final int IMPACT_DEPTH = 5;
    private static final int MAX_AFFECTED = 50;

    /** Datasets with fields that downstream fields derive from, their current schema and those used fields. */
    private static final String USED = """
            MATCH (d:Dataset)-[:HAS_FIELD]->(f:Field)<-[:DERIVES_FROM]-(:Field)
            WHERE NOT coalesce(d.deleted, false) AND d.`facet.schema` IS NOT NULL
            WITH d, collect(DISTINCT f.name) AS used
            RETURN d.key AS key, d.namespace AS namespace, d.name AS name, d.`facet.schema` AS schema, used,
                   d.`ann.tier` AS tier, d.`ann.owner` AS owner""";

    private SchemaChanges() {}

    static List<DatasetHealth.Problem> problems(Driver driver, Jdbi jdbi, ImpactService impact) {
        List<DatasetHealth.Problem> problems = new ArrayList<>();
        List<Record> rows;
        try (Session session = driver.session()) {
            rows = session.executeRead(tx -> tx.run(USED).list());
        }
        String now = Times.format(Instant.now());
        // Every baseline in one read and every new one in one transaction: one query per dataset
        // was nearly all of a check's time on 4,000 jobs (BENCHMARKS.md, "Monitor check").
        Map<String, String> baselines = new java.util.HashMap<>();
        jdbi.useHandle(h -> h.createQuery("SELECT dataset_key, fields_json FROM monitor_schema")
                .map((rs, ctx) -> Map.entry(rs.getString(1), rs.getString(2))).forEach(e -> baselines.put(e.getKey(), e.getValue())));
        Map<String, String> accepted = new LinkedHashMap<>();
        for (Record r : rows) {
            String key = r.get("key").asString();
            Map<String, String> current = fields(r.get("schema").asString());
            String currentJson = JsonView.write(Json.STRICT.valueToTree(current));
            String baselineJson = baselines.get(key);
            if (baselineJson == null) {
                accepted.put(key, currentJson);
                continue;
            }
            if (baselineJson.equals(currentJson)) {
                continue;
            }
            Map<String, String> baseline = new LinkedHashMap<>();
            JsonView.parse(baselineJson).fields().forEachRemaining(e -> baseline.put(e.getKey(), e.getValue().isNull() ? null : e.getValue().asText()));
            List<Map<String, Object>> changes = new ArrayList<>();
            for (String used : r.get("used").asList(Value::asString)) {
                if (!baseline.containsKey(used)) {
                    continue;
                }
                if (!current.containsKey(used)) {
                    changes.add(change(used, "DROPPED", baseline.get(used), null));
                } else if (baseline.get(used) != null && current.get(used) != null && !baseline.get(used).equalsIgnoreCase(current.get(used))) {
                    changes.add(change(used, "RETYPED", baseline.get(used), current.get(used)));
                }
            }
            String episode = Integer.toHexString(currentJson.hashCode());
            if (changes.isEmpty() || jdbi.withExtension(IncidentDao.class, d -> d.resolvedEpisode(KIND, key, episode))) {
                accepted.put(key, currentJson);
                continue;
            }
            problems.add(problem(r, key, changes, episode, impact));
        }
        if (!accepted.isEmpty()) {
            accept(jdbi, accepted, now);
        }
        return problems;
    }

    private static DatasetHealth.Problem problem(Record r, String key, List<Map<String, Object>> changes, String episode, ImpactService impact) {
        List<Map<String, Object>> affected = new ArrayList<>();
        TreeSet<String> owners = new TreeSet<>();
        for (Map<String, Object> c : changes) {
            ImpactService.Change what = c.get("change").equals("DROPPED") ? ImpactService.Change.DROP : ImpactService.Change.TYPE_CHANGE;
            ObjectNode answer = impact.impact(new NodeId(NodeId.Type.FIELD, NodeId.fieldOf(key, (String) c.get("field"))), what, IMPACT_DEPTH);
            if (answer == null) {
                continue;
            }
            for (JsonNode a : answer.path("affected")) {
                if (!a.path("type").asText().equals("DATASET_FIELD") || affected.size() >= MAX_AFFECTED) {
                    continue;
                }
                Map<String, Object> hit = new LinkedHashMap<>();
                hit.put("because", c.get("field"));
                hit.put("nodeId", a.path("nodeId").asText());
                hit.put("distance", a.path("distance").asInt());
                List<String> hitOwners = new ArrayList<>();
                a.path("owners").forEach(o -> hitOwners.add(o.asText()));
                hit.put("owners", hitOwners);
                owners.addAll(hitOwners);
                affected.add(hit);
            }
        }
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("changes", changes);
        detail.put("affected", affected);
        detail.put("affectedOwners", List.copyOf(owners));
        List<String> words = new ArrayList<>();
        for (Map<String, Object> c : changes) {
            words.add(c.get("change").equals("DROPPED") ? "dropped " + c.get("field") + " (" + c.get("from") + ")"
                    : "retyped " + c.get("field") + " " + c.get("from") + " → " + c.get("to"));
        }
        String reason = String.join(", ", words) + "; " + affected.size() + " downstream field" + (affected.size() == 1 ? "" : "s") + " derive from "
                + (changes.size() == 1 ? "it" : "them") + (owners.isEmpty() ? "" : " (owners: " + String.join(", ", owners) + ")");
        return new DatasetHealth.Problem(KIND, key, r.get("namespace").asString(), r.get("name").asString(), reason, episode,
                r.get("tier").isNull() ? null : r.get("tier").asLong(), r.get("owner").asString(null), detail);
    }

    private static Map<String, Object> change(String field, String change, String from, String to) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("field", field);
        c.put("change", change);
        c.put("from", from);
        c.put("to", to);
        return c;
    }

    /** A schema facet's top-level fields by name, with their types. */
    static Map<String, String> fields(String schemaFacet) {
        Map<String, String> fields = new LinkedHashMap<>();
        for (JsonNode f : JsonView.parse(schemaFacet).path("fields")) {
            if (f.path("name").isTextual()) {
                fields.put(f.path("name").asText(), f.path("type").isTextual() ? f.path("type").asText() : null);
            }
        }
        return fields;
    }

    private static void accept(Jdbi jdbi, Map<String, String> fieldsByDataset, String now) {
        jdbi.useTransaction(h -> {
            var batch = h.prepareBatch("""
                    INSERT INTO monitor_schema (dataset_key, fields_json, accepted_at) VALUES (:k, :f, :at)
                    ON CONFLICT (dataset_key) DO UPDATE SET fields_json = excluded.fields_json, accepted_at = excluded.accepted_at""");
            fieldsByDataset.forEach((k, f) -> batch.bind("k", k).bind("f", f).bind("at", now).add());
            batch.execute();
        });
    }
}
