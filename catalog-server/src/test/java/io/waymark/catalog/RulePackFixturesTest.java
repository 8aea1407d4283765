package io.waymark.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.waymark.policy.rules.Finding;
import io.waymark.policy.rules.Rule;
import io.waymark.policy.rules.RuleEngine;
import io.waymark.policy.rules.RulePack;
import io.waymark.policy.taxonomy.Taxonomy;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.neo4j.driver.Driver;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every fixture of every rule in the pack, as a dynamic test against the real server: its events
 * go through ingest and projection, its annotations and labels through the governance API, then
 * the rule is evaluated and the findings on the fixture's own namespace must be exactly those expected.
 */
class RulePackFixturesTest {
    private static final com.fasterxml.jackson.databind.ObjectMapper YAML_JSON = new com.fasterxml.jackson.databind.ObjectMapper();
    private final TestServer server = TestServer.get();

    private RuleEngine engine() {
        // The engine as the server builds it: in process over the embedded Neo4j (ExternalNeo4jTest covers Bolt).
        return io.waymark.catalog.compliance.ComplianceService.engine(server.context.getBean(Driver.class),
                server.context.getBean(io.waymark.catalog.graph.GraphHandle.class), Taxonomy.load());
    }

    @TestFactory
    Stream<DynamicTest> everyFixturePasses() {
        RulePack pack = RulePack.load();
        assertTrue(pack.rules().size() >= 4);
        List<DynamicTest> tests = new ArrayList<>();
        for (Rule rule : pack.rules()) {
            for (String fixture : rule.tests()) {
                tests.add(DynamicTest.dynamicTest(rule.id() + " " + fixture, () -> run(rule, fixture)));
            }
        }
        return tests.stream();
    }

