package io.waymark.catalog.governance;

import com.fasterxml.jackson.databind.JsonNode;
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
import io.micronaut.http.annotation.Put;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.waymark.catalog.api.JsonView;
import io.waymark.catalog.ingest.EventParser;
import io.waymark.catalog.ingest.InvalidEventException;
import io.waymark.catalog.model.NodeId;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micronaut.security.annotation.Secured;
import io.waymark.catalog.audit.AuditFilter;
import io.waymark.catalog.auth.Caller;
import io.waymark.catalog.auth.Roles;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Annotations (JSON merge patch) on datasets and jobs, and steward classifications of fields.
 * The actor recorded with each change is the caller's token name; the audit log gets the
 * annotations before and after.
 */
@Controller("/api/v1/namespaces/{namespace}")
@ExecuteOn(TaskExecutors.BLOCKING)
@Secured(Roles.STEWARD)
public class GovernanceController {

    private final GovernanceService governance;
    private final EventParser parser;

    public GovernanceController(GovernanceService governance, EventParser parser) {
        this.governance = governance;
        this.parser = parser;
    }

    @Put("/datasets/{dataset}/annotations")
    @Consumes({"application/merge-patch+json", MediaType.APPLICATION_JSON})
    public HttpResponse<?> annotateDataset(HttpRequest<?> request, @PathVariable String namespace, @PathVariable String dataset,
                                           @Nullable @Body byte[] body, @Nullable @QueryValue String reason) {
        return annotate(request, "Dataset", NodeId.dataset(namespace, dataset), body, reason);
    }

    @Get("/datasets/{dataset}/annotations")
    @Secured(Roles.VIEWER)
    public HttpResponse<?> datasetAnnotations(@PathVariable String namespace, @PathVariable String dataset) {
        return found(governance.annotations("Dataset", NodeId.dataset(namespace, dataset)), "dataset '" + dataset + "'");
    }

    @Put("/jobs/{job}/annotations")
    @Consumes({"application/merge-patch+json", MediaType.APPLICATION_JSON})
    public HttpResponse<?> annotateJob(HttpRequest<?> request, @PathVariable String namespace, @PathVariable String job,
                                       @Nullable @Body byte[] body, @Nullable @QueryValue String reason) {
        return annotate(request, "Job", NodeId.job(namespace, job), body, reason);
    }

    @Get("/jobs/{job}/annotations")
    @Secured(Roles.VIEWER)
    public HttpResponse<?> jobAnnotations(@PathVariable String namespace, @PathVariable String job) {
        return found(governance.annotations("Job", NodeId.job(namespace, job)), "job '" + job + "'");
    }

    @Put("/datasets/{dataset}/fields/{field}/classifications/{code}")
    @Consumes(MediaType.ALL)
    public HttpResponse<?> classify(HttpRequest<?> request, @PathVariable String namespace, @PathVariable String dataset,
                                    @PathVariable String field, @PathVariable String code, @Nullable @Body byte[] body) {
        return classification(request, namespace, dataset, field, code, body, false);
    }

    /** Removes a steward's label; for a detected or propagated label it records a suppression. */
    @Delete("/datasets/{dataset}/fields/{field}/classifications/{code}")
    @Consumes(MediaType.ALL)
    public HttpResponse<?> unclassify(HttpRequest<?> request, @PathVariable String namespace, @PathVariable String dataset,
                                      @PathVariable String field, @PathVariable String code, @Nullable @Body byte[] body) {
        return classification(request, namespace, dataset, field, code, body, true);
    }

    private HttpResponse<?> annotate(HttpRequest<?> request, String label, String key, byte[] body, String reason) {
        try {
            JsonNode patch = parser.readTree(body == null ? new byte[0] : body);
            String why = reason != null ? reason : request.getHeaders().get("X-Waymark-Reason");
            JsonNode before = governance.annotations(label, key).map(a -> a.path("annotations")).orElse(null);
            Optional<ObjectNode> after = governance.annotate(label, key, patch, Caller.of(request).name(), why);
            Map<String, Object> detail = new LinkedHashMap<>();
            detail.put("before", before);
            detail.put("after", after.map(a -> a.path("annotations")).orElse(null));
            detail.put("reason", why);
            AuditFilter.describe(request, "annotation.update", key, detail);
            return found(after, label.toLowerCase() + " '" + key + "'");
        } catch (InvalidEventException e) {
            return JsonView.error(HttpStatus.valueOf(e.status()), "invalid_annotation", e.field(), e.detail());
        } catch (Exception e) {
            return JsonView.error(HttpStatus.SERVICE_UNAVAILABLE, "not_applied", null, e.getMessage());
        }
    }

    private HttpResponse<?> classification(HttpRequest<?> request, String namespace, String dataset, String field, String code,
                                           byte[] body, boolean suppress) {
        try {
            String reason = null;
            String protection = null;
            if (body != null && body.length > 0) {
                JsonNode json = parser.readTree(body);
                reason = json.path("reason").isTextual() ? json.path("reason").textValue() : null;
                protection = json.path("protection").isTextual() ? json.path("protection").textValue() : null;
            }
            String fieldKey = NodeId.field(namespace, dataset, field);
            Map<String, Object> detail = new LinkedHashMap<>();
            detail.put("code", code);
            detail.put("reason", reason);
            detail.put("protection", protection);
            AuditFilter.describe(request, suppress ? "classification.remove" : "classification.assign", fieldKey, detail);
            return found(governance.classify(NodeId.dataset(namespace, dataset), fieldKey, code,
                    Caller.of(request).name(), reason, protection, suppress), "field '" + field + "' of dataset '" + dataset + "'");
        } catch (InvalidEventException e) {
            return JsonView.error(HttpStatus.valueOf(e.status()), "invalid_classification", e.field(), e.detail());
        } catch (Exception e) {
            return JsonView.error(HttpStatus.SERVICE_UNAVAILABLE, "not_applied", null, e.getMessage());
        }
    }

    private static HttpResponse<?> found(Optional<? extends JsonNode> body, String what) {
        return body.<HttpResponse<?>>map(JsonView::ok).orElseGet(() -> JsonView.notFound(what));
    }
}
