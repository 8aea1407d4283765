package io.waymark.catalog.compliance;

import com.fasterxml.jackson.databind.JsonNode;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.PathVariable;
import io.waymark.catalog.ingest.InvalidEventException;
import io.waymark.catalog.ingest.Json;
import java.io.IOException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.waymark.catalog.api.JsonView;

import io.micronaut.security.annotation.Secured;
import io.waymark.catalog.audit.AuditFilter;
import io.waymark.catalog.auth.Caller;
import io.waymark.catalog.auth.Roles;

import java.util.Set;

/** The rule pack, evaluations and findings: {@code /api/v1/compliance/…}. */
@Controller("/api/v1/compliance")
@ExecuteOn(TaskExecutors.BLOCKING)
@Secured(Roles.VIEWER)
public class ComplianceController {
    private static final Set<String> REGULATIONS = Set.of("GDPR", "HIPAA", "SOX", "PCI-DSS");
    private static final Set<String> SEVERITIES = Set.of("critical", "high", "medium", "low", "info");
    private static final Set<String> OUTCOMES = Set.of("FAIL", "UNKNOWN", "EXCEPTED");

    private final ComplianceService compliance;

    public ComplianceController(ComplianceService compliance) {
        this.compliance = compliance;
    }

    @Get("/rules")
    public HttpResponse<?> rules() {
        return JsonView.ok(compliance.rules());
    }

    /** A fresh evaluation: stewards fixing facts and auditors about to export want one now. */
    @Post("/evaluations")
    @Secured({Roles.STEWARD, Roles.AUDITOR})
    public HttpResponse<?> evaluate(HttpRequest<?> request) {
        AuditFilter.describe(request, "compliance.evaluate", null, null);
        return JsonView.ok(compliance.evaluate());
    }

    /** Body: {ruleId, nodeId, justification, approver, expiresAt}; the requester is the caller. */
    @Post("/exceptions")
    @Secured(Roles.STEWARD)
    @Consumes(MediaType.APPLICATION_JSON)
    public HttpResponse<?> addException(HttpRequest<?> request, @Nullable @Body byte[] body) {
        try {
            JsonNode json = Json.STRICT.readTree(body == null ? new byte[0] : body);
            String actor = Caller.of(request).name();
            Instant expires;
            try {
                expires = OffsetDateTime.parse(json.path("expiresAt").asText()).toInstant();
            } catch (DateTimeParseException e) {
                return JsonView.badRequest("expiresAt", "expiresAt must be a date-time with an offset");
            }
            for (String field : new String[] {"ruleId", "nodeId", "justification", "approver"}) {
                if (!json.path(field).isTextual() || json.path(field).asText().isBlank()) {
                    return JsonView.badRequest(field, field + " is required: an exception an auditor accepts names its rule, subject, reason and approver");
                }
            }
            AuditFilter.describe(request, "exception.create", json.path("nodeId").asText(), java.util.Map.of("ruleId", json.path("ruleId").asText(),
                    "justification", json.path("justification").asText(), "approver", json.path("approver").asText(), "expiresAt", expires.toString()));
            return HttpResponse.<String>status(HttpStatus.CREATED)
                    .body(JsonView.write(compliance.addException(json.path("ruleId").asText(), json.path("nodeId").asText(),
                            json.path("justification").asText(), json.path("approver").asText(),
                            actor, expires)))
                    .contentType(MediaType.APPLICATION_JSON_TYPE);
        } catch (InvalidEventException e) {
            return JsonView.badRequest(e.field(), e.detail());
        } catch (IOException e) {
            return JsonView.badRequest(null, "body must be a JSON object: " + e.getMessage());
        }
    }

    @Get("/exceptions")
    public HttpResponse<?> exceptions() {
        return JsonView.ok(compliance.exceptions());
    }

    @Delete("/exceptions/{id}")
    @Secured(Roles.STEWARD)
    public HttpResponse<?> revoke(HttpRequest<?> request, @PathVariable String id) {
        AuditFilter.describe(request, "exception.revoke", id, null);
        return compliance.revokeException(id) ? JsonView.ok(JsonView.F.objectNode().put("revoked", id)) : JsonView.notFound("active exception '" + id + "'");
    }

    /** Open findings per day over the last {@code days} days, for the console's trend. */
    @Get("/trend")
    public HttpResponse<?> trend(@QueryValue(defaultValue = "30") int days) {
        if (days < 1 || days > 366) {
            return JsonView.badRequest("days", "days must be between 1 and 366");
        }
        return JsonView.ok(compliance.trend(days));
    }

    @Get("/findings")
    public HttpResponse<?> findings(@Nullable @QueryValue String regulation, @Nullable @QueryValue String severity,
                                    @Nullable @QueryValue String outcome, @Nullable @QueryValue String nodeId,
                                    @Nullable @QueryValue String ruleId,
                                    @QueryValue(defaultValue = "false") boolean includeResolved,
                                    @QueryValue(defaultValue = "1000") int limit) {
        if (regulation != null && !REGULATIONS.contains(regulation)) {
            return JsonView.badRequest("regulation", "regulation must be one of " + REGULATIONS);
        }
        if (severity != null && !SEVERITIES.contains(severity)) {
            return JsonView.badRequest("severity", "severity must be one of " + SEVERITIES);
        }
        if (outcome != null && !OUTCOMES.contains(outcome)) {
            return JsonView.badRequest("outcome", "outcome must be one of " + OUTCOMES);
        }
        if (limit < 1 || limit > 10_000) {
            return JsonView.badRequest("limit", "limit must be between 1 and 10000");
        }
        return JsonView.ok(compliance.findings(regulation, severity, outcome, nodeId, ruleId, includeResolved, limit));
    }
}
