package io.waymark.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The web UI in a real browser: Waymark runs as {@code serve} in its own JVM (as a person starts
 * it), loaded with ../shared/corpus and the P26 injection event; web-ui/e2e/run.mjs drives Debian's
 * Chromium through sign-in, search, a dataset, its lineage, expansion, column mode, a
 * classification badge, an impact query with CSV, report export, the audit log, names with markup
 * and a viewer's view. Screenshots of every step land in web-ui/target/e2e.
 */
class WebUiBrowserTest {
    private static final Path WEB_UI = Path.of("").toAbsolutePath().getParent().resolve("web-ui");
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();

    /** A dataset field that derives from a field of another dataset. */
    record Pick(String namespace, String dataset, String field, String inputNamespace, String inputDataset, String inputField) {}

    @Test
    void aPersonWalksThroughTheUiInChromium() throws Exception {
        Result chromium = run(new ProcessBuilder("bash", WEB_UI.resolve("e2e/ensure-chromium.sh").toString()), Duration.ofMinutes(10));
        assertEquals(0, chromium.exit(), "Chromium is missing and could not be installed:\n" + chromium.output());
        Path data = Files.createTempDirectory("waymark-ui");
        Path out = WEB_UI.resolve("target/e2e");
        Files.createDirectories(out);
        try (ChildWaymark waymark = ChildWaymark.start(data, out.resolve("waymark.log"))) {
            for (String file : corpusFiles()) {
                HttpResponse<String> r = send(waymark, "POST", "/api/v1/lineage/batch", "application/x-ndjson",
                        Files.readString(TestServer.CORPUS.resolve(file)));
                assertEquals(200, r.statusCode(), file + ": " + r.body());
            }
            JsonNode p26 = p26();
            assertEquals(201, send(waymark, "POST", "/api/v1/lineage", "application/json", p26.toString()).statusCode());
            // A column whose name alone is weak evidence, so the review queue has something to decide.
            var proposed = Events.complete("e2e-review", "load_contacts", new String[] {}, new String[] {}, "2025-01-01T00:00:00Z");
            var contacts = Events.dataset("e2e-review", "contacts");
            contacts.putObject("facets").putObject("schema").putArray("fields").addObject().put("name", "mail").put("type", "string");
            proposed.withArray("outputs").add(contacts);
            assertEquals(201, send(waymark, "POST", "/api/v1/lineage", "application/json", proposed.toString()).statusCode());
            // A job whose last run failed, so the Operations page has an incident to open.
            var failed = Events.run("FAIL", java.util.UUID.randomUUID().toString(), java.time.Instant.now().toString(), "e2e-ops", "nightly_load");
            assertEquals(201, send(waymark, "POST", "/api/v1/lineage", "application/json", failed.toString()).statusCode());
            Pick pick = pick(waymark);
            String field = "/api/v1/namespaces/" + TestServer.enc(pick.inputNamespace()) + "/datasets/" + TestServer.enc(pick.inputDataset())
                    + "/fields/" + TestServer.enc(pick.inputField()) + "/classifications/PII.contact.email";
            awaitStatus(waymark, "PUT", field, "{\"reason\":\"browser test\"}", 200);
            awaitIncident(waymark, "e2e-ops");
            String viewer = TestServer.parse(send(waymark, "POST", "/api/v1/tokens", "application/json", "{\"name\":\"vera\",\"role\":\"viewer\"}").body())
                    .path("token").asText();
            ProcessBuilder node = new ProcessBuilder("node", "e2e/run.mjs").directory(WEB_UI.toFile());
            node.environment().put("WAYMARK_URL", waymark.url(""));
            node.environment().put("WAYMARK_TOKEN", TestServer.ADMIN_TOKEN);
            node.environment().put("WAYMARK_VIEWER_TOKEN", viewer);
            node.environment().put("E2E_DATASET_NS", pick.namespace());
            node.environment().put("E2E_DATASET", pick.dataset());
            node.environment().put("E2E_FIELD", pick.field());
            node.environment().put("E2E_IMPACT_NODE", "dataset:" + pick.inputNamespace() + ":" + pick.inputDataset());
            node.environment().put("E2E_XSS_JOB", p26.path("job").path("name").asText());
            node.environment().put("E2E_OUT", out.resolve("steps").toString());
            Result e2e = run(node, Duration.ofMinutes(5));
            assertEquals(0, e2e.exit(), "browser steps failed (screenshots in " + out + "):\n" + e2e.output());
            assertTrue(e2e.output().contains("steps passed"), e2e.output());
        }
    }

