package io.waymark.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static io.waymark.catalog.TestServer.enc;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Governance from the first event: fields are classified by name, type and description as they
 * are projected, with no request from anyone; confident labels count for rules and propagate,
 * weaker ones wait for a steward.
 */
class ClassifyOnArrivalTest {
    private static final TestServer server = TestServer.get();

    @Test
    void aSchemaIsClassifiedAsItArrivesAndTheLabelsCountForRules() {
        String ns = Events.ns();
        ObjectNode event = Events.complete(ns, "load_customers", new String[] {}, new String[] {}, "2025-01-01T00:00:00Z");
        ObjectNode customers = Events.dataset(ns, "customers");
        ArrayNode fields = customers.putObject("facets").putObject("schema").putArray("fields");
        fields.addObject().put("name", "customer_id").put("type", "bigint");
        fields.addObject().put("name", "cust_email").put("type", "varchar(64)");
        fields.addObject().put("name", "email_verified").put("type", "boolean");
        fields.addObject().put("name", "first_name").put("type", "string");
        fields.addObject().put("name", "credit_card_amount").put("type", "numeric").put("description", "Amount paid for by credit card");
        fields.addObject().put("name", "mail").put("type", "string");
        ((ArrayNode) event.get("outputs")).add(customers);
        assertEquals(201, server.postJson("/api/v1/lineage", event.toString()).statusCode());
        // A copy of the e-mail column downstream, by column lineage.
        ObjectNode copy = Events.complete(ns, "export", new String[] {"customers"}, new String[] {}, "2025-01-02T00:00:00Z");
        ObjectNode export = Events.dataset(ns, "export");
        ObjectNode facets = export.putObject("facets");
        facets.putObject("schema").putArray("fields").addObject().put("name", "contact").put("type", "string");
        facets.putObject("columnLineage").putObject("fields").putObject("contact").putArray("inputFields")
                .addObject().put("namespace", ns).put("name", "customers").put("field", "cust_email")
                .putArray("transformations").addObject().put("type", "DIRECT").put("subtype", "IDENTITY");
        ((ArrayNode) copy.get("outputs")).add(export);
        assertEquals(201, server.postJson("/api/v1/lineage", copy.toString()).statusCode());
        server.awaitProjection();

        JsonNode email = label(ns, "customers", "cust_email", "NAME");
        assertNotNull(email, "the e-mail column is labelled with no request from anyone");
        assertEquals("PII.contact.email", email.path("code").asText());
        assertEquals("DETECTED", email.path("status").asText());
        assertEquals("name 'cust_email', type varchar(64): email pattern", email.path("explanation").asText());
        assertEquals("DETECTED", label(ns, "customers", "first_name", "NAME").path("status").asText());
        assertEquals("PROPOSED", label(ns, "customers", "mail", "NAME").path("status").asText(), "weaker evidence waits for a steward");
        assertNull(label(ns, "customers", "email_verified", "NAME"), "a flag about the e-mail is not the e-mail");
        assertNull(label(ns, "customers", "credit_card_amount", "NAME"), "an amount paid by card is not a card number");
        assertNull(label(ns, "customers", "customer_id", "NAME"));

        JsonNode propagated = label(ns, "export", "contact", "PROPAGATED");
        assertNotNull(propagated, "the detected label propagates along column lineage");
        assertEquals("PII.contact.email", propagated.path("code").asText());

        server.postJson("/api/v1/compliance/evaluations", "{}");
        List<JsonNode> findings = new ArrayList<>();
        for (JsonNode f : server.getJson("/api/v1/compliance/findings?regulation=GDPR&limit=10000").path("findings")) {
            if (f.path("nodeId").asText().equals("dataset:" + ns + ":customers")) {
                findings.add(f);
            }
        }
        assertTrue(!findings.isEmpty(), "GDPR rules judge the dataset with nobody labelling anything");
        String evidence = findings.get(0).path("evidence").path("automaticLabels").toString();
        assertTrue(evidence.contains("cust_email: PII.contact.email detected by name, confidence 0.9"), evidence);
    }

