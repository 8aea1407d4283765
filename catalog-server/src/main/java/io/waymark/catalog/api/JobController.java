package io.waymark.catalog.api;

import io.micronaut.security.annotation.Secured;
import io.waymark.catalog.auth.Roles;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.waymark.catalog.ingest.EventKind;
import io.waymark.catalog.ingest.IngestService;
import io.waymark.catalog.model.NodeId;
import io.waymark.catalog.projection.Projector;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

import java.time.Duration;
import java.util.List;
import java.util.Locale;

/** Marquez's job and run endpoints. */
@Controller("/api/v1")
@Secured(Roles.VIEWER)
@ExecuteOn(TaskExecutors.BLOCKING)
@ReadTurn
public class JobController {
    private static final List<String> RUN_STATES = List.of("NEW", "RUNNING", "COMPLETED", "FAILED", "ABORTED");
    private final CatalogService catalog;
    private final IngestService ingest;
    private final Projector projector;
    private final JobVersions versions;

    public JobController(CatalogService catalog, IngestService ingest, Projector projector, JobVersions versions) {
        this.catalog = catalog;
        this.ingest = ingest;
        this.projector = projector;
        this.versions = versions;
    }

    /** Marquez's jobs of every namespace, optionally only those whose latest run is in {@code runState}. */
    @Get("/jobs")
    public HttpResponse<?> all(@QueryValue(defaultValue = "100") @Min(1) @Max(10_000) int limit,
                               @QueryValue(defaultValue = "0") @Min(0) int offset,
                               @Nullable @QueryValue String runState) {
        String wanted = runState == null || runState.isBlank() ? null : runState.toUpperCase(Locale.ROOT);
        if (wanted != null && !RUN_STATES.contains(wanted)) {
            return JsonView.badRequest("runState", "runState must be one of " + RUN_STATES);
        }
        return JsonView.ok(catalog.allJobs(wanted, limit, offset));
    }

    @Get("/namespaces/{namespace}/jobs/{job}/versions")
    public HttpResponse<?> versions(@PathVariable String namespace, @PathVariable String job,
                                    @QueryValue(defaultValue = "100") @Min(1) @Max(10_000) int limit,
                                    @QueryValue(defaultValue = "0") @Min(0) int offset) {
        String key = NodeId.job(namespace, job);
        if (!catalog.exists("Job", key)) {
            return JsonView.notFound("job '" + job + "' in namespace '" + namespace + "'");
        }
        return JsonView.ok(versions.list(key, limit, offset));
    }

    @Get("/namespaces/{namespace}/jobs/{job}/versions/{version}")
    public HttpResponse<?> version(@PathVariable String namespace, @PathVariable String job, @PathVariable String version) {
        return versions.get(NodeId.job(namespace, job), version).<HttpResponse<?>>map(JsonView::ok)
                .orElseGet(() -> JsonView.notFound("version '" + version + "' of job '" + job + "' in namespace '" + namespace + "'"));
    }

    @Get("/namespaces/{namespace}/jobs")
    public HttpResponse<?> list(@PathVariable String namespace,
                                @QueryValue(defaultValue = "100") @Min(1) @Max(10_000) int limit,
                                @QueryValue(defaultValue = "0") @Min(0) int offset,
                                @QueryValue(defaultValue = "false") boolean includeDeleted) {
        return JsonView.ok(catalog.jobs(namespace, limit, offset, includeDeleted));
    }

    @Get("/namespaces/{namespace}/jobs/{job}")
    public HttpResponse<?> get(@PathVariable String namespace, @PathVariable String job) {
        return catalog.job(NodeId.job(namespace, job)).<HttpResponse<?>>map(JsonView::ok)
                .orElseGet(() -> JsonView.notFound("job '" + job + "' in namespace '" + namespace + "'"));
    }

    /** A job's inputs or outputs a page at a time, for jobs whose answer cuts them ({@code inputsTruncated}). */
    @Get("/namespaces/{namespace}/jobs/{job}/inputs")
    public HttpResponse<?> inputs(@PathVariable String namespace, @PathVariable String job,
                                  @QueryValue(defaultValue = "100") @Min(1) @Max(10_000) int limit,
                                  @QueryValue(defaultValue = "0") @Min(0) int offset) {
        return datasets(namespace, job, true, limit, offset);
    }

