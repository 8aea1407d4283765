package io.waymark.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.io.RandomAccessFile;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The data directory on a small file system of its own (a tmpfs the test mounts): posting until
 * space runs low gets 507 with Retry-After while the journal still has room, reads and /health go
 * on, and once space is freed ingest and projection resume with every acknowledged event in the
 * graph. Needs the right to mount (root, as CI runs); elsewhere it is skipped.
 */
class FullDiskTest {
    private static final int EVENTS_PER_BATCH = 200;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void aFillingDiskIsRefusedBeforeItIsFullAndHealsWhenSpaceIsFreed() throws Exception {
        Path mount = Files.createTempDirectory("waymark-small-fs");
        Process mounting = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=256m", "tmpfs", mount.toString()).inheritIO().start();
        Assumptions.assumeTrue(mounting.waitFor() == 0, "cannot mount a tmpfs here (needs root)");
        try {
            Path ballast = mount.resolve("ballast");
            try (RandomAccessFile file = new RandomAccessFile(ballast.toFile(), "rw")) {
                byte[] mb = new byte[1024 * 1024];
                for (int i = 0; i < 64; i++) {
                    file.write(mb);
                }
            }
            Path log = Files.createTempDirectory("waymark-full-disk").resolve("child.log");
            try (ChildWaymark child = ChildWaymark.start(mount.resolve("data"), log,
                    java.util.Map.of("WAYMARK_MIN_FREE_DISK_BYTES", Long.toString(48L * 1024 * 1024)))) {
                int accepted = 0;
                HttpResponse<String> refused = null;
                for (int batch = 0; batch < 80 && refused == null; batch++) {
                    HttpResponse<String> response = postBatch(child, batch);
                    if (response.statusCode() == 200) {
                        accepted++;
                    } else {
                        refused = response;
                    }
                }
                assertTrue(refused != null, "space ran low within 80 batches of 3 MB; see " + log);
                assertEquals(507, refused.statusCode(), refused.body());
                assertTrue(refused.headers().firstValue("Retry-After").isPresent());
                assertTrue(accepted > 0, "some batches went in first");
                JsonNode health = TestServer.parse(get(child, "/health").body());
                assertEquals("UP", health.path("graph").asText(), health.toString());
                assertTrue(health.path("disk").asText().startsWith("LOW"), health.toString());

                Files.delete(ballast);
                // Projection works off its backlog in the freed room, then writes are taken again.
                HttpResponse<String> after = null;
                for (int attempt = 0; attempt < 60 && (after == null || after.statusCode() != 200); attempt++) {
                    Thread.sleep(1000);
                    after = postBatch(child, 1000 + attempt);
                }
                assertEquals(200, after.statusCode(), "ingest resumes once space is freed: " + after.body() + "; " + get(child, "/health").body());
                accepted++;
                child.awaitCaughtUp();
                JsonNode jobs = TestServer.parse(get(child, "/api/v1/namespaces/full/jobs?limit=1").body());
                assertEquals((long) accepted * EVENTS_PER_BATCH, jobs.path("totalCount").asLong(), "every acknowledged event is in the graph");
                child.stop();
            }
        } finally {
            new ProcessBuilder("umount", "-l", mount.toString()).inheritIO().start().waitFor();
        }
    }

    /** 200 runs of jobs of their own, each event padded to about 16 KB with a facet. */
    private HttpResponse<String> postBatch(ChildWaymark child, int batch) throws Exception {
        StringBuilder body = new StringBuilder();
        String padding = "x".repeat(16_000);
        for (int i = 0; i < EVENTS_PER_BATCH; i++) {
            ObjectNode event = Events.run("COMPLETE", UUID.randomUUID().toString(), "2025-01-01T00:00:00Z", "full", "job_" + batch + "_" + i);
            event.with("run").putObject("facets").putObject("padding").put("text", padding);
            body.append(event).append('\n');
        }
        return http.send(HttpRequest.newBuilder(URI.create(child.url("/api/v1/lineage/batch")))
                .header("Content-Type", "application/x-ndjson").header("Authorization", "Bearer " + TestServer.ADMIN_TOKEN)
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(ChildWaymark child, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(child.url(path))).header("Authorization", "Bearer " + TestServer.ADMIN_TOKEN)
                .GET().build(), HttpResponse.BodyHandlers.ofString());
    }
}