    @Test
    void theCorpusAloneFillsTheComplianceConsole() throws Exception {
        try (var files = java.nio.file.Files.list(TestServer.CORPUS)) {
            for (var file : files.filter(f -> f.toString().endsWith(".ndjson") && !f.getFileName().toString().startsWith("malformed")).sorted().toList()) {
                var posted = server.post("/api/v1/lineage/batch", java.nio.file.Files.readAllBytes(file), "Content-Type", "application/x-ndjson");
                assertEquals(200, posted.statusCode(), file + ": " + posted.body());
            }
        }
        server.awaitProjection();
        String raw = "/srv/acme/lake/raw/crm/customers.csv";
        assertEquals("DETECTED", label("file", raw, "email", "NAME").path("status").asText());
        assertEquals("PII.name.full", label("file", raw, "first_name", "NAME").path("code").asText());
        assertEquals("DETECTED", label("postgres://pg-prod.acme.internal:5432", "sales.public.customers", "email", "NAME").path("status").asText());
        JsonNode carried = label("file", "/srv/acme/lake/warehouse/analytics.db/customer_ltv", "full_name", "PROPAGATED");
        assertNotNull(carried, "propagation carried the detected labels downstream");
        server.postJson("/api/v1/compliance/evaluations", "{}");
        long onCorpus = 0;
        for (JsonNode f : server.getJson("/api/v1/compliance/findings?regulation=GDPR&limit=10000").path("findings")) {
            String node = f.path("nodeId").asText();
            onCorpus += node.contains("customers.csv") || node.contains("customer_ltv") || node.contains("sales.public.customers") ? 1 : 0;
        }
        assertTrue(onCorpus > 0, "GDPR findings on the corpus's personal data, with no steward action");
    }

    @Test
    void fieldsKnownOnlyFromColumnLineageAreClassifiedUntilASchemaDescribesThem() {
        String ns = Events.ns();
        ObjectNode event = Events.complete(ns, "copy", new String[] {}, new String[] {}, "2025-01-01T00:00:00Z");
        ObjectNode out = Events.dataset(ns, "mailing");
        ObjectNode field = out.putObject("facets").putObject("columnLineage").putObject("fields").putObject("contact_email");
        field.putArray("inputFields").addObject().put("namespace", ns).put("name", "crm_users").put("field", "phone_number");
        ((ArrayNode) event.get("outputs")).add(out);
        assertEquals(201, server.postJson("/api/v1/lineage", event.toString()).statusCode());
        server.awaitProjection();
        JsonNode queue = server.getJson("/api/v1/classifications/proposals?namespace=" + enc(ns));
        List<String> proposed = new java.util.ArrayList<>();
        queue.path("proposals").forEach(p -> proposed.add(p.path("dataset").asText() + "." + p.path("field").asText() + " " + p.path("code").asText()));
        assertEquals(List.of("crm_users.phone_number PII.contact.phone", "mailing.contact_email PII.contact.email"), proposed.stream().sorted().toList(),
                queue.toString());
        assertTrue(queue.path("proposals").get(0).path("explanation").asText().startsWith("name '"), queue.toString());

        // A schema of crm_users arrives: it is the authority on that dataset's labels from now on.
        postFields(ns, "crm_users", new String[][] {{"user_id", "bigint"}});
        queue = server.getJson("/api/v1/classifications/proposals?namespace=" + enc(ns));
        assertEquals(1, queue.path("totalCount").asInt(), queue.toString());
        assertEquals("contact_email", queue.path("proposals").get(0).path("field").asText());
    }

    @Test
    void aChangedTypeTakesTheLabelAway() {
        String ns = Events.ns();
        post(ns, "string");
        assertNotNull(label(ns, "people", "email", "NAME"));
        post(ns, "boolean");
        assertNull(label(ns, "people", "email", "NAME"), "a boolean called email is a flag");
    }

