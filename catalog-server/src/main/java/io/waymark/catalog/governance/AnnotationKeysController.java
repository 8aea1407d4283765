package io.waymark.catalog.governance;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.security.annotation.Secured;
import io.waymark.catalog.api.JsonView;
import io.waymark.catalog.auth.Roles;

import static io.waymark.catalog.api.JsonView.F;

/** {@code GET /api/v1/annotation-keys}: the annotation keys and their value types, so clients build forms from the schema the server enforces. */
@Controller("/api/v1/annotation-keys")
@Secured(Roles.VIEWER)
public class AnnotationKeysController {
    @Get
    public HttpResponse<?> keys() {
        ArrayNode list = F.arrayNode();
        for (AnnotationSchema.Key k : AnnotationSchema.keys()) {
            ObjectNode key = list.addObject().put("key", k.key()).put("type", k.type()).put("jobOnly", k.jobOnly());
            k.values().forEach(key.withArray("values")::add);
        }
        ObjectNode body = F.objectNode();
        body.set("keys", list);
        body.put("custom", "keys starting with custom. take a string, number or boolean");
        return JsonView.ok(body);
    }
}
