package io.waymark.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import io.micronaut.http.HttpMethod;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;
import io.micronaut.web.router.Router;
import io.micronaut.web.router.UriRouteInfo;
import io.waymark.catalog.auth.Roles;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every route declares a role; each role reaches what it should and nothing else; tokens are created, listed and revoked. */
class AuthTest {
    private static final Set<String> PUBLIC = Set.of("/health", "/metrics", "/api/v1/reports/public-key");
    private final TestServer server = TestServer.get();

    @Test
    void everyRouteDeclaresTheRoleItNeedsAndOnlyThreeArePublic() {
        List<String> undeclared = new ArrayList<>();
        List<String> open = new ArrayList<>();
        server.context.getBean(Router.class).uriRoutes().forEach(route -> {
            UriRouteInfo<?, ?> info = route;
            String name = info.getHttpMethod() + " " + info.getUriMatchTemplate().toPathString();
            // The closest @Secured wins (method over class), as SecuredAnnotationRule reads it.
            String[] roles = info.getTargetMethod().getAnnotationMetadata().getValue(Secured.class, String[].class).orElse(new String[0]);
            if (roles.length == 0) {
                undeclared.add(name);
            } else if (List.of(roles).contains(SecurityRule.IS_ANONYMOUS) && !PUBLIC.contains(info.getUriMatchTemplate().toPathString())) {
                open.add(name);
            } else if (!List.of(roles).contains(SecurityRule.IS_ANONYMOUS) && !Roles.ALL.containsAll(List.of(roles))) {
                undeclared.add(name + " " + List.of(roles));
            }
        });
        assertTrue(undeclared.isEmpty(), "routes without a Waymark role: " + undeclared);
        assertTrue(open.isEmpty(), "routes open to anyone: " + open);
        assertEquals(200, server.sendAsIs(get("/health", null)).statusCode());
        assertEquals(200, server.sendAsIs(get("/metrics", null)).statusCode());
    }

    @Test
    void eachRoleReachesItsAreasAndIsRefusedElsewhere() {
        String ns = Events.ns();
        assertEquals(201, server.postJson("/api/v1/lineage", Events.complete(ns, "load", new String[] {}, new String[] {"orders"},
                "2025-01-01T00:00:00Z").toString()).statusCode());
        server.awaitProjection();
        String lineage = Events.complete(ns, "load", new String[] {}, new String[] {"orders"}, "2025-01-02T00:00:00Z").toString();
        // One representative route per area; the status a role is allowed gets is whatever the route answers (not 401/403).
        Map<String, HttpRequest> areas = new LinkedHashMap<>();
        areas.put("ingest", post("/api/v1/lineage", lineage));
        areas.put("read", get("/api/v1/namespaces/" + ns + "/datasets/orders", null));
        areas.put("lineage", get("/api/v1/lineage?nodeId=" + TestServer.enc("dataset:" + ns + ":orders"), null));
        areas.put("annotate", put("/api/v1/namespaces/" + ns + "/datasets/orders/annotations", "{\"owner\":\"sales\"}"));
        areas.put("findings", get("/api/v1/compliance/findings?limit=1", null));
        areas.put("evaluate", post("/api/v1/compliance/evaluations", ""));
        areas.put("audit", get("/api/v1/audit-log?limit=1", null));
        areas.put("tokens", get("/api/v1/tokens", null));
        areas.put("delete", HttpRequest.newBuilder(URI.create(server.url("/api/v1/namespaces/" + ns + "/datasets/no-such-table"))).DELETE().build());
        Map<String, Set<String>> allowed = Map.of(
                Roles.ADMIN, areas.keySet(),
                Roles.STEWARD, Set.of("read", "lineage", "annotate", "findings", "evaluate", "delete"),
                Roles.AUDITOR, Set.of("read", "lineage", "findings", "evaluate", "audit"),
                Roles.VIEWER, Set.of("read", "lineage", "findings"),
                Roles.PRODUCER, Set.of("ingest"));
        List<String> wrong = new ArrayList<>();
        for (String role : Roles.ALL) {
            String token = server.token("matrix-" + role, role);
            areas.forEach((area, request) -> {
                int status = server.sendAsIs(HttpRequest.newBuilder(request, (n, v) -> true).header("Authorization", "Bearer " + token).build()).statusCode();
                int expected = allowed.get(role).contains(area) ? -1 : 403;
                if ((expected == 403 && status != 403) || (expected == -1 && (status == 401 || status == 403 || status >= 500))) {
                    wrong.add(role + " " + area + " -> " + status);
                }
            });
        }
        assertTrue(wrong.isEmpty(), "role matrix: " + wrong);
        for (HttpRequest request : areas.values()) {
            assertEquals(401, server.sendAsIs(request).statusCode(), "no token: " + request.uri());
            HttpResponse<String> bogus = server.sendAsIs(HttpRequest.newBuilder(request, (n, v) -> true).header("Authorization", "Bearer wm_forged").build());
            assertEquals(401, bogus.statusCode(), "a forged token: " + request.uri());
            assertEquals("unauthorized", TestServer.parse(bogus.body()).path("error").asText());
        }
        HttpResponse<String> forbidden = server.sendAsIs(HttpRequest.newBuilder(areas.get("tokens"), (n, v) -> true)
                .header("Authorization", "Bearer " + server.token("matrix-viewer", Roles.VIEWER)).build());
        assertEquals("forbidden", TestServer.parse(forbidden.body()).path("error").asText(), forbidden.body());
    }