    @Get("/namespaces/{namespace}/jobs/{job}/outputs")
    public HttpResponse<?> outputs(@PathVariable String namespace, @PathVariable String job,
                                   @QueryValue(defaultValue = "100") @Min(1) @Max(10_000) int limit,
                                   @QueryValue(defaultValue = "0") @Min(0) int offset) {
        return datasets(namespace, job, false, limit, offset);
    }

    private HttpResponse<?> datasets(String namespace, String job, boolean inputs, int limit, int offset) {
        String key = NodeId.job(namespace, job);
        if (!catalog.exists("Job", key)) {
            return JsonView.notFound("job '" + job + "' in namespace '" + namespace + "'");
        }
        return JsonView.ok(catalog.jobDatasets(key, inputs, limit, offset));
    }

    @Get("/namespaces/{namespace}/jobs/{job}/runs")
    public HttpResponse<?> runs(@PathVariable String namespace, @PathVariable String job,
                                @QueryValue(defaultValue = "100") @Min(1) @Max(10_000) int limit,
                                @QueryValue(defaultValue = "0") @Min(0) int offset) {
        String key = NodeId.job(namespace, job);
        if (!catalog.exists("Job", key)) {
            return JsonView.notFound("job '" + job + "' in namespace '" + namespace + "'");
        }
        return JsonView.ok(catalog.runs(key, limit, offset));
    }

    @Delete("/namespaces/{namespace}/jobs/{job}")
    @Secured(Roles.STEWARD)
    public HttpResponse<?> delete(@PathVariable String namespace, @PathVariable String job) throws Exception {
        String key = NodeId.job(namespace, job);
        if (!catalog.exists("Job", key)) {
            return JsonView.notFound("job '" + job + "' in namespace '" + namespace + "'");
        }
        ingest.journalDelete(EventKind.DELETE_JOB, key).get();
        projector.awaitCaughtUp(Duration.ofSeconds(30));
        return catalog.job(key).<HttpResponse<?>>map(JsonView::ok).orElseGet(() -> JsonView.notFound("job"));
    }

    /** Marquez's run facets endpoint: {@code type=run} (default) gives the run's facets, {@code type=job} its job's. */
    @Get("/jobs/runs/{id}/facets")
    public HttpResponse<?> runFacets(@PathVariable String id, @QueryValue(defaultValue = "run") String type) {
        return catalog.run(id).<HttpResponse<?>>map(run -> {
            com.fasterxml.jackson.databind.node.ObjectNode body = JsonView.F.objectNode().put("runId", run.path("id").asText());
            if (type.equalsIgnoreCase("job")) {
                body.set("facets", catalog.job(run.path("jobKey").asText())
                        .map(job -> job.path("facets")).orElse(JsonView.F.objectNode()));
            } else {
                body.set("facets", run.path("facets"));
            }
            return JsonView.ok(body);
        }).orElseGet(() -> JsonView.notFound("run '" + id + "'"));
    }

    /** Waymark's own: the latest runs across all jobs, {@code state=FAILED} for the failures. */
    @Get("/runs")
    public HttpResponse<?> recentRuns(@Nullable @QueryValue String state,
                                      @QueryValue(defaultValue = "20") @Min(1) @Max(500) int limit) {
        String wanted = state == null || state.isBlank() ? null : state.toUpperCase(Locale.ROOT);
        if (wanted != null && !RUN_STATES.contains(wanted)) {
            return JsonView.badRequest("state", "state must be one of " + RUN_STATES);
        }
        return JsonView.ok(catalog.recentRuns(wanted, limit));
    }

    @Get("/jobs/runs/{id}")
    public HttpResponse<?> run(@PathVariable String id) {
        return catalog.run(id).<HttpResponse<?>>map(JsonView::ok).orElseGet(() -> JsonView.notFound("run '" + id + "'"));
    }
}
