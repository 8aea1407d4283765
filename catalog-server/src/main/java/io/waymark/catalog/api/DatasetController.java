package io.waymark.catalog.api;

import io.micronaut.security.annotation.Secured;
import io.waymark.catalog.auth.Roles;
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

/** Marquez's dataset endpoints; names with '/' or ':' are sent URL-encoded. */
@Controller("/api/v1/namespaces/{namespace}/datasets")
@Secured(Roles.VIEWER)
@ExecuteOn(TaskExecutors.BLOCKING)
@ReadTurn
public class DatasetController {
    private final CatalogService catalog;
    private final IngestService ingest;
    private final Projector projector;
    private final DatasetVersions versions;

    public DatasetController(CatalogService catalog, IngestService ingest, Projector projector, DatasetVersions versions) {
        this.catalog = catalog;
        this.ingest = ingest;
        this.projector = projector;
        this.versions = versions;
    }

    @Get
    public HttpResponse<?> list(@PathVariable String namespace,
                                @QueryValue(defaultValue = "100") @Min(1) @Max(10_000) int limit,
                                @QueryValue(defaultValue = "0") @Min(0) int offset,
                                @QueryValue(defaultValue = "false") boolean includeDeleted) {
        return JsonView.ok(catalog.datasets(namespace, limit, offset, includeDeleted));
    }

    @Get("/{dataset}")
    public HttpResponse<?> get(@PathVariable String namespace, @PathVariable String dataset) {
        return catalog.dataset(NodeId.dataset(namespace, dataset)).<HttpResponse<?>>map(JsonView::ok)
                .orElseGet(() -> JsonView.notFound("dataset '" + dataset + "' in namespace '" + namespace + "'"));
    }

    @Get("/{dataset}/versions")
    public HttpResponse<?> versions(@PathVariable String namespace, @PathVariable String dataset,
                                    @QueryValue(defaultValue = "100") @Min(1) @Max(10_000) int limit,
                                    @QueryValue(defaultValue = "0") @Min(0) int offset) {
        String key = NodeId.dataset(namespace, dataset);
        if (!catalog.exists("Dataset", key)) {
            return JsonView.notFound("dataset '" + dataset + "' in namespace '" + namespace + "'");
        }
        return JsonView.ok(versions.list(key, limit, offset));
    }

    @Get("/{dataset}/versions/{version}")
    public HttpResponse<?> version(@PathVariable String namespace, @PathVariable String dataset, @PathVariable String version) {
        return versions.get(NodeId.dataset(namespace, dataset), version).<HttpResponse<?>>map(JsonView::ok)
                .orElseGet(() -> JsonView.notFound("version '" + version + "' of dataset '" + dataset + "' in namespace '" + namespace + "'"));
    }

    /** Soft delete, journaled; any later event that mentions the dataset brings it back. */
    @Delete("/{dataset}")
    @Secured(Roles.STEWARD)
    public HttpResponse<?> delete(@PathVariable String namespace, @PathVariable String dataset) throws Exception {
        String key = NodeId.dataset(namespace, dataset);
        if (!catalog.exists("Dataset", key)) {
            return JsonView.notFound("dataset '" + dataset + "' in namespace '" + namespace + "'");
        }
        ingest.journalDelete(EventKind.DELETE_DATASET, key).get();
        projector.awaitCaughtUp(Duration.ofSeconds(30));
        return catalog.dataset(key).<HttpResponse<?>>map(JsonView::ok).orElseGet(() -> JsonView.notFound("dataset"));
    }
}
