package io.waymark.catalog.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Put;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.waymark.catalog.audit.AuditFilter;
import io.waymark.catalog.auth.Caller;
import io.waymark.catalog.auth.Roles;
import io.waymark.catalog.ingest.EventKind;
import io.waymark.catalog.ingest.IngestService;
import io.waymark.catalog.ingest.Json;
import io.waymark.catalog.model.NodeId;
import io.waymark.catalog.projection.Projector;

import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;

import static io.waymark.catalog.api.JsonView.F;

/**
 * Marquez's catalog writes, for stewards: a namespace's owner and description and its soft
 * deletion, tag definitions, and tags on datasets, their fields and jobs. Each is journaled (the
 * graph stays a function of the journal), audited, and answered once the graph shows it, in the
 * shape Marquez answers with. A field tag that names a classification code is also a declared label.
 */
@Controller("/api/v1")
@Secured(Roles.STEWARD)
@ExecuteOn(TaskExecutors.BLOCKING)
public class CatalogEditController {
    private static final int MAX_NAME = 1024;

    private final IngestService ingest;
    private final Projector projector;
    private final CatalogService catalog;

    public CatalogEditController(IngestService ingest, Projector projector, CatalogService catalog) {
        this.ingest = ingest;
        this.projector = projector;
        this.catalog = catalog;
    }

    /** Body {@code {"ownerName": …, "description": …}}; creates the namespace if it is new. */
    @Put("/namespaces/{namespace}")
    @Consumes(MediaType.APPLICATION_JSON)
    public HttpResponse<?> putNamespace(HttpRequest<?> request, @PathVariable String namespace, @Nullable @Body byte[] body) throws Exception {
        JsonNode json;
        try {
            json = Json.STRICT.readTree(body == null || body.length == 0 ? "{}".getBytes() : body);
        } catch (IOException e) {
            return JsonView.badRequest(null, "body must be a JSON object {\"ownerName\": …, \"description\": …}");
        }
        if (!json.isObject() || !(json.path("ownerName").isTextual() || json.path("ownerName").isMissingNode())
                || !(json.path("description").isTextual() || json.path("description").isMissingNode() || json.path("description").isNull())) {
            return JsonView.badRequest("ownerName", "ownerName and description must be strings");
        }
        String invalid = invalidName(namespace);
        if (invalid != null) {
            return JsonView.badRequest("namespace", invalid);
        }
        ObjectNode payload = F.objectNode().put("name", namespace)
                .put("ownerName", json.path("ownerName").asText("anonymous"))
                .put("description", json.path("description").isTextual() ? json.path("description").asText() : null);
        return edit(request, EventKind.NAMESPACE, "namespace:" + namespace, payload, () -> catalog.namespace(namespace), "namespace");
    }

    /** Soft delete: the namespace is hidden and its datasets and jobs deleted, until an event names them again. */
    @Delete("/namespaces/{namespace}")
    public HttpResponse<?> deleteNamespace(HttpRequest<?> request, @PathVariable String namespace) throws Exception {
        if (catalog.namespace(namespace).isEmpty()) {
            return JsonView.notFound("namespace '" + namespace + "'");
        }
        return edit(request, EventKind.DELETE_NAMESPACE, "namespace:" + namespace, F.objectNode().put("name", namespace),
                () -> catalog.namespace(namespace), "namespace");
    }

    /** Body {@code {"description": …}}. */
    @Put("/tags/{tag}")
    @Consumes(MediaType.APPLICATION_JSON)
    public HttpResponse<?> putTag(HttpRequest<?> request, @PathVariable String tag, @Nullable @Body byte[] body) throws Exception {
        String invalid = invalidName(tag);
        if (invalid != null) {
            return JsonView.badRequest("tag", invalid);
        }
        String description;
        try {
            JsonNode json = Json.STRICT.readTree(body == null || body.length == 0 ? "{}".getBytes() : body);
            description = json.path("description").isTextual() ? json.path("description").asText() : null;
        } catch (IOException e) {
            return JsonView.badRequest(null, "body must be a JSON object {\"description\": …}");
        }
        ObjectNode payload = F.objectNode().put("tag", tag).put("description", description);
        return edit(request, EventKind.TAG_DEF, "tag:" + tag, payload,
                () -> Optional.of(F.objectNode().put("name", tag).put("description", description)), "tag");
    }

    @Post("/namespaces/{namespace}/datasets/{dataset}/tags/{tag}")
    public HttpResponse<?> tagDataset(HttpRequest<?> request, @PathVariable String namespace, @PathVariable String dataset, @PathVariable String tag) throws Exception {
        return tagNode(request, true, "Dataset", NodeId.dataset(namespace, dataset), tag);
    }

