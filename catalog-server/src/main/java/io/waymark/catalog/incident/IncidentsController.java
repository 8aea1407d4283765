package io.waymark.catalog.incident;

import com.fasterxml.jackson.databind.JsonNode;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.waymark.catalog.api.JsonView;
import io.waymark.catalog.audit.AuditFilter;
import io.waymark.catalog.auth.Caller;
import io.waymark.catalog.auth.Roles;
import io.waymark.catalog.ingest.EventParser;
import io.waymark.catalog.ingest.InvalidEventException;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/** {@code /api/v1/incidents}: what is wrong, since when and why; acknowledge and resolve (steward). */
@Controller("/api/v1/incidents")
@ExecuteOn(TaskExecutors.BLOCKING)
public class IncidentsController {
    private static final Set<String> STATES = Set.of("OPEN", "ACKNOWLEDGED", "RESOLVED");

    private final Incidents incidents;
    private final EventParser parser;

    public IncidentsController(Incidents incidents, EventParser parser) {
        this.incidents = incidents;
        this.parser = parser;
    }

    @Get
    @Secured(Roles.VIEWER)
    public HttpResponse<?> list(@Nullable @QueryValue String state, @Nullable @QueryValue String namespace, @Nullable @QueryValue String kind,
                                @Nullable @QueryValue String limit, @Nullable @QueryValue String offset) {
        if (state != null && !STATES.contains(state)) {
            return JsonView.badRequest("state", "state is one of OPEN, ACKNOWLEDGED, RESOLVED");
        }
        io.waymark.catalog.api.Paging page = io.waymark.catalog.api.Paging.of(limit, offset, 100);
        if (page == null) {
            return JsonView.badRequest(null, io.waymark.catalog.api.Paging.RULE);
        }
        return JsonView.ok(incidents.page(state, namespace, kind, page.limit(), page.offset()));
    }

    @Get("/{id}")
    @Secured(Roles.VIEWER)
    public HttpResponse<?> get(@PathVariable String id) {
        return incidents.get(id).<HttpResponse<?>>map(r -> JsonView.ok(incidents.detail(r))).orElseGet(() -> JsonView.notFound("incident '" + id + "'"));
    }

    /** Body (optional): {@code {"reason": "…"}}. An incident already past that state is answered as it is. */
    @Post("/{id}/acknowledge")
    @Secured(Roles.STEWARD)
    @Consumes(MediaType.ALL)
    public HttpResponse<?> acknowledge(HttpRequest<?> request, @PathVariable String id, @Nullable @Body byte[] body) {
        return act(request, id, "acknowledge", body);
    }

    @Post("/{id}/resolve")
    @Secured(Roles.STEWARD)
    @Consumes(MediaType.ALL)
    public HttpResponse<?> resolve(HttpRequest<?> request, @PathVariable String id, @Nullable @Body byte[] body) {
        return act(request, id, "resolve", body);
    }

    private HttpResponse<?> act(HttpRequest<?> request, String id, String action, byte[] body) {
        String reason;
        try {
            JsonNode json = body == null || body.length == 0 ? null : parser.readTree(body);
            if (json != null && !json.isObject()) {
                throw InvalidEventException.invalid("", "the body is optional; when given, a JSON object {\"reason\": \"…\"}");
            }
            reason = json != null && json.path("reason").isTextual() ? json.path("reason").textValue() : null;
        } catch (InvalidEventException e) {
            return JsonView.badRequest(e.field(), e.detail());
        }
        Map<String, Object> detail = new HashMap<>();
        detail.put("reason", reason);
        AuditFilter.describe(request, "incident." + action, "incident:" + id, detail);
        return incidents.act(id, action, Caller.of(request).name(), reason).<HttpResponse<?>>map(r -> JsonView.ok(incidents.detail(r)))
                .orElseGet(() -> JsonView.notFound("incident '" + id + "'"));
    }
}
