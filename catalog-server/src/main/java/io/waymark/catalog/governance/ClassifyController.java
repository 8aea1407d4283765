package io.waymark.catalog.governance;

import io.micronaut.security.annotation.Secured;
import io.waymark.catalog.auth.Roles;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.waymark.catalog.api.CatalogService;
import io.waymark.catalog.api.JsonView;
import io.waymark.catalog.ingest.EventKind;
import io.waymark.catalog.ingest.EventParser;
import io.waymark.catalog.ingest.IngestService;
import io.waymark.catalog.ingest.InvalidEventException;
import io.waymark.catalog.model.NodeId;
import io.waymark.catalog.projection.Projector;
import io.waymark.policy.classify.Classifier;
import io.waymark.policy.classify.Label;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.waymark.catalog.api.JsonView.F;

/**
 * {@code POST /api/v1/classify}: runs the detectors over a dataset's column names and sample
 * values and records the labels (never the samples) on the dataset's fields. Labels under the
 * review threshold are PROPOSED until a steward accepts (PUT) or rejects (DELETE) them.
 */
@Controller("/api/v1/classify")
@Secured(Roles.STEWARD)
@ExecuteOn(TaskExecutors.BLOCKING)
public class ClassifyController {
    private static final int MAX_COLUMNS = 2000;
    private static final int MAX_SAMPLES = 1000;

    private final EventParser parser;
    private final CatalogService catalog;
    private final IngestService ingest;
    private final Projector projector;

    public ClassifyController(EventParser parser, CatalogService catalog, IngestService ingest, Projector projector) {
        this.parser = parser;
        this.catalog = catalog;
        this.ingest = ingest;
        this.projector = projector;
    }

    @Post
    @Consumes(MediaType.APPLICATION_JSON)
    public HttpResponse<?> classify(@Nullable @Body byte[] body) {
        try {
            JsonNode request = parser.readTree(body == null ? new byte[0] : body);
            String namespace = text(request, "namespace");
            String name = text(request, "name");
            Map<String, List<String>> samples = samples(request.path("fields"));
            String key = NodeId.dataset(namespace, name);
            if (!catalog.exists("Dataset", key)) {
                return JsonView.notFound("dataset '" + name + "' in namespace '" + namespace + "'");
            }
            Map<String, List<Label>> labels = new Classifier(LocalDate.now(ZoneOffset.UTC)).classify(samples);
            ObjectNode entry = io.waymark.catalog.classify.Detections.entry(namespace, name, labels);
            ObjectNode columns = (ObjectNode) entry.get("columns");
            ingest.journalGovernance(EventKind.DETECT, key, JsonView.write(entry)).get();
            projector.awaitCaughtUp(Duration.ofSeconds(30));
            ObjectNode result = F.objectNode().put("dataset", key);
            result.set("columns", columns);
            return JsonView.ok(result);
        } catch (InvalidEventException e) {
            return JsonView.error(HttpStatus.valueOf(e.status()), "invalid_request", e.field(), e.detail());
        } catch (Exception e) {
            return JsonView.error(HttpStatus.SERVICE_UNAVAILABLE, "not_applied", null, e.getMessage());
        }
    }

    private static String text(JsonNode request, String field) throws InvalidEventException {
        JsonNode value = request.path(field);
        if (!value.isTextual() || value.textValue().isBlank()) {
            throw InvalidEventException.invalid(field, field + " is required");
        }
        return value.textValue();
    }

    private static Map<String, List<String>> samples(JsonNode fields) throws InvalidEventException {
        if (!fields.isObject() || fields.isEmpty() || fields.size() > MAX_COLUMNS) {
            throw InvalidEventException.invalid("fields", "fields must map 1 to " + MAX_COLUMNS + " column names to arrays of sample values");
        }
        Map<String, List<String>> samples = new LinkedHashMap<>();
        Iterator<Map.Entry<String, JsonNode>> it = fields.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> column = it.next();
            String path = "fields." + column.getKey();
            if (column.getKey().isBlank() || column.getKey().getBytes(StandardCharsets.UTF_8).length > 1024) {
                throw InvalidEventException.invalid(path, "column names are 1 to 1024 bytes");
            }
            if (!column.getValue().isArray() || column.getValue().size() > MAX_SAMPLES) {
                throw InvalidEventException.invalid(path, "samples are an array of at most " + MAX_SAMPLES + " values");
            }
            List<String> values = new ArrayList<>();
            for (JsonNode v : column.getValue()) {
                if (v.isValueNode() && !v.isNull()) {
                    values.add(v.asText());
                } else if (!v.isNull()) {
                    throw InvalidEventException.invalid(path, "sample values are strings, numbers or booleans");
                }
            }
            samples.put(column.getKey(), values);
        }
        return samples;
    }
}
