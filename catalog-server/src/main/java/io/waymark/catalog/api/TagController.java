package io.waymark.catalog.api;

import io.micronaut.security.annotation.Secured;
import io.waymark.catalog.auth.Roles;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.neo4j.driver.Record;

import java.util.Map;

import static io.waymark.catalog.api.JsonView.F;

/** Marquez's {@code GET /api/v1/tags}: the tags datasets and jobs carry (tags facet) and those defined or given through the API. */
@Controller("/api/v1/tags")
@Secured(Roles.VIEWER)
@ExecuteOn(TaskExecutors.BLOCKING)
@ReadTurn
public class TagController {
    private static final String TAGS = """
            CALL () {
                MATCH (d:Dataset) WHERE d.tags IS NOT NULL UNWIND d.tags AS tag RETURN tag
                UNION
                MATCH (j:Job) WHERE j.tags IS NOT NULL UNWIND j.tags AS tag RETURN tag
                UNION
                MATCH (t:Tag) RETURN t.name AS tag
            }
            OPTIONAL MATCH (t:Tag {name: tag})
            RETURN tag, t.description AS description ORDER BY tag SKIP $offset LIMIT $limit""";

    private final CatalogService catalog;

    public TagController(CatalogService catalog) {
        this.catalog = catalog;
    }

    @Get
    public HttpResponse<?> tags(@QueryValue(defaultValue = "100") @Min(1) @Max(10_000) int limit,
                                @QueryValue(defaultValue = "0") @Min(0) int offset) {
        ArrayNode tags = F.arrayNode();
        for (Record r : catalog.read(TAGS, Map.of("limit", limit, "offset", offset))) {
            tags.addObject().put("name", r.get("tag").asString()).put("description", r.get("description").asString(null));
        }
        ObjectNode body = F.objectNode();
        body.set("tags", tags);
        return JsonView.ok(body);
    }
}
