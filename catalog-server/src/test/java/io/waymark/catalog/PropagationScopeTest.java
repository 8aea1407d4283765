package io.waymark.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.waymark.catalog.governance.Propagator;
import io.waymark.catalog.lineage.LabelOverlay;
import org.junit.jupiter.api.Test;
import org.neo4j.driver.Driver;
import org.neo4j.driver.Session;

import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * After each change the projector recomputes only the labels downstream of it; a whole
 * recomputation right after must find nothing to change. Random lineage (copies, hashes,
 * aggregates, filters and joins, dataset-level dependencies, cycles, writes without column
 * lineage, a tokenizer), steward labels and suppressions, in a fixed random order.
 */
class PropagationScopeTest {
    private static final String[] CODES = {"PII.contact.email", "PII.SPECIAL.health", "PII.id.internal"};
    private static final String[] FIELDS = {"a", "b", "c"};
    private static final int DATASETS = 10;
    private static final int STEPS = 40;
    private static final String LABELS = """
            MATCH (f:Field)-[r:CLASSIFIED_AS {source: 'PROPAGATED'}]->(c:Classification) WHERE f.key STARTS WITH $fields
            RETURN f.key + ' ' + c.code + ' ' + r.protection + ' ' + r.origin + ' ' + reduce(s = '', p IN r.path | s + '>' + p)
                   + CASE WHEN r.inferred THEN ' inferred' ELSE '' END AS row ORDER BY row
            UNION ALL
            MATCH (d:Dataset)-[r:SUSPECTED_AS]->(c:Classification) WHERE d.key STARTS WITH $datasets
            RETURN d.key + ' suspected ' + c.code + ' ' + r.origin + ' ' + r.job + ' ' + reduce(s = '', p IN r.path | s + '>' + p) AS row ORDER BY row""";

    private final TestServer server = TestServer.get();
    private final Random random = new Random(7);
    private final String ns = Events.ns();

    @Test
    void aRegionRecomputedAloneEqualsAWholeRecomputation() {
        for (int d = 0; d < DATASETS; d++) {
            ObjectNode event = Events.complete(ns, "load" + d, new String[] {}, new String[] {}, "2025-01-01T00:00:00Z");
            ObjectNode out = Events.dataset(ns, "d" + d);
            ArrayNode fields = out.putObject("facets").putObject("schema").putArray("fields");
            for (String f : FIELDS) {
                fields.addObject().put("name", f).put("type", "STRING");
            }
            ((ArrayNode) event.get("outputs")).add(out);
            post(event);
        }
        background();
        server.awaitProjection();
        Propagator propagator = server.context.getBean(Propagator.class);
        Driver driver = server.context.getBean(Driver.class);
        LabelOverlay overlay = server.context.getBean(LabelOverlay.class);
        badges();
        double regionalBefore = regionalRecomputations();
        for (int step = 0; step < STEPS; step++) {
            String what = change(step);
            server.awaitProjection();
            List<String> scoped = labels(driver);
            // Lineage keeps badges in memory; what it shows must be what a fresh read shows.
            String shown = badges();
            overlay.reset();
            assertEquals(badges(), shown, "step " + step + " (" + what + "): lineage shows stale classification badges");
            propagator.propagate();
            assertEquals(scoped, labels(driver), "step " + step + " (" + what + "): the region's recomputation differs from a whole one");
        }
        List<String> end = labels(driver);
        // most changes must really have been recomputed as a region (a job's new role is recomputed whole)
        assertTrue(regionalRecomputations() - regionalBefore >= STEPS / 2.0, "region recomputations: " + (regionalRecomputations() - regionalBefore));
        // the random changes must have exercised every kind of derived label
        assertTrue(end.stream().anyMatch(r -> r.contains(" PII.contact.email ") && !r.contains("suspected")), "labels propagated");
        assertTrue(end.stream().anyMatch(r -> r.endsWith(" inferred")), "health inferred");
        assertTrue(end.stream().anyMatch(r -> r.contains(" suspected ")), "suspected labels");
    }

