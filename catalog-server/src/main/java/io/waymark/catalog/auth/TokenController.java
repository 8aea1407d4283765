package io.waymark.catalog.auth;

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
import io.waymark.catalog.ingest.InvalidEventException;
import io.waymark.catalog.ingest.Json;

import java.io.IOException;

import static io.waymark.catalog.api.JsonView.F;

/** {@code /api/v1/tokens}: admins create, list and revoke API tokens. A token's value is shown once, at creation. */
@Controller("/api/v1/tokens")
@ExecuteOn(TaskExecutors.BLOCKING)
@Secured(Roles.ADMIN)
public class TokenController {
    private final ApiTokens tokens;

    public TokenController(ApiTokens tokens) {
        this.tokens = tokens;
    }

    /** Body {name, role}; the token and its audit entry are written by ApiTokens. */
    @Post
    @Consumes(MediaType.APPLICATION_JSON)
    public HttpResponse<?> create(HttpRequest<?> request, @Nullable @Body byte[] body) {
        try {
            JsonNode json = Json.STRICT.readTree(body == null ? new byte[0] : body);
            Caller caller = Caller.of(request);
            var created = tokens.create(json.path("name").asText(null), json.path("role").asText(null), caller.name(), caller.role(), caller.remote());
            return HttpResponse.<String>status(HttpStatus.CREATED).body(JsonView.write(Json.STRICT.valueToTree(created)))
                    .contentType(MediaType.APPLICATION_JSON_TYPE);
        } catch (InvalidEventException e) {
            return JsonView.badRequest(e.field(), e.detail());
        } catch (IOException e) {
            return JsonView.badRequest(null, "body must be a JSON object {\"name\": ..., \"role\": ...}");
        }
    }

    @Get
    public HttpResponse<?> list() {
        ArrayNode list = F.arrayNode();
        for (ApiToken t : tokens.list()) {
            list.addObject().put("id", t.id()).put("name", t.name()).put("role", t.role()).put("createdAt", t.createdAt())
                    .put("createdBy", t.createdBy()).put("revokedAt", t.revokedAt());
        }
        ObjectNode body = F.objectNode();
        body.set("tokens", list);
        return JsonView.ok(body);
    }

    @Delete("/{id}")
    public HttpResponse<?> revoke(HttpRequest<?> request, @PathVariable String id) {
        Caller caller = Caller.of(request);
        return tokens.revoke(id, caller.name(), caller.role(), caller.remote())
                ? JsonView.ok(F.objectNode().put("revoked", id))
                : JsonView.notFound("active token '" + id + "'");
    }
}
