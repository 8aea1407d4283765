package io.waymark.catalog.alert;

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

import java.util.LinkedHashMap;
import java.util.Map;

import static io.waymark.catalog.api.JsonView.F;

/** {@code /api/v1/alerts}: notification channels (admin) and the delivery log. Secrets go in and never come out. */
@Controller("/api/v1/alerts")
@Secured(Roles.ADMIN)
@ExecuteOn(TaskExecutors.BLOCKING)
public class AlertsController {
    private final Alerts alerts;
    private final EventParser parser;

    public AlertsController(Alerts alerts, EventParser parser) {
        this.alerts = alerts;
        this.parser = parser;
    }

    @Post("/channels")
    @Consumes(MediaType.APPLICATION_JSON)
    public HttpResponse<?> create(HttpRequest<?> request, @Nullable @Body byte[] body) {
        try {
            JsonNode json = parser.readTree(body == null ? new byte[0] : body);
            Map<String, Object> detail = new LinkedHashMap<>();
            detail.put("type", json.path("type").asText(null));
            detail.put("route", json.path("route").isObject() ? json.path("route").toString() : null);
            AuditFilter.describe(request, "alert.channel.create", "channel:" + json.path("name").asText(""), detail);
            return JsonView.status(HttpStatus.CREATED, alerts.create(json, Caller.of(request).name()));
        } catch (InvalidEventException e) {
            return JsonView.error(HttpStatus.valueOf(e.status()), e.status() == 409 ? "conflict" : "invalid_request", e.field(), e.detail());
        }
    }

    @Get("/channels")
    public HttpResponse<?> list() {
        ArrayNode list = F.arrayNode();
        alerts.list().forEach(list::add);
        ObjectNode body = F.objectNode();
        body.set("channels", list);
        return JsonView.ok(body);
    }

    @Get("/channels/{name}")
    public HttpResponse<?> get(@PathVariable String name) {
        return alerts.get(name).<HttpResponse<?>>map(JsonView::ok).orElseGet(() -> JsonView.notFound("channel '" + name + "'"));
    }

    @Delete("/channels/{name}")
    @Consumes(MediaType.ALL)
    public HttpResponse<?> delete(HttpRequest<?> request, @PathVariable String name) {
        AuditFilter.describe(request, "alert.channel.delete", "channel:" + name, null);
        return alerts.delete(name) ? JsonView.ok(F.objectNode().put("deleted", name)) : JsonView.notFound("channel '" + name + "'");
    }

    /** Sends a test notification now: 200 with {@code ok} and the receiver's error when it refused. */
    @Post("/channels/{name}/test")
    @Consumes(MediaType.ALL)
    public HttpResponse<?> test(HttpRequest<?> request, @PathVariable String name) {
        AuditFilter.describe(request, "alert.channel.test", "channel:" + name, null);
        return alerts.test(name).<HttpResponse<?>>map(JsonView::ok).orElseGet(() -> JsonView.notFound("channel '" + name + "'"));
    }

    @Get("/deliveries")
    public HttpResponse<?> deliveries(@Nullable @QueryValue String channel, @Nullable @QueryValue String state,
                                      @Nullable @QueryValue String incident, @Nullable @QueryValue String limit) {
        int lim;
        try {
            lim = limit == null ? 100 : Integer.parseInt(limit);
        } catch (NumberFormatException e) {
            lim = -1;
        }
        if (lim < 0 || lim > 1000) {
            return JsonView.badRequest("limit", "limit is a whole number from 0 to 1000");
        }
        ArrayNode list = F.arrayNode();
        alerts.deliveries(channel, state, incident, lim).forEach(list::add);
        ObjectNode body = F.objectNode();
        body.set("deliveries", list);
        return JsonView.ok(body);
    }
}