    @Test
    void stewardsWorkThroughProposalsAndRejectionsHoldUntilTheEvidenceChanges() {
        String ns = Events.ns();
        postFields(ns, "contacts", new String[][] {{"mail", "string"}, {"tel", "varchar(16)"}, {"contact_id", "bigint"}});
        JsonNode queue = server.getJson("/api/v1/classifications/proposals?namespace=" + enc(ns));
        assertEquals(2, queue.path("totalCount").asInt(), queue.toString());
        JsonNode first = queue.path("proposals").get(0);
        assertTrue(first.path("explanation").asText().startsWith("name '"), first.toString());
        assertEquals(1, server.getJson("/api/v1/classifications/proposals?namespace=" + enc(ns) + "&code=PII.contact.phone").path("totalCount").asInt());

        String steward = server.token("reviewer@example.com", "steward");
        String decisions = "{\"reason\": \"checked with the CRM team\", \"decisions\": ["
                + decision(ns, "mail", "PII.contact.email", "accept") + ", " + decision(ns, "tel", "PII.contact.phone", "reject") + "]}";
        var decided = server.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(server.url("/api/v1/classifications/decisions")))
                .header("Content-Type", "application/json").header("Authorization", "Bearer " + steward)
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(decisions)).build());
        assertEquals(200, decided.statusCode(), decided.body());
        assertEquals(1, TestServer.parse(decided.body()).path("accepted").asInt());
        assertEquals(0, server.getJson("/api/v1/classifications/proposals?namespace=" + enc(ns)).path("totalCount").asInt());
        assertEquals("CONFIRMED", label(ns, "contacts", "mail", "STEWARD").path("status").asText());
        assertNull(label(ns, "contacts", "tel", "NAME"), "a rejected label is no longer shown as active");
        JsonNode audit = server.getJson("/api/v1/audit-log?action=classification.review&actor=reviewer%40example.com&limit=1").path("entries").get(0);
        assertEquals("checked with the CRM team", audit.path("detail").path("reason").asText(), audit.toString());
        assertEquals(2, audit.path("detail").path("decisions").size());

        postFields(ns, "contacts", new String[][] {{"mail", "string"}, {"tel", "varchar(16)"}, {"contact_id", "bigint"}, {"note", "string"}});
        assertEquals(0, server.getJson("/api/v1/classifications/proposals?namespace=" + enc(ns)).path("totalCount").asInt(),
                "the same evidence does not bring a rejected label back");
        postFields(ns, "contacts", new String[][] {{"mail", "string"}, {"tel", "bigint"}, {"contact_id", "bigint"}});
        JsonNode back = server.getJson("/api/v1/classifications/proposals?namespace=" + enc(ns)).path("proposals");
        assertEquals(1, back.size(), "changed evidence (a new type) puts it up for review again: " + back);
        assertEquals("tel", back.get(0).path("field").asText());

        assertEquals(404, server.postJson("/api/v1/classifications/decisions",
                "{\"decisions\": [" + decision(ns, "nofield", "PII.contact.email", "accept") + "]}").statusCode());
        assertEquals(400, server.postJson("/api/v1/classifications/decisions",
                "{\"decisions\": [" + decision(ns, "tel", "PII.contact.phone", "maybe") + "]}").statusCode());
        assertEquals(400, server.postJson("/api/v1/classifications/decisions", "{\"decisions\": []}").statusCode());
        assertEquals(1, server.getJson("/api/v1/classifications/proposals?namespace=" + enc(ns)).path("totalCount").asInt(), "refused requests change nothing");
    }

    private static String decision(String ns, String field, String code, String decision) {
        return "{\"namespace\": \"" + ns + "\", \"dataset\": \"contacts\", \"field\": \"" + field + "\", \"code\": \"" + code
                + "\", \"decision\": \"" + decision + "\"}";
    }

    private static void postFields(String ns, String dataset, String[][] fields) {
        ObjectNode event = Events.complete(ns, "load", new String[] {}, new String[] {}, "2025-01-01T00:00:00Z");
        ObjectNode ds = Events.dataset(ns, dataset);
        ArrayNode schema = ds.putObject("facets").putObject("schema").putArray("fields");
        for (String[] f : fields) {
            schema.addObject().put("name", f[0]).put("type", f[1]);
        }
        ((ArrayNode) event.get("outputs")).add(ds);
        assertEquals(201, server.postJson("/api/v1/lineage", event.toString()).statusCode());
        server.awaitProjection();
    }

    private static void post(String ns, String type) {
        ObjectNode event = Events.complete(ns, "load", new String[] {}, new String[] {}, "2025-01-01T00:00:00Z");
        ObjectNode people = Events.dataset(ns, "people");
        people.putObject("facets").putObject("schema").putArray("fields").addObject().put("name", "email").put("type", type);
        ((ArrayNode) event.get("outputs")).add(people);
        assertEquals(201, server.postJson("/api/v1/lineage", event.toString()).statusCode());
        server.awaitProjection();
    }

    static JsonNode label(String ns, String dataset, String field, String source) {
        for (JsonNode f : server.getJson("/api/v1/namespaces/" + enc(ns) + "/datasets/" + enc(dataset)).path("fields")) {
            if (f.path("name").asText().equals(field)) {
                for (JsonNode l : f.path("classifications")) {
                    if (l.path("source").asText().equals(source)) {
                        return l;
                    }
                }
            }
        }
        return null;
    }
}
