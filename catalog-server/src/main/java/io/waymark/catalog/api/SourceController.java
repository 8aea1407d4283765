package io.waymark.catalog.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.waymark.catalog.auth.Roles;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.neo4j.driver.Record;

import java.net.URI;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static io.waymark.catalog.api.JsonView.F;

/**
 * Marquez's sources: the data sources datasets name in their dataSource facet, and {@code default}
 * for datasets that name none (as Marquez files them), derived from the datasets in the graph.
 */
@Controller("/api/v1/sources")
@Secured(Roles.VIEWER)
@ExecuteOn(TaskExecutors.BLOCKING)
@ReadTurn
public class SourceController {
    private static final String SOURCES = """
            MATCH (d:Dataset) WHERE NOT coalesce(d.deleted, false)
            WITH coalesce(d.sourceName, 'default') AS name, d
            WITH name, min(d.createdAt) AS createdAt, max(d.updatedAt) AS updatedAt,
                 [u IN collect(d.sourceUri) WHERE u IS NOT NULL][0] AS uri, count(d) AS datasets
            WHERE $name IS NULL OR name = $name
            RETURN name, createdAt, updatedAt, uri, datasets ORDER BY name SKIP $offset LIMIT $limit""";

    private final CatalogService catalog;

    public SourceController(CatalogService catalog) {
        this.catalog = catalog;
    }

    @Get
    public HttpResponse<?> list(@QueryValue(defaultValue = "100") @Min(1) @Max(10_000) int limit,
                                @QueryValue(defaultValue = "0") @Min(0) int offset) {
        ArrayNode sources = F.arrayNode();
        sources(null, limit, offset).forEach(sources::add);
        ObjectNode body = F.objectNode();
        body.set("sources", sources);
        return JsonView.ok(body);
    }

    @Get("/{source}")
    public HttpResponse<?> get(@PathVariable String source) {
        return sources(source, 1, 0).stream().findFirst().<HttpResponse<?>>map(JsonView::ok)
                .orElseGet(() -> JsonView.notFound("source '" + source + "'"));
    }

    private List<ObjectNode> sources(String name, int limit, int offset) {
        Map<String, Object> params = new HashMap<>();
        params.put("name", name);
        params.put("limit", limit);
        params.put("offset", offset);
        return catalog.read(SOURCES, params).stream().map(SourceController::source).toList();
    }

    private static ObjectNode source(Record r) {
        String uri = r.get("uri").asString(null);
        ObjectNode node = F.objectNode().put("type", type(uri)).put("name", r.get("name").asString());
        JsonView.putTime(node, "createdAt", r.get("createdAt").asObject());
        JsonView.putTime(node, "updatedAt", r.get("updatedAt").asObject());
        node.put("connectionUrl", uri == null ? "" : uri);
        node.putNull("description");
        node.put("datasets", r.get("datasets").asLong());
        return node;
    }

    /** The connection URL's scheme in upper case (POSTGRES, S3 …), as Marquez names source types; DEFAULT without one. */
    private static String type(String uri) {
        try {
            String scheme = uri == null ? null : URI.create(uri).getScheme();
            return scheme == null ? "DEFAULT" : scheme.toUpperCase(Locale.ROOT);
        } catch (IllegalArgumentException e) {
            return "DEFAULT";
        }
    }
}
