package io.waymark.catalog.lineage;

import io.micronaut.security.annotation.Secured;
import io.waymark.catalog.auth.Roles;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.waymark.catalog.api.JsonBody;
import io.waymark.catalog.api.JsonView;
import io.waymark.catalog.api.ReadTurn;
import io.waymark.catalog.model.NodeId;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;

/** {@code GET /api/v1/lineage} and {@code GET /api/v1/column-lineage}. */
@Controller("/api/v1")
@Secured(Roles.VIEWER)
@ExecuteOn(TaskExecutors.BLOCKING)
@ReadTurn
public class LineageController {
    private final LineageService lineage;
    private final ColumnLineageService columns;
    private final NodeResolver nodes;

    public LineageController(LineageService lineage, ColumnLineageService columns, NodeResolver nodes) {
        this.lineage = lineage;
        this.columns = columns;
        this.nodes = nodes;
    }

    @Get("/lineage")
    public HttpResponse<?> lineage(@QueryValue String nodeId,
                                   @QueryValue(defaultValue = "20") int depth,
                                   @Nullable @QueryValue String direction,
                                   @Nullable @QueryValue String asOf,
                                   @Nullable @QueryValue String namespace,
                                   @Nullable @QueryValue String name,
                                   @QueryValue(defaultValue = "true") boolean fields) {
        NodeId id;
        Direction dir;
        ZonedDateTime at;
        try {
            id = NodeId.parse(nodeId);
            dir = Direction.parse(direction);
            at = asOf == null || asOf.isBlank() ? null : OffsetDateTime.parse(asOf).atZoneSameInstant(ZoneOffset.UTC);
        } catch (IllegalArgumentException | DateTimeParseException e) {
            return JsonView.badRequest(asOf != null && e instanceof DateTimeParseException ? "asOf" : nodeId == null ? "nodeId" : "direction", e.getMessage());
        }
        if (depth < 0 || depth > lineage.maxDepth()) {
            return JsonView.badRequest("depth", "depth must be between 0 and " + lineage.maxDepth());
        }
        if (id.type() != NodeId.Type.DATASET && id.type() != NodeId.Type.JOB) {
            return JsonView.badRequest("nodeId", "lineage starts at a dataset: or job: node");
        }
        // An alias's id answers its physical dataset's lineage.
        return lineage.lineage(id, namespace, name, depth, dir, at, fields);
    }

    @Get("/column-lineage")
    public HttpResponse<?> columnLineage(@QueryValue String nodeId,
                                         @QueryValue(defaultValue = "20") int depth,
                                         @QueryValue(defaultValue = "false") boolean withDownstream,
                                         @Nullable @QueryValue String namespace,
                                         @Nullable @QueryValue String name) {
        NodeId id;
        try {
            id = NodeId.parse(nodeId);
        } catch (IllegalArgumentException e) {
            return JsonView.badRequest("nodeId", e.getMessage());
        }
        if (depth < 0 || depth > lineage.maxDepth()) {
            return JsonView.badRequest("depth", "depth must be between 0 and " + lineage.maxDepth());
        }
        if (id.type() != NodeId.Type.DATASET && id.type() != NodeId.Type.FIELD) {
            return JsonView.badRequest("nodeId", "column lineage starts at a dataset: or datasetField: node");
        }
        NodeResolver.Resolution node = nodes.resolve(id, namespace, name);
        if (node.error() != null) {
            return node.error();
        }
        JsonBody body = columns.lineage(node.node(), depth, withDownstream);
        return body == null ? JsonView.notFound("node '" + nodeId + "'") : JsonView.ok(body);
    }
}
