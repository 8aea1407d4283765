package io.waymark.catalog;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.waymark.catalog.cli.CheckCommand;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code waymark check}: a pipeline's CI gate over an events file (temporary embedded graph) or a running server. */
class CheckCommandTest {

    @Test
    void failsTheBuildOnACriticalFindingAndPassesOnceFixed() throws Exception {
        String ns = "check-" + java.util.UUID.randomUUID().toString().substring(0, 6);
        ObjectNode event = Events.complete(ns, "export", new String[] {}, new String[] {}, "2025-01-01T00:00:00Z");
        ObjectNode in = Events.dataset(ns, "crm.customers");
        in.putObject("facets").putObject("schema").putArray("fields").addObject().put("name", "email").put("type", "STRING");
        ((ArrayNode) event.get("inputs")).add(in);
        ObjectNode out = Events.dataset(ns, "us/customers");
        out.putObject("facets").putObject("columnLineage").putObject("fields").putObject("email").putArray("inputFields")
                .addObject().put("namespace", ns).put("name", "crm.customers").put("field", "email")
                .putArray("transformations").addObject().put("type", "DIRECT").put("subtype", "IDENTITY");
        ((ArrayNode) event.get("outputs")).add(out);
        Path dir = Files.createTempDirectory("check");
        Path events = dir.resolve("events.ndjson");
        Files.writeString(events, event + "\n");
        String annotations = """
                annotations:
                  - {dataset: {namespace: %1$s, name: crm.customers}, patch: {country: DE, environment: prod, retentionDays: 30, encryptedAtRest: true}}
                  - {dataset: {namespace: %1$s, name: us/customers}, patch: {country: US, environment: prod, retentionDays: 30%2$s}}
                labels:
                  - {namespace: %1$s, dataset: crm.customers, field: email, code: PII.contact.email}
                """;
        Path bad = dir.resolve("bad.yaml");
        Files.writeString(bad, annotations.formatted(ns, ""));
        Path fixed = dir.resolve("fixed.yaml");
        Files.writeString(fixed, annotations.formatted(ns, ", transferMechanism: scc"));

        ByteArrayOutputStream first = new ByteArrayOutputStream();
        int failing = CheckCommand.run(List.of(events.toString(), "--annotations", bad.toString(), "--fail-on", "critical"),
                new PrintStream(first, true, StandardCharsets.UTF_8));
        String table = first.toString(StandardCharsets.UTF_8);
        assertEquals(1, failing, table);
        assertTrue(table.contains("GDPR-A44-THIRD-COUNTRY-TRANSFER") && table.contains("dataset:" + ns + ":us/customers"), table);

        ByteArrayOutputStream second = new ByteArrayOutputStream();
        int passing = CheckCommand.run(List.of(events.toString(), "--annotations", fixed.toString(), "--fail-on", "critical", "--format", "json"),
                new PrintStream(second, true, StandardCharsets.UTF_8));
        assertEquals(0, passing, second.toString(StandardCharsets.UTF_8));
        assertTrue(TestServer.parse(second.toString(StandardCharsets.UTF_8)).has("findings"));

        assertEquals(64, CheckCommand.run(List.of("--fail-on", "catastrophic"), new PrintStream(new ByteArrayOutputStream())));
    }

    @Test
    void asksARunningServer() throws Exception {
        TestServer server = TestServer.get();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int code = CheckCommand.run(List.of("--server", server.url(""), "--token", TestServer.ADMIN_TOKEN, "--format", "json", "--fail-on", "critical"),
                new PrintStream(out, true, StandardCharsets.UTF_8));
        assertTrue(code == 0 || code == 1, out.toString(StandardCharsets.UTF_8));
        assertTrue(TestServer.parse(out.toString(StandardCharsets.UTF_8)).path("findings").isArray());
    }
}