    @Test
    void tokensAreShownOnceStoredHashedAndRevocable() throws Exception {
        HttpResponse<String> created = server.postJson("/api/v1/tokens", "{\"name\":\"airflow-prod\",\"role\":\"producer\"}");
        assertEquals(201, created.statusCode(), created.body());
        JsonNode token = TestServer.parse(created.body());
        String value = token.path("token").asText();
        assertTrue(value.startsWith("wm_") && value.length() > 40, value);
        assertEquals("producer", token.path("role").asText());

        String listed = server.get("/api/v1/tokens").body();
        assertTrue(listed.contains("airflow-prod") && !listed.contains(value), "the list names tokens but never shows one");
        // Through the server's own journal database, SQLite or PostgreSQL (the build runs this test on both).
        server.context.getBean(io.waymark.catalog.journal.Journal.class).jdbi().useHandle(h -> {
            try (var rows = h.getConnection().createStatement().executeQuery("SELECT * FROM api_token")) {
                while (rows.next()) {
                    for (int c = 1; c <= rows.getMetaData().getColumnCount(); c++) {
                        assertFalse(value.equals(rows.getString(c)), "the token is stored only as a hash");
                    }
                }
            }
        });
        HttpRequest ingest = HttpRequest.newBuilder(post("/api/v1/lineage", Events.complete(Events.ns(), "j", new String[] {}, new String[] {},
                "2025-01-01T00:00:00Z").toString()), (n, v) -> true).header("Authorization", "Bearer " + value).build();
        assertEquals(201, server.sendAsIs(ingest).statusCode());

        assertEquals(400, server.postJson("/api/v1/tokens", "{\"name\":\"x\",\"role\":\"root\"}").statusCode(), "unknown role");
        assertEquals(400, server.postJson("/api/v1/tokens", "{\"role\":\"viewer\"}").statusCode(), "a token needs a name");
        assertEquals(200, server.delete("/api/v1/tokens/" + token.path("id").asText()).statusCode());
        assertEquals(401, server.sendAsIs(ingest).statusCode(), "a revoked token is refused at once");
        assertEquals(404, server.delete("/api/v1/tokens/" + token.path("id").asText()).statusCode(), "revoked already");
    }

    static HttpRequest get(String path, String ignored) {
        return HttpRequest.newBuilder(URI.create(TestServer.get().url(path))).timeout(Duration.ofSeconds(60)).GET().build();
    }

    static HttpRequest post(String path, String body) {
        return HttpRequest.newBuilder(URI.create(TestServer.get().url(path))).timeout(Duration.ofSeconds(60)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build();
    }

    static HttpRequest put(String path, String body) {
        return HttpRequest.newBuilder(URI.create(TestServer.get().url(path))).timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/merge-patch+json").PUT(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build();
    }
}