    private String change(int step) {
        int kind = step < 6 ? step % 3 : random.nextInt(10);
        String dataset = "d" + random.nextInt(DATASETS);
        String field = FIELDS[random.nextInt(FIELDS.length)];
        String code = CODES[random.nextInt(CODES.length)];
        String path = "/api/v1/namespaces/" + ns + "/datasets/" + dataset + "/fields/" + field + "/classifications/" + code;
        switch (kind) {
            case 0, 1 -> {
                HttpRequest put = request(path).header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString("{\"reason\":\"test\"}", StandardCharsets.UTF_8)).build();
                assertEquals(200, server.send(put).statusCode());
                return "label " + dataset + "." + field + " " + code;
            }
            case 2, 3, 4, 5 -> {
                return columnLineage();
            }
            case 6 -> {
                HttpRequest delete = request(path).method("DELETE", HttpRequest.BodyPublishers.noBody()).build();
                server.send(delete);
                return "suppress " + dataset + "." + field + " " + code;
            }
            case 7 -> {
                String out = "d" + random.nextInt(DATASETS);
                post(Events.complete(ns, "dump" + random.nextInt(3), new String[] {dataset}, new String[] {out}, "2025-01-03T00:00:00Z"));
                return "write without column lineage " + dataset + " -> " + out;
            }
            case 8 -> {
                String job = "/api/v1/namespaces/" + ns + "/jobs/job" + random.nextInt(4) + "/annotations";
                String role = random.nextBoolean() ? "{\"role\":\"tokenizer\"}" : "{\"role\":null}";
                HttpRequest put = request(job).header("Content-Type", "application/merge-patch+json")
                        .PUT(HttpRequest.BodyPublishers.ofString(role, StandardCharsets.UTF_8)).build();
                int status = server.send(put).statusCode();
                return "role " + job + " " + role + " (" + status + ")";
            }
            default -> {
                return columnLineage();
            }
        }
    }

    /**
     * Column lineage elsewhere (a chain of wide tables in another namespace), so that this test's
     * regions are a small part of the graph, as they are in a real catalog, and are recomputed as
     * regions rather than whole.
     */
    private void background() {
        String other = Events.ns();
        for (int d = 1; d <= 80; d++) {
            ObjectNode event = Events.complete(other, "copy" + d, new String[] {"t" + (d - 1)}, new String[] {}, "2025-01-01T00:00:00Z");
            ObjectNode out = Events.dataset(other, "t" + d);
            ObjectNode fields = out.putObject("facets").putObject("columnLineage").putObject("fields");
            for (int f = 0; f < 40; f++) {
                fields.putObject("c" + f).putArray("inputFields").addObject().put("namespace", other).put("name", "t" + (d - 1)).put("field", "c" + f)
                        .putArray("transformations").addObject().put("type", "DIRECT").put("subtype", "IDENTITY");
            }
            ((ArrayNode) event.get("outputs")).add(out);
            post(event);
        }
    }

    private double regionalRecomputations() {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?m)^waymark_propagation_seconds_count\\{scope=\"region\",?\\} (\\S+)$")
                .matcher(server.get("/metrics").body());
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }

    /** One run of a job writing one dataset whose fields derive from others' (column- and dataset-level). */
    private String columnLineage() {
        String job = "job" + random.nextInt(4);
        String outName = "d" + random.nextInt(DATASETS);
        ObjectNode event = Events.complete(ns, job, new String[] {}, new String[] {}, "2025-01-02T00:00:00Z");
        ObjectNode out = Events.dataset(ns, outName);
        ObjectNode facet = out.putObject("facets").putObject("columnLineage");
        ObjectNode fields = facet.putObject("fields");
        StringBuilder said = new StringBuilder(job + " writes " + outName + ":");
        for (String f : FIELDS) {
            if (random.nextInt(3) == 0) {
                continue;
            }
            ArrayNode inputs = fields.putObject(f).putArray("inputFields");
            for (int i = 0; i < 1 + random.nextInt(2); i++) {
                String in = "d" + random.nextInt(DATASETS);
                String inField = FIELDS[random.nextInt(FIELDS.length)];
                ObjectNode t = inputs.addObject().put("namespace", ns).put("name", in).put("field", inField)
                        .putArray("transformations").addObject();
                int shape = random.nextInt(6);
                switch (shape) {
                    case 0 -> t.put("type", "DIRECT").put("subtype", "TRANSFORMATION").put("masking", true);
                    case 1 -> t.put("type", "DIRECT").put("subtype", "AGGREGATION").put("masking", random.nextBoolean());
                    case 2 -> t.put("type", "INDIRECT").put("subtype", random.nextBoolean() ? "FILTER" : "JOIN");
                    default -> t.put("type", "DIRECT").put("subtype", "IDENTITY");
                }
                said.append(' ').append(f).append('<').append(in).append('.').append(inField).append('/').append(shape);
            }
        }
        if (random.nextInt(4) == 0) {
            String in = "d" + random.nextInt(DATASETS);
            String inField = FIELDS[random.nextInt(FIELDS.length)];
            facet.putArray("dataset").addObject().put("namespace", ns).put("name", in).put("field", inField)
                    .putArray("transformations").addObject().put("type", "INDIRECT").put("subtype", "FILTER");
            said.append(" rows filtered by ").append(in).append('.').append(inField);
        }
        ((ArrayNode) event.get("outputs")).add(out);
        post(event);
        return said.toString();
    }

    /** Every dataset's classification badges as a lineage answer gives them. */
    private String badges() {
        StringBuilder all = new StringBuilder();
        for (int d = 0; d < DATASETS; d++) {
            JsonNode graph = server.getJson("/api/v1/lineage?depth=0&fields=false&nodeId=" + TestServer.enc("dataset:" + ns + ":d" + d)).path("graph");
            graph.forEach(node -> all.append(node.path("id").asText()).append(' ').append(node.path("classifications")).append('\n'));
        }
        return all.toString();
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(server.url(path))).header("Authorization", "Bearer " + server.token("steward@example.com", "steward"));
    }

    private void post(ObjectNode event) {
        assertEquals(201, server.postJson("/api/v1/lineage", event.toString()).statusCode());
    }

    private List<String> labels(Driver driver) {
        try (Session session = driver.session()) {
            return session.executeRead(tx -> tx.run(LABELS, Map.of("fields", "datasetField:" + ns + ":", "datasets", "dataset:" + ns + ":"))
                    .list(r -> r.get("row").asString()));
        }
    }
}
