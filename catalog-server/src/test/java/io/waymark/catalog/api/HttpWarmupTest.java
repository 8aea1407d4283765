package io.waymark.catalog.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.waymark.catalog.Events;
import io.waymark.catalog.TestServer;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The HTTP warm-up asks what viewers ask, with a token of its own that works only during it: its
 * requests are answered (a node that exists, one that does not), none is refused, and afterwards
 * the token opens nothing. The shared server's own start-up warm-up has ended before tests run.
 */
class HttpWarmupTest {
    private static final TestServer server = TestServer.get();

    @Test
    void warmsUpWithAnswersAndLeavesNoTokenBehind() {
        String ns = Events.ns();
        var posted = server.postJson("/api/v1/lineage", Events.complete(ns, "warm", new String[] {"src"}, new String[] {"dst"}, "2025-01-01T00:00:00Z").toString());
        assertEquals(201, posted.statusCode(), posted.body());
        server.awaitProjection();

        HttpWarmup warmup = server.context.getBean(HttpWarmup.class);
        HttpWarmup.Result result = warmup.run("127.0.0.1", server.server.getPort(), 24, Duration.ofSeconds(60));
        assertEquals(24, result.answers().values().stream().mapToInt(Integer::intValue).sum(), result.answers().toString());
        // Which job it reads is the first the shared graph lists (another test's, maybe one whose text id is
        // ambiguous: 400); what must not happen is a refusal of its token or a failure.
        assertTrue(result.answers().getOrDefault(200, 0) > 0, result.answers().toString());
        for (int status : result.answers().keySet()) {
            assertTrue(status != 401 && status != 403 && status < 500, "answered, never refused or failed: " + result.answers());
        }

        var after = server.sendAsIs(HttpRequest.newBuilder(URI.create(server.url("/api/v1/namespaces")))
                .header("Authorization", "Bearer " + result.token()).build());
        assertEquals(401, after.statusCode(), "the warm-up's token is forgotten");

        JsonNode health = server.getJson("/health");
        assertFalse(health.path("warming").toString().contains("http"), health.toString());
        assertTrue(!warmup.running(), "start-up's warm-up has ended");
    }
}
