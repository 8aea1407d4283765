package io.waymark.catalog.retention;

import com.fasterxml.jackson.databind.JsonNode;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
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
import io.waymark.catalog.ingest.Json;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code /api/v1/retention}: the policy and past purges (auditor); a purge or a dry run now (admin). */
@Controller("/api/v1/retention")
@ExecuteOn(TaskExecutors.BLOCKING)
public class RetentionController {
    private static final List<String> FIELDS = List.of("olderThan", "namespace", "findings", "incidents", "audit", "dryRun");

    private final Retention retention;
    private final EventParser parser;

    public RetentionController(Retention retention, EventParser parser) {
        this.retention = retention;
        this.parser = parser;
    }

    @Get
    @Secured(Roles.AUDITOR)
    public HttpResponse<?> overview() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("policy", retention.policy().describe());
        body.put("purges", retention.history(50));
        return JsonView.ok(Json.STRICT.valueToTree(body));
    }

    @Post("/purge")
    @Secured(Roles.ADMIN)
    @Consumes(MediaType.APPLICATION_JSON)
    public HttpResponse<?> purge(HttpRequest<?> request, @Nullable @Body byte[] body) {
        Retention.Request asked;
        try {
            JsonNode json = parser.readTree(body == null || body.length == 0 ? "{}".getBytes() : body);
            if (!json.isObject()) {
                return JsonView.badRequest(null, "the body must be a JSON object");
            }
            for (var it = json.fieldNames(); it.hasNext(); ) {
                String name = it.next();
                if (!FIELDS.contains(name)) {
                    return JsonView.badRequest(name, "unknown field; known: " + String.join(", ", FIELDS));
                }
            }
            JsonNode dry = json.path("dryRun");
            if (!dry.isMissingNode() && !dry.isBoolean()) {
                return JsonView.badRequest("dryRun", "must be true or false");
            }
            asked = new Retention.Request(period(json, "olderThan"), text(json, "namespace"), period(json, "findings"),
                    period(json, "incidents"), period(json, "audit"), dry.asBoolean(false));
            retention.effective(asked);
        } catch (InvalidEventException e) {
            return JsonView.error(io.micronaut.http.HttpStatus.valueOf(e.status()), "invalid_request", e.field(), e.detail());
        } catch (IllegalArgumentException e) {
            return JsonView.badRequest(e.getMessage().split(":")[0], e.getMessage());
        }
        Map<String, Object> detail = new LinkedHashMap<>();
        AuditFilter.describe(request, asked.dryRun() ? "retention.dry-run" : "retention.purge", "journal", detail);
        Map<String, Object> counts = retention.purge(asked, Caller.of(request).name());
        // The audit entry is written after the answer: it carries what the purge removed.
        detail.putAll(counts);
        return JsonView.ok(Json.STRICT.valueToTree(counts));
    }

    private static Duration period(JsonNode json, String field) {
        String text = text(json, field);
        if (text == null) {
            return null;
        }
        return RetentionPolicy.duration(field, text);
    }

    private static String text(JsonNode json, String field) {
        JsonNode v = json.path(field);
        if (v.isMissingNode() || v.isNull()) {
            return null;
        }
        if (!v.isTextual() || v.textValue().isBlank()) {
            throw new IllegalArgumentException(field + ": must be a non-empty string");
        }
        return v.textValue().strip();
    }
}
