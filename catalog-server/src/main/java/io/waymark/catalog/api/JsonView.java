package io.waymark.catalog.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.waymark.catalog.ingest.Json;

import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Builds the Marquez-shaped JSON of the read API. Facets are opaque JSON kept as text in the
 * graph, so responses are Jackson trees that embed them as received.
 */
public final class JsonView {
    public static final JsonNodeFactory F = JsonNodeFactory.instance;

    private JsonView() {}

    /** A tree's answer, written to bytes at once (within the request's read turn, where it has one). */
    public static HttpResponse<JsonBody> ok(JsonNode body) {
        return ok(JsonBody.of(body));
    }

    /** An answer whose body writes itself (a lineage graph from cached node texts). */
    public static HttpResponse<JsonBody> ok(JsonBody body) {
        return HttpResponse.ok(body).contentType(MediaType.APPLICATION_JSON_TYPE);
    }

    /** A JSON answer with a status other than 200 (201 Created, 202 Accepted). */
    public static HttpResponse<JsonBody> status(HttpStatus status, JsonNode body) {
        return HttpResponse.<JsonBody>status(status).body(JsonBody.of(body))
                .contentType(MediaType.APPLICATION_JSON_TYPE);
    }

    public static HttpResponse<?> notFound(String what) {
        return error(HttpStatus.NOT_FOUND, "not_found", "", what + " not found");
    }

    /** The 400 for a page outside {@code limit} 1..{@code max} and {@code offset} ≥ 0, or null when the page is fine. */
    public static HttpResponse<?> badPage(int limit, int offset, int max) {
        if (limit >= 1 && limit <= max && offset >= 0) {
            return null;
        }
        return badRequest(limit < 1 || limit > max ? "limit" : "offset", "limit must be 1.." + max + " and offset ≥ 0");
    }

    public static HttpResponse<?> badRequest(String field, String detail) {
        return error(HttpStatus.BAD_REQUEST, "invalid_request", field, detail);
    }

    public static HttpResponse<?> error(HttpStatus status, String error, String field, String detail) {
        return HttpResponse.<String>status(status).body(write(errorBody(status.getCode(), error, field, detail))).contentType(MediaType.APPLICATION_JSON_TYPE);
    }

    /** The API's one error shape: Waymark's error, field and detail with Marquez's code and message. */
    public static ObjectNode errorBody(int code, String error, String field, String detail) {
        return F.objectNode().put("error", error).put("field", field == null || field.isEmpty() ? null : field).put("detail", detail)
                .put("code", code).put("message", detail);
    }

    public static String write(JsonNode node) {
        try {
            return Json.STRICT.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A stored facet text back to JSON; text that is not JSON (it always is) is returned as a string. */
    public static JsonNode parse(String text) {
        try {
            return Json.STRICT.readTree(text);
        } catch (JsonProcessingException e) {
            return F.textNode(text);
        }
    }

    public static String time(Object value) {
        return value instanceof ZonedDateTime t ? DateTimeFormatter.ISO_INSTANT.format(t) : null;
    }

    public static void putTime(ObjectNode node, String field, Object value) {
        String text = time(value);
        if (text == null) {
            node.putNull(field);
        } else {
            node.put(field, text);
        }
    }

    public static String str(Map<String, Object> props, String key) {
        Object value = props.get(key);
        return value == null ? null : value.toString();
    }

    /** A node's facets: its {@code facet.<name>} properties and its custom facets (kept as two lists), by name. */
    public static ObjectNode facets(Map<String, Object> props) {
        java.util.TreeMap<String, String> all = new java.util.TreeMap<>();
        props.forEach((k, v) -> {
            if (k.startsWith("facet.") && v instanceof String s) {
                all.put(k.substring("facet.".length()), s);
            }
        });
        if (props.get("customFacetNames") instanceof List<?> names && props.get("customFacetValues") instanceof List<?> values) {
            for (int i = 0; i < Math.min(names.size(), values.size()); i++) {
                all.putIfAbsent(String.valueOf(names.get(i)), String.valueOf(values.get(i)));
            }
        }
        ObjectNode facets = F.objectNode();
        all.forEach((name, json) -> facets.set(name, parse(json)));
        return facets;
    }

    /** The {@code ann.<key>} properties of a node as the annotations object. */
    public static ObjectNode annotations(Map<String, Object> props) {
        ObjectNode annotations = F.objectNode();
        props.entrySet().stream()
                .filter(e -> e.getKey().startsWith("ann."))
                .sorted(Map.Entry.comparingByKey())
                .forEach(e -> annotations.set(e.getKey().substring("ann.".length()), Json.STRICT.valueToTree(e.getValue())));
        return annotations;
    }

    public static ArrayNode strings(Object list) {
        ArrayNode array = F.arrayNode();
        if (list instanceof Collection<?> c) {
            c.forEach(v -> array.add(String.valueOf(v)));
        }
        return array;
    }

    public static ObjectNode id(String namespace, String name) {
        return F.objectNode().put("namespace", namespace).put("name", name);
    }
}