    @Delete("/namespaces/{namespace}/datasets/{dataset}/tags/{tag}")
    public HttpResponse<?> untagDataset(HttpRequest<?> request, @PathVariable String namespace, @PathVariable String dataset, @PathVariable String tag) throws Exception {
        return tagNode(request, false, "Dataset", NodeId.dataset(namespace, dataset), tag);
    }

    @Post("/namespaces/{namespace}/jobs/{job}/tags/{tag}")
    public HttpResponse<?> tagJob(HttpRequest<?> request, @PathVariable String namespace, @PathVariable String job, @PathVariable String tag) throws Exception {
        return tagNode(request, true, "Job", NodeId.job(namespace, job), tag);
    }

    @Delete("/namespaces/{namespace}/jobs/{job}/tags/{tag}")
    public HttpResponse<?> untagJob(HttpRequest<?> request, @PathVariable String namespace, @PathVariable String job, @PathVariable String tag) throws Exception {
        return tagNode(request, false, "Job", NodeId.job(namespace, job), tag);
    }

    @Post("/namespaces/{namespace}/datasets/{dataset}/fields/{field}/tags/{tag}")
    public HttpResponse<?> tagField(HttpRequest<?> request, @PathVariable String namespace, @PathVariable String dataset,
                                    @PathVariable String field, @PathVariable String tag) throws Exception {
        return tagField(request, true, namespace, dataset, field, tag);
    }

    @Delete("/namespaces/{namespace}/datasets/{dataset}/fields/{field}/tags/{tag}")
    public HttpResponse<?> untagField(HttpRequest<?> request, @PathVariable String namespace, @PathVariable String dataset,
                                      @PathVariable String field, @PathVariable String tag) throws Exception {
        return tagField(request, false, namespace, dataset, field, tag);
    }

    private HttpResponse<?> tagNode(HttpRequest<?> request, boolean add, String label, String key, String tag) throws Exception {
        String invalid = invalidName(tag);
        if (invalid != null) {
            return JsonView.badRequest("tag", invalid);
        }
        if (!catalog.exists(label, key)) {
            return JsonView.notFound(label.toLowerCase() + " '" + key + "'");
        }
        ObjectNode payload = F.objectNode().put("label", label).put("key", key).put("tag", tag);
        return edit(request, add ? EventKind.TAG : EventKind.UNTAG, key, payload,
                () -> label.equals("Job") ? catalog.job(key) : catalog.dataset(key), label.toLowerCase());
    }

    private HttpResponse<?> tagField(HttpRequest<?> request, boolean add, String namespace, String dataset, String field, String tag) throws Exception {
        String invalid = invalidName(tag);
        if (invalid != null) {
            return JsonView.badRequest("tag", invalid);
        }
        String datasetKey = NodeId.dataset(namespace, dataset);
        if (!catalog.exists("Dataset", datasetKey)) {
            return JsonView.notFound("dataset '" + dataset + "' in namespace '" + namespace + "'");
        }
        String fieldKey = NodeId.field(namespace, dataset, field);
        ObjectNode payload = F.objectNode().put("label", "Field").put("key", fieldKey).put("tag", tag).put("datasetKey", datasetKey)
                .put("namespace", namespace).put("datasetName", dataset).put("field", field);
        return edit(request, add ? EventKind.TAG : EventKind.UNTAG, fieldKey, payload, () -> catalog.dataset(datasetKey), "dataset");
    }

    /** Journals the edit with who made it, waits until the graph shows it, and answers with the node as it now is. */
    private HttpResponse<?> edit(HttpRequest<?> request, EventKind kind, String target, ObjectNode payload,
                                 Supplier<Optional<ObjectNode>> answer, String what) throws Exception {
        Caller caller = Caller.of(request);
        payload.put("actor", caller.name());
        ingest.journalGovernance(kind, target, JsonView.write(payload)).get();
        AuditFilter.describe(request, "catalog." + kind.name().toLowerCase(), target, null);
        projector.awaitCaughtUp(Duration.ofSeconds(30));
        return answer.get().<HttpResponse<?>>map(JsonView::ok).orElseGet(() -> JsonView.notFound(what));
    }

    private static String invalidName(String name) {
        if (name == null || name.isBlank()) {
            return "must not be empty";
        }
        if (name.length() > MAX_NAME || name.chars().anyMatch(Character::isISOControl)) {
            return "must be at most " + MAX_NAME + " characters without control characters";
        }
        return null;
    }
}
