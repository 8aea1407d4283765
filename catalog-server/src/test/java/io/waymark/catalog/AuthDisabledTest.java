package io.waymark.catalog;

import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** waymark.auth.enabled=false (local experiments): no token needed, callers act as an admin named anonymous, and no admin token is generated. */
class AuthDisabledTest {
    @Test
    void withoutAuthEveryCallerIsAnAnonymousAdmin() throws Exception {
        Path data = Files.createTempDirectory("waymark-noauth");
        try (ApplicationContext context = ApplicationContext.run(Map.of(
                "micronaut.server.port", -1,
                "waymark.data-dir", data.toString(),
                "waymark.auth.enabled", false,
                "waymark.compliance-continuous", false,
                "micronaut.banner.enabled", false))) {
            EmbeddedServer server = context.getBean(EmbeddedServer.class).start();
            HttpClient http = HttpClient.newHttpClient();
            String base = "http://127.0.0.1:" + server.getPort();
            HttpResponse<String> posted = http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/lineage")).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(Events.complete("noauth", "job", new String[] {}, new String[] {"t"},
                            "2025-01-01T00:00:00Z").toString())).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(201, posted.statusCode(), posted.body());
            assertEquals(200, http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/tokens")).build(), HttpResponse.BodyHandlers.ofString())
                    .statusCode(), "even admin routes");
            assertEquals(404, http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/no-such-thing")).build(), HttpResponse.BodyHandlers.ofString())
                    .statusCode(), "an unknown route is not found, not forbidden");
            String audit = http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/audit-log?action=lineage")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            assertTrue(audit.contains("\"actor\":\"anonymous\""), "writes are still audited, as anonymous: " + audit);
            assertFalse(Files.exists(data.resolve("admin.token")), "no admin token is generated");
        }
    }
}
