package io.waymark.catalog.api;

import io.micronaut.security.annotation.Secured;
import io.waymark.catalog.auth.Roles;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.neo4j.driver.Record;

import java.util.HashMap;
import java.util.Map;

import static io.waymark.catalog.api.JsonView.F;

/** {@code GET /api/v1/search}: case-insensitive search over datasets (with their aliases), jobs and (on request) fields. */
@Controller("/api/v1/search")
@Secured(Roles.VIEWER)
@ExecuteOn(TaskExecutors.BLOCKING)
@ReadTurn
public class SearchController {
    /**
     * Datasets a bare alias matched are listed as the dataset the alias names, once, with its
     * aliases. Results rank exact matches of the name (or its last segment) first, then prefixes of
     * the name or of one of its segments (split at . / :), then any substring; by the best-ranked
     * of the names that matched (a dataset's own, its aliases').
     */
    private static final String SEARCH = """
            CALL () {
                MATCH (d:Dataset) WHERE $datasets AND d.search CONTAINS $q AND ($ns IS NULL OR d.namespace = $ns) AND NOT coalesce(d.deleted, false)
                OPTIONAL CALL (d) { WITH d AS a MATCH (p:Dataset)-[:SYMLINK_OF]->(a) WHERE %s RETURN p ORDER BY p.key LIMIT 1 }
                WITH coalesce(p, d) AS x, d.search AS hit
                WITH x, collect(hit) AS hits
                RETURN 'DATASET' AS type, x.name AS name, x.namespace AS namespace, x.updatedAt AS updatedAt, x.key AS nodeId, null AS dataset,
                       hits, [(x)-[:SYMLINK_OF]->(a:Dataset) | a {.namespace, .name}] AS aliases
                UNION ALL
                MATCH (j:Job) WHERE $jobs AND j.search CONTAINS $q AND ($ns IS NULL OR j.namespace = $ns) AND NOT coalesce(j.deleted, false)
                RETURN 'JOB' AS type, j.name AS name, j.namespace AS namespace, j.updatedAt AS updatedAt, j.key AS nodeId, null AS dataset,
                       [j.search] AS hits, [] AS aliases
                UNION ALL
                MATCH (f:Field) WHERE $fields AND f.search CONTAINS $q AND ($ns IS NULL OR f.namespace = $ns)
                RETURN 'FIELD' AS type, f.name AS name, f.namespace AS namespace, null AS updatedAt, f.key AS nodeId, f.datasetName AS dataset,
                       [f.search] AS hits, [] AS aliases
            }
            WITH type, name, namespace, updatedAt, nodeId, dataset, aliases,
                 [h IN hits | split(replace(replace(h, '/', '.'), ':', '.'), '.')] AS segmented, hits
            WITH type, name, namespace, updatedAt, nodeId, dataset, aliases,
                 reduce(best = 2, i IN range(0, size(hits) - 1) |
                     CASE WHEN hits[i] = $q OR last(segmented[i]) = $q THEN 0
                          WHEN best > 1 AND (hits[i] STARTS WITH $q OR any(s IN segmented[i] WHERE s STARTS WITH $q)) THEN 1
                          ELSE best END) AS rank
            RETURN type, name, namespace, updatedAt, nodeId, dataset, aliases, rank
            ORDER BY rank, size(name), name LIMIT $limit""".formatted(io.waymark.catalog.lineage.Aliases.BARE);

    private final CatalogService catalog;

    public SearchController(CatalogService catalog) {
        this.catalog = catalog;
    }

    @Get
    public HttpResponse<?> search(@QueryValue String q,
                                  @Nullable @QueryValue String filter,
                                  @Nullable @QueryValue String namespace,
                                  @QueryValue(defaultValue = "20") @Min(1) @Max(1000) int limit) {
        if (q.isBlank()) {
            return JsonView.badRequest("q", "q must not be empty");
        }
        String type = filter == null ? "" : filter.toUpperCase();
        if (!type.isEmpty() && !type.equals("DATASET") && !type.equals("JOB") && !type.equals("FIELD")) {
            return JsonView.badRequest("filter", "filter must be DATASET, JOB or FIELD");
        }
        Map<String, Object> params = new HashMap<>();
        params.put("q", q.toLowerCase());
        params.put("ns", namespace);
        params.put("limit", limit);
        params.put("datasets", type.isEmpty() || type.equals("DATASET"));
        params.put("jobs", type.isEmpty() || type.equals("JOB"));
        params.put("fields", type.equals("FIELD"));
        ArrayNode results = F.arrayNode();
        for (Record r : catalog.read(SEARCH, params)) {
            ObjectNode result = results.addObject();
            result.put("type", r.get("type").asString());
            result.put("name", r.get("name").asString());
            result.put("namespace", r.get("namespace").asString(null));
            JsonView.putTime(result, "updatedAt", r.get("updatedAt").asObject());
            result.put("nodeId", io.waymark.catalog.model.NodeId.display(r.get("nodeId").asString()));
            if (!r.get("dataset").isNull()) {
                result.put("dataset", r.get("dataset").asString());
            }
            result.put("match", switch (r.get("rank").asInt()) {
                case 0 -> "EXACT";
                case 1 -> "PREFIX";
                default -> "SUBSTRING";
            });
            if (!r.get("aliases").asList().isEmpty()) {
                ArrayNode aliases = result.putArray("aliases");
                r.get("aliases").asList(v -> v.asMap()).forEach(a -> aliases.addObject()
                        .put("namespace", (String) a.get("namespace")).put("name", (String) a.get("name")));
            }
        }
        ObjectNode body = F.objectNode();
        body.put("totalCount", results.size());
        body.set("results", results);
        return JsonView.ok(body);
    }
}
