package io.waymark.catalog.review;

import com.fasterxml.jackson.databind.JsonNode;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Consumes;
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
import io.waymark.catalog.ingest.EventParser;
import io.waymark.catalog.ingest.InvalidEventException;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /api/v1/classifications/proposals}: labels waiting for a steward, most confident
 * first; {@code POST /api/v1/classifications/decisions}: accept or reject them in bulk.
 */
@Controller("/api/v1/classifications")
@ExecuteOn(TaskExecutors.BLOCKING)
public class ReviewController {
    private final ReviewService review;
    private final EventParser parser;

    public ReviewController(ReviewService review, EventParser parser) {
        this.review = review;
        this.parser = parser;
    }

    @Get("/proposals")
    @Secured(Roles.VIEWER)
    public HttpResponse<?> proposals(@Nullable @QueryValue String namespace, @Nullable @QueryValue String code,
                                     @Nullable @QueryValue String minConfidence, @Nullable @QueryValue String limit,
                                     @Nullable @QueryValue String offset) {
        double min;
        int lim;
        int off;
        try {
            min = minConfidence == null ? 0 : Double.parseDouble(minConfidence);
            lim = limit == null ? 100 : Integer.parseInt(limit);
            off = offset == null ? 0 : Integer.parseInt(offset);
        } catch (NumberFormatException e) {
            return JsonView.badRequest(null, "minConfidence is a number from 0 to 1; limit (0 to 1000) and offset (0 or more) are whole numbers");
        }
        if (!(min >= 0 && min <= 1) || lim < 0 || lim > 1000 || off < 0) {
            return JsonView.badRequest(null, "minConfidence is a number from 0 to 1; limit (0 to 1000) and offset (0 or more) are whole numbers");
        }
        return JsonView.ok(review.proposals(namespace, code, min, lim, off));
    }

    /** Body: {@code {"reason"?, "decisions": [{namespace, dataset, field, code, decision: "accept"|"reject", reason?}]}}. */
    @Post("/decisions")
    @Secured(Roles.STEWARD)
    @Consumes(MediaType.APPLICATION_JSON)
    public HttpResponse<?> decide(HttpRequest<?> request, @Nullable @Body byte[] body) {
        try {
            JsonNode json = parser.readTree(body == null ? new byte[0] : body);
            String defaultReason = json.path("reason").isTextual() ? json.path("reason").textValue() : null;
            JsonNode items = json.path("decisions");
            if (!items.isArray() || items.isEmpty() || items.size() > ReviewService.MAX_DECISIONS) {
                throw InvalidEventException.invalid("decisions", "decisions is an array of 1 to " + ReviewService.MAX_DECISIONS + " decisions");
            }
            List<ReviewService.Decision> decisions = new ArrayList<>();
            List<String> audited = new ArrayList<>();
            for (int i = 0; i < items.size(); i++) {
                JsonNode item = items.get(i);
                String at = "decisions[" + i + "]";
                String decision = text(item, at, "decision");
                if (!decision.equals("accept") && !decision.equals("reject")) {
                    throw InvalidEventException.invalid(at + ".decision", "decision is accept or reject");
                }
                String reason = item.path("reason").isTextual() ? item.path("reason").textValue() : defaultReason;
                ReviewService.Decision d = new ReviewService.Decision(text(item, at, "namespace"), text(item, at, "dataset"),
                        text(item, at, "field"), text(item, at, "code"), decision.equals("accept"), reason);
                decisions.add(d);
                audited.add(decision + " " + d.code() + " on " + d.fieldKey());
            }
            Map<String, Object> detail = new LinkedHashMap<>();
            detail.put("decisions", audited);
            detail.put("reason", defaultReason);
            AuditFilter.describe(request, "classification.review", null, detail);
            return JsonView.ok(review.decide(decisions, Caller.of(request).name()));
        } catch (InvalidEventException e) {
            return JsonView.error(HttpStatus.valueOf(e.status()), e.status() == 404 ? "not_found" : "invalid_request", e.field(), e.detail());
        } catch (io.waymark.catalog.journal.InsufficientStorageException e) {
            throw e;
        } catch (Exception e) {
            return JsonView.error(HttpStatus.SERVICE_UNAVAILABLE, "not_applied", null, e.getMessage());
        }
    }

    private static String text(JsonNode item, String at, String field) throws InvalidEventException {
        JsonNode value = item.path(field);
        if (!value.isTextual() || value.textValue().isBlank()) {
            throw InvalidEventException.invalid(at + "." + field, field + " is required");
        }
        return value.textValue();
    }
}
