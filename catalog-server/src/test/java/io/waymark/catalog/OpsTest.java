package io.waymark.catalog;

import io.micronaut.http.HttpMethod;
import io.micronaut.web.router.Router;
import io.micronaut.web.router.UriRouteInfo;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Health, metrics, and an OpenAPI document that lists every route the server really has. */
class OpsTest {
    private final TestServer server = TestServer.get();

    @Test
    void everyRouteIsInTheOpenApiDocument() {
        var response = server.get("/api/v1/openapi.yml");
        assertEquals(200, response.statusCode());
        String doc = response.body();
        List<String> missing = new ArrayList<>();
        server.context.getBean(Router.class).uriRoutes().forEach(route -> {
            UriRouteInfo<?, ?> info = route;
            String path = info.getUriMatchTemplate().toPathString();
            String method = info.getHttpMethod().name().toLowerCase();
            int at = doc.indexOf("\n  " + path + ":\n");
            int end = at < 0 ? -1 : doc.indexOf("\n  /", at + 1);
            String section = at < 0 ? "" : doc.substring(at, end < 0 ? doc.indexOf("\ncomponents:") : end);
            if (info.getHttpMethod() != HttpMethod.HEAD && !section.contains("\n    " + method + ":")) {
                missing.add(method.toUpperCase() + " " + path);
            }
        });
        assertTrue(missing.isEmpty(), "routes missing from openapi/waymark.yml: " + missing);
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

    @Test
    void healthReportsGraphJournalAndLag() {
        var health = TestServer.parse(server.get("/health").body());
        assertEquals("UP", health.path("status").asText());
        assertEquals("UP", health.path("graph").asText());
        assertTrue(health.has("projectionLag"));
    }
}