    private static List<String> corpusFiles() throws IOException {
        try (var files = Files.list(TestServer.CORPUS)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".ndjson") && !n.startsWith("malformed")).sorted().toList();
        }
    }

    private static JsonNode p26() throws IOException {
        for (String line : Files.readAllLines(TestServer.CORPUS.resolve("malformed_inputs.ndjson"), StandardCharsets.UTF_8)) {
            JsonNode c = TestServer.parse(line);
            if (c.path("id").asText().startsWith("P26")) {
                return TestServer.parse(c.path("body").asText());
            }
        }
        throw new IllegalStateException("corpus case P26 not found");
    }

    /**
     * Reads the corpus's columnLineage facets for an output field (one its schema lists) with an
     * input field in another dataset, and takes the first, in sorted order, whose depth-1 lineage
     * has a node with hidden neighbours, so the explorer has something to expand.
     */
    private Pick pick(ChildWaymark waymark) throws Exception {
        for (Pick p : candidates()) {
            String id = "dataset:" + p.namespace() + ":" + p.dataset();
            HttpResponse<String> r;
            long deadline = System.currentTimeMillis() + 30_000;
            do {
                r = send(waymark, "GET", "/api/v1/lineage?depth=1&nodeId=" + TestServer.enc(id), "application/json", "");
            } while (r.statusCode() == 404 && System.currentTimeMillis() < deadline && sleep());
            for (JsonNode n : TestServer.parse(r.body()).path("graph")) {
                if (n.path("neighbours").path("upstream").asInt() > n.path("inEdges").size()
                        || n.path("neighbours").path("downstream").asInt() > n.path("outEdges").size()) {
                    return p;
                }
            }
        }
        throw new IllegalStateException("no dataset of the corpus with column lineage has neighbours beyond depth 1");
    }

    private static boolean sleep() throws InterruptedException {
        Thread.sleep(250);
        return true;
    }

    static List<Pick> candidates() throws IOException {
        TreeMap<String, Pick> candidates = new TreeMap<>();
        for (String file : corpusFiles()) {
            for (String line : Files.readAllLines(TestServer.CORPUS.resolve(file), StandardCharsets.UTF_8)) {
                if (line.isBlank()) {
                    continue;
                }
                JsonNode event = TestServer.parse(line);
                for (JsonNode o : event.path("outputs")) {
                    Set<String> schema = new HashSet<>();
                    o.path("facets").path("schema").path("fields").forEach(f -> schema.add(f.path("name").asText()));
                    o.path("facets").path("columnLineage").path("fields").properties().forEach(e -> {
                        for (JsonNode in : e.getValue().path("inputFields")) {
                            boolean other = !(in.path("namespace").asText().equals(o.path("namespace").asText()) && in.path("name").asText().equals(o.path("name").asText()));
                            if (other && schema.contains(e.getKey())) {
                                Pick p = new Pick(o.path("namespace").asText(), o.path("name").asText(), e.getKey(),
                                        in.path("namespace").asText(), in.path("name").asText(), in.path("field").asText());
                                candidates.putIfAbsent(p.namespace() + "\u0000" + p.dataset() + "\u0000" + p.field(), p);
                            }
                        }
                    });
                }
            }
        }
        return List.copyOf(candidates.values());
    }

    /** Retries until the projection has caught up and the call answers as expected. */
    private void awaitStatus(ChildWaymark waymark, String method, String path, String body, int status) throws Exception {
        long deadline = System.currentTimeMillis() + 60_000;
        HttpResponse<String> r;
        do {
            r = send(waymark, method, path, "application/json", body);
            if (r.statusCode() == status) {
                return;
            }
            Thread.sleep(250);
        } while (System.currentTimeMillis() < deadline);
        throw new AssertionError(method + " " + path + " answered " + r.statusCode() + ": " + r.body());
    }

    /** Runs monitor checks until the namespace has an open incident (projection may still be catching up). */
    private void awaitIncident(ChildWaymark waymark, String namespace) throws Exception {
        long deadline = System.currentTimeMillis() + 60_000;
        while (System.currentTimeMillis() < deadline) {
            send(waymark, "POST", "/api/v1/monitor/checks", "application/json", "");
            if (TestServer.parse(send(waymark, "GET", "/api/v1/incidents?state=OPEN&namespace=" + namespace, "application/json", "").body())
                    .path("totalCount").asInt() > 0) {
                return;
            }
            Thread.sleep(500);
        }
        throw new AssertionError("no incident opened in " + namespace);
    }

    private HttpResponse<String> send(ChildWaymark waymark, String method, String path, String type, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(waymark.url(path))).header("Authorization", "Bearer " + TestServer.ADMIN_TOKEN)
                .header("Content-Type", type).method(method, HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    record Result(int exit, String output) {}

    private static Result run(ProcessBuilder builder, Duration limit) throws Exception {
        Path log = Files.createTempFile("waymark-ui", ".log");
        Process p = builder.redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!p.waitFor(limit.toSeconds(), TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(builder.command() + " ran longer than " + limit + ":\n" + Files.readString(log));
        }
        return new Result(p.exitValue(), Files.readString(log));
    }
}
