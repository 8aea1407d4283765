package io.waymark.catalog;

import io.micronaut.http.HttpMethod;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;
import io.micronaut.web.router.Router;
import io.micronaut.web.router.UriRouteInfo;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Health, metrics, and an OpenAPI document that lists every route the server really has. */
class OpsTest {
    private final TestServer server = TestServer.get();

    /** The document parses, lists every route the server has, and names the role each needs as the code declares it. */
    @Test
    @SuppressWarnings("unchecked")
    void everyRouteIsInTheOpenApiDocumentWithItsRole() {
        var response = server.get("/api/v1/openapi.yml");
        assertEquals(200, response.statusCode());
        Map<String, Object> doc = new Yaml(new SafeConstructor(new LoaderOptions())).load(response.body());
        Map<String, Object> paths = (Map<String, Object>) doc.get("paths");
        List<String> missing = new ArrayList<>();
        List<String> wrongRole = new ArrayList<>();
        server.context.getBean(Router.class).uriRoutes().forEach(route -> {
            UriRouteInfo<?, ?> info = route;
            if (info.getHttpMethod() == HttpMethod.HEAD) {
                return;
            }
            String path = info.getUriMatchTemplate().toPathString();
            String method = info.getHttpMethod().name().toLowerCase();
            Map<String, Object> operations = (Map<String, Object>) paths.get(path);
            Map<String, Object> operation = operations == null ? null : (Map<String, Object>) operations.get(method);
            if (operation == null) {
                missing.add(method.toUpperCase() + " " + path);
                return;
            }
            List<String> declared = List.of(info.getTargetMethod().getAnnotationMetadata().getValue(Secured.class, String[].class).orElse(new String[0])).stream()
                    .map(r -> r.equals(SecurityRule.IS_ANONYMOUS) ? "public" : r).toList();
            if (!declared.equals(operation.get("x-waymark-roles"))) {
                wrongRole.add(method.toUpperCase() + " " + path + ": code " + declared + ", document " + operation.get("x-waymark-roles"));
            }
        });
        assertTrue(missing.isEmpty(), "routes missing from openapi/waymark.yml: " + missing);
        assertTrue(wrongRole.isEmpty(), "roles in openapi/waymark.yml differ from @Secured: " + wrongRole);
    }

    @Test
    void metricsCountIngestAndLatency() {
        server.postJson("/api/v1/lineage", "{}");
        server.postJson("/api/v1/lineage", Events.complete(Events.ns(), "m", new String[] {}, new String[] {}, "2025-01-01T00:00:00Z").toString());
        var metrics = server.get("/metrics");
        assertEquals(200, metrics.statusCode());
        String body = metrics.body();
        for (String name : List.of("waymark_events_accepted_total", "waymark_events_rejected_total", "waymark_projection_lag_events",
                "waymark_http_server_requests_seconds", "route=\"/api/v1/lineage\"")) {
            assertTrue(body.contains(name), name + " in /metrics");
        }
    }

    /** A path no route serves is 404 and a missing method 405, in the API's error shape with Marquez's code and message. */
    @Test
    void unknownRoutesAre404AndWrongMethods405() {
        var missing = server.get("/api/v1/no-such-thing");
        assertEquals(404, missing.statusCode(), missing.body());
        var body = TestServer.parse(missing.body());
        assertEquals("not_found", body.path("error").asText(), missing.body());
        assertEquals(404, body.path("code").asInt(), missing.body());
        assertTrue(body.path("message").asText().contains("/api/v1/no-such-thing"), missing.body());
        var viewer = server.token("ops-viewer", "viewer");
        assertEquals(404, server.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(server.url("/api/v1/no-such-thing")))
                .header("Authorization", "Bearer " + viewer).GET().build()).statusCode(), "not a role question for a viewer either");
        var wrongMethod = server.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(server.url("/api/v1/search?q=x")))
                .method("PATCH", java.net.http.HttpRequest.BodyPublishers.noBody()).build());
        assertEquals(405, wrongMethod.statusCode(), wrongMethod.body());
        assertEquals(405, TestServer.parse(wrongMethod.body()).path("code").asInt(), wrongMethod.body());
        // Waymark's own errors carry code and message too.
        var notFound = TestServer.parse(server.get("/api/v1/namespaces/" + Events.ns() + "/jobs/none").body());
        assertEquals(404, notFound.path("code").asInt(), notFound.toString());
        assertEquals(notFound.path("detail").asText(), notFound.path("message").asText());
        var refused = TestServer.parse(server.postJson("/api/v1/lineage", "{}").body());
        assertEquals(400, refused.path("code").asInt(), refused.toString());
    }

    @Test
    void healthReportsGraphJournalAndLag() {
        var health = TestServer.parse(server.get("/health").body());
        assertEquals("UP", health.path("status").asText());
        assertEquals("UP", health.path("graph").asText());
        assertTrue(health.has("projectionLag"));
        // TestServer waits for start-up's compliance round: nothing is still warming.
        assertTrue(health.path("warming").isMissingNode(), health.toString());
    }
}
