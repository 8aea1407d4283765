package io.waymark.catalog.discovery;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.waymark.catalog.api.JsonView;
import io.waymark.catalog.audit.AuditFilter;
import io.waymark.catalog.auth.Caller;
import io.waymark.catalog.auth.Roles;
import io.waymark.catalog.ingest.EventParser;
import io.waymark.catalog.ingest.InvalidEventException;

import java.util.LinkedHashMap;
import java.util.Map;

import static io.waymark.catalog.api.JsonView.F;

/**
 * {@code /api/v1/connections}: discovery connections (admin). Passwords go in and never come out:
 * not in answers, not in the audit log, not in the server's log.
 */
@Controller("/api/v1/connections")
@Secured(Roles.ADMIN)
@ExecuteOn(TaskExecutors.BLOCKING)
public class ConnectionsController {
    private final Discovery discovery;
    private final EventParser parser;

    public ConnectionsController(Discovery discovery, EventParser parser) {
        this.discovery = discovery;
        this.parser = parser;
    }

    @Post
    @Consumes(MediaType.APPLICATION_JSON)
    public HttpResponse<?> create(HttpRequest<?> request, @Nullable @Body byte[] body) {
        try {
            JsonNode json = parser.readTree(body == null ? new byte[0] : body);
            Map<String, Object> detail = new LinkedHashMap<>();
            detail.put("jdbcUrl", json.path("jdbcUrl").asText(null));
            detail.put("user", json.path("user").asText(null));
            detail.put("passwordEnv", json.path("passwordEnv").asText(null));
            detail.put("passwordGiven", json.hasNonNull("password"));
            AuditFilter.describe(request, "connection.create", "connection:" + json.path("name").asText(""), detail);
            return JsonView.status(HttpStatus.CREATED, discovery.create(json, Caller.of(request).name()));
        } catch (InvalidEventException e) {
            return refused(e);
        }
    }

    @Get
    public HttpResponse<?> list() {
        ArrayNode list = F.arrayNode();
        discovery.list().forEach(list::add);
        ObjectNode body = F.objectNode();
        body.set("connections", list);
        return JsonView.ok(body);
    }

    @Get("/{name}")
    public HttpResponse<?> get(@PathVariable String name) {
        return discovery.get(name).<HttpResponse<?>>map(JsonView::ok).orElseGet(() -> JsonView.notFound("connection '" + name + "'"));
    }

    @Delete("/{name}")
    @Consumes(MediaType.ALL)
    public HttpResponse<?> delete(HttpRequest<?> request, @PathVariable String name) {
        AuditFilter.describe(request, "connection.delete", "connection:" + name, null);
        return discovery.delete(name) ? JsonView.ok(F.objectNode().put("deleted", name)) : JsonView.notFound("connection '" + name + "'");
    }

    /** 200 either way: {@code ok} says whether the database answered, {@code error} why not. */
    @Post("/{name}/test")
    @Consumes(MediaType.ALL)
    public HttpResponse<?> test(HttpRequest<?> request, @PathVariable String name) {
        AuditFilter.describe(request, "connection.test", "connection:" + name, null);
        ObjectNode result = discovery.test(name);
        return result == null ? JsonView.notFound("connection '" + name + "'") : JsonView.ok(result);
    }

    @Post("/{name}/scans")
    @Consumes(MediaType.ALL)
    public HttpResponse<?> scan(HttpRequest<?> request, @PathVariable String name) {
        AuditFilter.describe(request, "connection.scan", "connection:" + name, null);
        try {
            ObjectNode started = discovery.startScan(name);
            return started == null ? JsonView.notFound("connection '" + name + "'") : JsonView.status(HttpStatus.ACCEPTED, started);
        } catch (InvalidEventException e) {
            return refused(e);
        }
    }

    @Get("/{name}/scans/{id}")
    public HttpResponse<?> scanState(@PathVariable String name, @PathVariable String id) {
        return discovery.scan(name, id).<HttpResponse<?>>map(JsonView::ok).orElseGet(() -> JsonView.notFound("scan '" + id + "' of connection '" + name + "'"));
    }

    private static HttpResponse<?> refused(InvalidEventException e) {
        return JsonView.error(HttpStatus.valueOf(e.status()), e.status() == 409 ? "conflict" : "invalid_request", e.field(), e.detail());
    }
}
