package io.waymark.catalog.ranger;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.waymark.catalog.api.JsonView;
import io.waymark.catalog.audit.AuditFilter;
import io.waymark.catalog.auth.Caller;
import io.waymark.catalog.auth.Roles;
import io.waymark.catalog.ingest.Json;

import java.util.Map;

/** {@code /api/v1/ranger/sync}: push classifications to Apache Ranger as tags now (or, with dryRun, show the payload). */
@Controller("/api/v1/ranger/sync")
@ExecuteOn(TaskExecutors.BLOCKING)
@Secured(Roles.ADMIN)
public class RangerController {
    private final RangerSync ranger;

    public RangerController(RangerSync ranger) {
        this.ranger = ranger;
    }

    @Get
    public HttpResponse<?> status() {
        return JsonView.ok(ranger.status());
    }

    @Post
    public HttpResponse<?> sync(HttpRequest<?> request, @QueryValue(defaultValue = "false") boolean dryRun) {
        if (dryRun) {
            AuditFilter.describe(request, "ranger.dry-run", null, null);
            return JsonView.ok(ranger.payload());
        }
        if (!ranger.configured()) {
            return JsonView.error(HttpStatus.CONFLICT, "ranger_not_configured", null,
                    "set WAYMARK_RANGER_URL, WAYMARK_RANGER_USER, WAYMARK_RANGER_PASSWORD and WAYMARK_RANGER_SERVICE; dryRun=true shows the payload");
        }
        Caller caller = Caller.of(request);
        // The sync writes its own audit entry with the result; the request's entry names it.
        AuditFilter.describe(request, "ranger.sync-request", null, null);
        Map<String, Object> result = ranger.sync(caller.name(), caller.role(), caller.remote());
        HttpStatus status = "synced".equals(result.get("state")) ? HttpStatus.OK : HttpStatus.BAD_GATEWAY;
        return HttpResponse.<String>status(status).body(JsonView.write(Json.STRICT.valueToTree(result)))
                .contentType(io.micronaut.http.MediaType.APPLICATION_JSON_TYPE);
    }
}
