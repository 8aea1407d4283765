package io.waymark.catalog.impact;

import io.micronaut.security.annotation.Secured;
import io.waymark.catalog.auth.Roles;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.waymark.catalog.api.JsonView;
import io.waymark.catalog.api.ReadTurn;
import io.waymark.catalog.lineage.NodeResolver;
import io.waymark.catalog.model.NodeId;

import java.util.ArrayList;
import java.util.List;

/** {@code GET /api/v1/impact?nodeId=&change=drop|rename|type-change|delete|delay[&depth=][&format=csv]}. */
@Controller("/api/v1/impact")
@Secured(Roles.VIEWER)
@ExecuteOn(TaskExecutors.BLOCKING)
@ReadTurn
public class ImpactController {
    private final ImpactService impact;
    private final NodeResolver nodes;

    public ImpactController(ImpactService impact, NodeResolver nodes) {
        this.impact = impact;
        this.nodes = nodes;
    }

    @Get
    public HttpResponse<?> impact(@QueryValue String nodeId, @QueryValue String change,
                                  @QueryValue(defaultValue = "20") int depth, @Nullable @QueryValue String format,
                                  @Nullable @QueryValue String namespace, @Nullable @QueryValue String name) {
        NodeId id;
        ImpactService.Change kind;
        try {
            id = NodeId.parse(nodeId);
        } catch (IllegalArgumentException e) {
            return JsonView.badRequest("nodeId", e.getMessage());
        }
        try {
            kind = ImpactService.Change.valueOf(change.trim().toUpperCase().replace('-', '_'));
        } catch (IllegalArgumentException e) {
            return JsonView.badRequest("change", "change must be drop, rename, type-change, delete or delay");
        }
        if (id.type() == NodeId.Type.RUN) {
            return JsonView.badRequest("nodeId", "impact starts at a dataset, a datasetField or a job");
        }
        if (depth < 1 || depth > 50) {
            return JsonView.badRequest("depth", "depth must be between 1 and 50");
        }
        if (format != null && !format.equals("csv") && !format.equals("json")) {
            return JsonView.badRequest("format", "format must be json or csv");
        }
        NodeResolver.Resolution node = nodes.resolve(id, namespace, name);
        if (node.error() != null) {
            return node.error();
        }
        ObjectNode body = impact.impact(node.node(), kind, depth);
        if (body == null) {
            return JsonView.notFound("node '" + nodeId + "'");
        }
        if ("csv".equals(format)) {
            return HttpResponse.ok(csv(body)).contentType(MediaType.of("text/csv; charset=utf-8"))
                    .header("Content-Disposition", "attachment; filename=\"impact.csv\"");
        }
        return JsonView.ok(body);
    }

    /** RFC 4180 CSV; cells that a spreadsheet would run as a formula are prefixed with a quote. */
    static String csv(ObjectNode body) {
        StringBuilder out = new StringBuilder("nodeId,type,distance,effect,path,owners,classifications,regulations,truncated\r\n");
        for (JsonNode a : body.path("affected")) {
            List<String> cells = new ArrayList<>();
            cells.add(a.path("nodeId").asText());
            cells.add(a.path("type").asText());
            cells.add(a.path("distance").asText());
            cells.add(a.path("effect").asText());
            cells.add(join(a.path("path"), " > "));
            cells.add(join(a.path("owners"), "; "));
            cells.add(join(a.path("classifications"), "; "));
            cells.add(join(a.path("regulations"), "; "));
            cells.add(body.path("truncated").asText());
            out.append(String.join(",", cells.stream().map(ImpactController::cell).toList())).append("\r\n");
        }
        return out.toString();
    }

    private static String join(JsonNode list, String separator) {
        List<String> parts = new ArrayList<>();
        list.forEach(p -> parts.add(p.asText()));
        return String.join(separator, parts);
    }

    private static String cell(String value) {
        String v = !value.isEmpty() && "=+-@\t\r".indexOf(value.charAt(0)) >= 0 ? "'" + value : value;
        return v.contains(",") || v.contains("\"") || v.contains("\n") || v.contains("\r") ? "\"" + v.replace("\"", "\"\"") + "\"" : v;
    }
}
