package io.waymark.catalog;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A write answers with its journal position; a read that waits for it sees the write. */
class ReadYourWritesTest {
    private final TestServer server = TestServer.get();

    @Test
    void aReadThatWaitsForAWriteSeesIt() {
        String ns = Events.ns();
        for (int i = 0; i < 10; i++) {
            HttpResponse<String> posted = server.postJson("/api/v1/lineage",
                    Events.complete(ns, "job" + i, new String[] {"in" + i}, new String[] {"out" + i}, "2025-01-01T00:00:00Z").toString());
            assertEquals(201, posted.statusCode());
            String position = posted.headers().firstValue("Waymark-Position").orElseThrow(() -> new AssertionError("no Waymark-Position"));
            assertTrue(Long.parseLong(position) > 0);
            // Alternately as a parameter and as a header.
            HttpResponse<String> read = i % 2 == 0
                    ? server.get("/api/v1/namespaces/" + ns + "/jobs/job" + i + "?waitFor=" + position)
                    : server.send(HttpRequest.newBuilder(URI.create(server.url("/api/v1/namespaces/" + ns + "/jobs/job" + i)))
                            .header("Waymark-Wait-For", position).GET().build());
            assertEquals(200, read.statusCode(), "the job of write " + i + " is visible at once: " + read.body());
            assertEquals(1, TestServer.parse(read.body()).path("outputs").size(), "with the edges of the same event");
            assertFalse(read.headers().firstValue("Waymark-Projection-Pending").isPresent());
        }
    }

    @Test
    void aWaitIsBoundedAndSaysSo() {
        long started = System.nanoTime();
        HttpResponse<String> read = server.get("/api/v1/namespaces?waitFor=" + Long.MAX_VALUE / 2 + "&waitTimeoutMs=300");
        long ms = (System.nanoTime() - started) / 1_000_000;
        assertEquals(200, read.statusCode(), read.body());
        assertEquals("true", read.headers().firstValue("Waymark-Projection-Pending").orElse(null));
        assertTrue(ms >= 250, "it waited: " + ms + " ms");
        assertEquals(400, server.get("/api/v1/namespaces?waitFor=soon").statusCode());
        assertEquals(400, server.get("/api/v1/namespaces?waitFor=1&waitTimeoutMs=999999").statusCode());
    }

    @Test
    void governanceWritesAnswerWithTheirPositionToo() {
        String ns = Events.ns();
        HttpResponse<String> posted = server.postJson("/api/v1/lineage",
                Events.complete(ns, "annotated", new String[] {}, new String[] {"t"}, "2025-01-01T00:00:00Z").toString());
        server.get("/api/v1/namespaces/" + ns + "/jobs/annotated?waitFor=" + posted.headers().firstValue("Waymark-Position").orElseThrow());
        HttpResponse<String> annotated = server.send(HttpRequest.newBuilder(URI.create(server.url("/api/v1/namespaces/" + ns + "/datasets/t/annotations")))
                .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString("{\"owner\":\"data-team\"}")).build());
        assertEquals(200, annotated.statusCode(), annotated.body());
        long position = Long.parseLong(annotated.headers().firstValue("Waymark-Position").orElseThrow());
        assertTrue(position > Long.parseLong(posted.headers().firstValue("Waymark-Position").orElseThrow()));
        String owner = TestServer.parse(server.get("/api/v1/namespaces/" + ns + "/datasets/t?waitFor=" + position).body())
                .path("annotations").path("owner").asText();
        assertEquals("data-team", owner);
    }
}
