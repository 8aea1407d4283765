package io.waymark.catalog.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.inject.Singleton;
import org.neo4j.driver.Record;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static io.waymark.catalog.api.JsonView.F;
import static io.waymark.catalog.api.JsonView.putTime;

/** Dataset versions as Marquez has them: one per distinct version a run wrote or read, or the one a DatasetEvent gave. */
@Singleton
public class DatasetVersions {
    /**
     * A dataset's versions as Marquez lists them: one per version any run wrote or read, created
     * when first seen, with the run that first wrote it (none for a version only read).
     */
    private static final String DATASET_VERSIONS = """
            MATCH (d:Dataset {key: $key})<-[w:WROTE|READ]-(r:Run)
            WHERE $version IS NULL OR w.version = $version
            WITH d, w.version AS version, type(w) AS kind, w.firstSeen AS at, w.schema AS schema, r
            ORDER BY at
            WITH d, version, collect({kind: kind, at: at, schema: schema, run: r}) AS uses
            WITH d, version, uses[0] AS first, [u IN uses WHERE u.kind = 'WROTE'][0] AS firstWrite
            RETURN d, version, first.at AS createdAt, firstWrite.run AS run, coalesce(firstWrite.schema, first.schema) AS schema
            ORDER BY createdAt DESC, version SKIP $offset LIMIT $limit""";
    private static final String DATASET_VERSION_COUNT = """
            MATCH (:Dataset {key: $key})<-[w:WROTE|READ]-(:Run) RETURN count(DISTINCT w.version) AS c""";

    private final CatalogService catalog;

    public DatasetVersions(CatalogService catalog) {
        this.catalog = catalog;
    }

    public ObjectNode list(String key, int limit, int offset) {
        ArrayNode list = F.arrayNode();
        datasetVersionRows(key, null, limit, offset).forEach(list::add);
        long total = catalog.read(DATASET_VERSION_COUNT, Map.of("key", key)).get(0).get("c").asLong();
        if (total == 0 && !list.isEmpty()) {
            total = 1;
        }
        ObjectNode body = F.objectNode();
        body.set("versions", list);
        body.put("totalCount", total);
        return body;
    }

    public Optional<ObjectNode> get(String key, String version) {
        return datasetVersionRows(key, version, 1, 0).stream().findFirst();
    }

    private List<ObjectNode> datasetVersionRows(String key, String wanted, int limit, int offset) {
        Map<String, Object> params = new HashMap<>();
        params.put("key", key);
        params.put("version", wanted);
        params.put("limit", limit);
        params.put("offset", offset);
        List<ObjectNode> versions = new java.util.ArrayList<>();
        for (Record r : catalog.read(DATASET_VERSIONS, params)) {
            Map<String, Object> d = r.get("d").asMap();
            versions.add(datasetVersion(d, r.get("version").asString(null), r.get("createdAt").asObject(),
                    r.get("schema").asString(null), r.get("run").isNull() ? null : r.get("run").asMap()));
        }
        if (versions.isEmpty() && offset == 0) {
            // Known only from a DatasetEvent: the version it was seen with.
            catalog.read(CatalogService.DATASET, Map.of("key", key)).stream().map(r -> r.get("d").asMap())
                    .filter(d -> d.get("currentVersion") != null && (wanted == null || wanted.equals(d.get("currentVersion"))))
                    .forEach(d -> versions.add(datasetVersion(d, (String) d.get("currentVersion"), d.get("createdAt"),
                            (String) d.get("facet.schema"), null)));
        }
        return versions;
    }

    private static ObjectNode datasetVersion(Map<String, Object> d, String v, Object createdAt, String schema, Map<String, Object> run) {
        ObjectNode version = Views.dataset(d, false);
        version.set("id", JsonView.id((String) d.get("namespace"), (String) d.get("name")).put("version", v));
        version.put("version", v);
        putTime(version, "createdAt", createdAt);
        version.set("fields", Views.fields(schema));
        version.set("createdByRun", run == null ? F.nullNode() : Views.run(run, List.of(), List.of()));
        version.set("facets", F.objectNode());
        return version;
    }
}