    @Test
    void writingQueriesAreRefused() {
        Rule rule = RulePack.load().rules().get(0);
        Rule writer = new Rule(rule.id(), rule.version(), rule.title(), rule.regulation(), rule.citation(), rule.severity(),
                rule.description(), rule.remediation(), rule.subject(), List.of(), Map.of(), null,
                "MATCH (d:Dataset) SET d.hacked = true RETURN d.key AS subject", 5, false, false, rule.tests());
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> engine().evaluate(writer));
        assertTrue(refused.getMessage().contains("not read-only"), refused.getMessage());
    }

    private void run(Rule rule, String fixture) throws IOException {
        String ns = "rule-" + UUID.randomUUID().toString().substring(0, 8);
        JsonNode spec = load(fixture, ns);
        assertEquals(rule.id(), spec.path("rule").asText(), fixture + " names its rule");
        for (JsonNode event : spec.path("events")) {
            ObjectNode e = ((ObjectNode) event).deepCopy();
            if (!e.has("eventTime")) {
                e.put("eventTime", "2025-03-01T00:00:00Z");
            }
            e.put("producer", "https://example.com/waymark-rule-fixtures");
            e.put("schemaURL", "https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent");
            if (!e.has("eventType")) {
                e.put("eventType", "COMPLETE");
            }
            ObjectNode run = e.has("run") ? (ObjectNode) e.get("run") : e.putObject("run");
            run.put("runId", UUID.randomUUID().toString());
            var response = server.postJson("/api/v1/lineage", e.toString());
            assertEquals(201, response.statusCode(), fixture + ": " + response.body());
        }
        server.awaitProjection();
        for (JsonNode a : spec.path("annotations")) {
            String path = a.has("job") ? "/jobs/" + TestServer.enc(a.path("job").asText()) : "/datasets/" + TestServer.enc(a.path("dataset").asText());
            var response = server.send(HttpRequest.newBuilder(URI.create(server.url("/api/v1/namespaces/" + ns + path + "/annotations")))
                    .header("Content-Type", "application/merge-patch+json").PUT(HttpRequest.BodyPublishers.ofString(a.path("patch").toString())).build());
            assertEquals(200, response.statusCode(), fixture + ": " + response.body());
        }
        for (JsonNode l : spec.path("labels")) {
            String body = l.has("protection") ? "{\"protection\":\"" + l.path("protection").asText() + "\"}" : "";
            var response = server.send(HttpRequest.newBuilder(URI.create(server.url("/api/v1/namespaces/" + ns + "/datasets/"
                            + TestServer.enc(l.path("dataset").asText()) + "/fields/" + TestServer.enc(l.path("field").asText())
                            + "/classifications/" + l.path("code").asText())))
                    .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(body)).build());
            assertEquals(200, response.statusCode(), fixture + ": " + response.body());
        }
        RuleEngine engine = engine();
        assertTrue(engine.lists(rule, Integer.MAX_VALUE), fixture + ": subjects are listed until both costs are measured");
        List<Finding> findings = engine.evaluate(rule).stream()
                .filter(f -> f.nodeId().contains(":" + ns + ":")).toList();
        // Incremental evaluation (the rule restricted to given subjects) must agree with the whole-graph one.
        List<String> subjects;
        try (var session = server.context.getBean(Driver.class).session()) {
            subjects = session.run("""
                    MATCH (n) WHERE (n:Dataset OR n:Job) AND n.namespace = $ns RETURN n.key AS k
                    UNION MATCH (:Dataset {namespace: $ns})-[:HAS_FIELD]->(f:Field) RETURN f.key AS k""", Map.of("ns", ns))
                    .list(r -> r.get("k").asString());
        }
        List<Finding> restricted = engine.evaluate(rule, subjects, true);
        assertEquals(outcomes(findings), outcomes(restricted), fixture + ": evaluation restricted to the fixture's subjects");
        // Past some number of subjects the whole-graph query runs and its rows are kept for the subjects: the same findings.
        List<Finding> filtered = engine.evaluate(rule, subjects, false);
        assertEquals(outcomes(findings), outcomes(filtered), fixture + ": whole-graph evaluation kept to the fixture's subjects");
        // The listed form's first run plans its query and is no measure of it: its cost is measured by the second.
        assertTrue(engine.lists(rule, Integer.MAX_VALUE), fixture + ": the listed form has run once only");
        assertEquals(outcomes(findings), outcomes(engine.evaluate(rule, subjects, true)), fixture + ": listed again");
        assertFalse(engine.lists(rule, Integer.MAX_VALUE), fixture + ": with both costs measured, a huge list is evaluated whole");
        assertTrue(engine.evaluate(rule, List.of()).isEmpty(), fixture + ": no subjects, no findings");
        String outcome = spec.path("expect").path("outcome").asText();
        if (outcome.equals("PASS")) {
            assertTrue(findings.isEmpty(), fixture + " expected no findings, got " + findings);
            return;
        }
        Set<String> expected = new TreeSet<>();
        spec.path("expect").path("subjects").forEach(s -> expected.add(s.asText()));
        Set<String> actual = new TreeSet<>();
        findings.forEach(f -> actual.add(f.nodeId()));
        assertEquals(expected, actual, fixture + " subjects");
        findings.forEach(f -> assertEquals(outcome, f.outcome(), fixture + " outcome of " + f.nodeId() + " " + f.evidence()));
    }

    private static Set<String> outcomes(List<Finding> findings) {
        Set<String> set = new TreeSet<>();
        findings.forEach(f -> set.add(f.id() + " " + f.nodeId() + " " + f.outcome()));
        return set;
    }

    /** A fixture with its placeholders (namespace, now, today) replaced, as JSON. */
    private static JsonNode load(String fixture, String ns) throws IOException {
        try (InputStream in = RulePack.class.getClassLoader().getResourceAsStream(RulePack.BASE + fixture)) {
            if (in == null) {
                throw new AssertionError("missing fixture " + fixture);
            }
            // _NOW_ and _TODAY_ let fixtures of rules about recency (purges, assessments) stay true as time passes.
            java.time.Instant now = java.time.Instant.now();
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8).replace("_NS_", ns)
                    .replace("_NOW_", now.toString()).replace("_TODAY_", now.toString().substring(0, 10));
            Object doc = new org.yaml.snakeyaml.Yaml(new org.yaml.snakeyaml.constructor.SafeConstructor(new org.yaml.snakeyaml.LoaderOptions())).load(text);
            return YAML_JSON.valueToTree(doc);
        }
    }
}
