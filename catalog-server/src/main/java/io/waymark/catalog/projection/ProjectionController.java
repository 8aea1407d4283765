package io.waymark.catalog.projection;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micronaut.core.annotation.Nullable;
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
import io.waymark.catalog.auth.Roles;
import io.waymark.catalog.journal.Journal;
import io.waymark.catalog.journal.ProjectionError;

import java.util.List;
import java.util.Map;

import static io.waymark.catalog.api.JsonView.F;

/** {@code /api/v1/projection/errors}: the journal events the projector set aside, and applying them again. */
@Controller("/api/v1/projection/errors")
@ExecuteOn(TaskExecutors.BLOCKING)
@Secured(Roles.ADMIN)
public class ProjectionController {
    private final Journal journal;
    private final Projector projector;

    public ProjectionController(Journal journal, Projector projector) {
        this.journal = journal;
        this.projector = projector;
    }

    @Get
    public HttpResponse<?> list(@Nullable @QueryValue Integer limit, @Nullable @QueryValue Integer offset) {
        int l = limit == null ? 100 : limit;
        int o = offset == null ? 0 : offset;
        HttpResponse<?> badPage = JsonView.badPage(l, o, 1000);
        if (badPage != null) {
            return badPage;
        }
        List<ProjectionError> errors = journal.read(dao -> dao.errors(l, o));
        ArrayNode list = F.arrayNode();
        for (ProjectionError e : errors) {
            list.addObject()
                    .put("eventId", e.eventId())
                    .put("failedAt", e.failedAt())
                    .put("error", e.error())
                    .put("kind", e.kind())
                    .put("eventType", e.eventType())
                    .put("runId", e.runId())
                    .put("jobNamespace", e.jobNamespace())
                    .put("jobName", e.jobName())
                    .put("receivedAt", e.receivedAt());
        }
        long total = journal.read(dao -> dao.errorCount());
        ObjectNode body = F.objectNode().put("totalCount", total);
        body.set("errors", list);
        return JsonView.ok(body);
    }

    @Post("/retry")
    public HttpResponse<?> retry(HttpRequest<?> request) {
        Projector.RetryResult result;
        try {
            result = projector.retryErrors();
        } catch (RuntimeException e) {
            return JsonView.error(HttpStatus.SERVICE_UNAVAILABLE, "graph_unavailable", "",
                    "the graph refused the retry for a reason not of the events' own; nothing was forgotten: " + e.getMessage());
        }
        AuditFilter.describe(request, "projection.retry", "projection_error",
                Map.of("retried", result.retried(), "projected", result.projected(), "stillFailing", result.stillFailing()));
        return JsonView.ok(F.objectNode().put("retried", result.retried()).put("projected", result.projected())
                .put("stillFailing", result.stillFailing()));
    }
}
