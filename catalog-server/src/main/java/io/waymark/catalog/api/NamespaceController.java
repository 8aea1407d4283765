package io.waymark.catalog.api;

import io.micronaut.security.annotation.Secured;
import io.waymark.catalog.auth.Roles;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

/** Marquez's namespace endpoints. */
@Controller("/api/v1/namespaces")
@Secured(Roles.VIEWER)
@ExecuteOn(TaskExecutors.BLOCKING)
@ReadTurn
public class NamespaceController {
    private final CatalogService catalog;

    public NamespaceController(CatalogService catalog) {
        this.catalog = catalog;
    }

    @Get
    public HttpResponse<?> list(@QueryValue(defaultValue = "100") @Min(1) @Max(10_000) int limit,
                                @QueryValue(defaultValue = "0") @Min(0) int offset) {
        return JsonView.ok(catalog.namespaces(limit, offset));
    }

    @Get("/{namespace}")
    public HttpResponse<?> get(@PathVariable String namespace) {
        return catalog.namespace(namespace).<HttpResponse<?>>map(JsonView::ok).orElseGet(() -> JsonView.notFound("namespace '" + namespace + "'"));
    }
}
