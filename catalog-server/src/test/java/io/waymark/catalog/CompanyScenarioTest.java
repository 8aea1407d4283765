package io.waymark.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpRequest;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A small company end to end through the HTTP API: OpenLineage events from its pipelines plus the
 * facts stewards annotate, then the findings, the propagated protections and an impact answer.
 * Personal data goes to a US bucket, card numbers to a debug log and through a tokenizer, e-mails
 * are hashed for marketing, a research extract claims Safe Harbor, a key report reads a spreadsheet.
 */
class CompanyScenarioTest {
    private static TestServer server;
    private static String ns;

    private static ObjectNode dataset(String name, String... fields) {
        ObjectNode d = Events.dataset(ns, name);
        if (fields.length > 0) {
            ArrayNode schema = d.putObject("facets").putObject("schema").putArray("fields");
            for (String f : fields) {
                schema.addObject().put("name", f).put("type", "STRING");
            }
        }
        return d;
    }

    /** A job run copying {@code from.inField} to {@code to.outField} with the given transformation. */
    private static void pipeline(String job, String from, String inField, String to, String outField, String subtype, boolean masking) {
        ObjectNode event = Events.run("COMPLETE", UUID.randomUUID().toString(), "2025-04-01T02:00:00Z", ns, job);
        ((ArrayNode) event.get("inputs")).add(dataset(from, inField));
        ObjectNode out = dataset(to);
        out.putObject("facets").putObject("columnLineage").putObject("fields").putObject(outField).putArray("inputFields")
                .addObject().put("namespace", ns).put("name", from).put("field", inField)
                .putArray("transformations").addObject().put("type", "DIRECT").put("subtype", subtype).put("masking", masking);
        ((ArrayNode) event.get("outputs")).add(out);
        assertEquals(201, server.postJson("/api/v1/lineage", event.toString()).statusCode());
    }

    private static void annotate(String kind, String name, String patch) {
        var response = server.send(HttpRequest.newBuilder(URI.create(server.url("/api/v1/namespaces/" + ns + "/" + kind + "/" + TestServer.enc(name) + "/annotations")))
                .header("Content-Type", "application/merge-patch+json").PUT(HttpRequest.BodyPublishers.ofString(patch)).build());
        assertEquals(200, response.statusCode(), response.body());
    }

    private static void label(String dataset, String field, String code) {
        var response = server.send(HttpRequest.newBuilder(URI.create(server.url("/api/v1/namespaces/" + ns + "/datasets/" + TestServer.enc(dataset)
                + "/fields/" + field + "/classifications/" + code))).PUT(HttpRequest.BodyPublishers.noBody()).build());
        assertEquals(200, response.statusCode(), response.body());
    }

    @BeforeAll
    static void company() {
        server = TestServer.get();
        ns = "acme-" + UUID.randomUUID().toString().substring(0, 6);
        pipeline("export_customers", "crm.customers", "email", "us-bucket/customers", "email", "IDENTITY", false);
        pipeline("debug_dump", "pay.authorizations", "card_number", "logs/auth_dump", "card_number", "IDENTITY", false);
        pipeline("tokenize_cards", "pay.authorizations", "card_number", "analytics/payments", "card_token", "TRANSFORMATION", false);
        pipeline("hash_emails", "crm.customers", "email", "marketing/audiences", "email_sha256", "TRANSFORMATION", true);
        pipeline("research_extract", "ehr.encounters", "mrn", "research/cohort", "patient_key", "TRANSFORMATION", true);
        pipeline("revenue_report", "sharepoint/adjustments.xlsx", "amount", "finance.revenue_report", "revenue", "AGGREGATION", false);
        server.awaitProjection();
        annotate("datasets", "crm.customers", "{\"country\":\"DE\",\"environment\":\"prod\",\"retentionDays\":365,\"owner\":\"crm-team\"}");
        annotate("datasets", "us-bucket/customers", "{\"country\":\"US\",\"environment\":\"prod\",\"retentionDays\":365,\"owner\":\"growth-team\"}");
        annotate("datasets", "pay.authorizations", "{\"pciScope\":\"CDE\",\"encryptedAtRest\":true}");
        annotate("datasets", "logs/auth_dump", "{\"pciScope\":\"OUT\"}");
        annotate("jobs", "tokenize_cards", "{\"role\":\"tokenizer\"}");
        annotate("datasets", "research/cohort", "{\"deidMethod\":\"SAFE_HARBOR\",\"encryptedAtRest\":true}");
        annotate("datasets", "finance.revenue_report", "{\"soxKeyReport\":true}");
        annotate("datasets", "sharepoint/adjustments.xlsx", "{\"systemOfRecord\":false,\"environment\":\"prod\"}");
        label("crm.customers", "email", "PII.contact.email");
        label("pay.authorizations", "card_number", "PCI.PAN");
        label("ehr.encounters", "mrn", "PHI.id.mrn");
        server.postJson("/api/v1/compliance/evaluations", "");
    }

    private static Map<String, String> findings() {
        Map<String, String> byRuleAndNode = new HashMap<>();
        for (JsonNode f : server.getJson("/api/v1/compliance/findings?limit=10000").path("findings")) {
            if (f.path("nodeId").asText().contains(":" + ns + ":")) {
                byRuleAndNode.put(f.path("ruleId").asText() + " " + f.path("nodeId").asText(), f.path("outcome").asText());
            }
        }
        return byRuleAndNode;
    }

    private static String protection(String dataset, String field, String code) {
        for (JsonNode f : server.getJson("/api/v1/namespaces/" + ns + "/datasets/" + TestServer.enc(dataset)).path("fields")) {
            if (f.path("name").asText().equals(field)) {
                for (JsonNode l : f.path("classifications")) {
                    if (l.path("code").asText().equals(code)) {
                        return l.path("protection").asText();
                    }
                }
            }
        }
        return null;
    }

    @Test
    void theFindingsAreThoseAnAuditorExpects() {
        Map<String, String> findings = findings();
        assertEquals("FAIL", findings.get("GDPR-A44-THIRD-COUNTRY-TRANSFER dataset:" + ns + ":us-bucket/customers"), findings.toString());
        assertEquals("FAIL", findings.get("PCI-3.5.1-PAN-CLEARTEXT datasetField:" + ns + ":logs/auth_dump:card_number"));
        assertEquals("FAIL", findings.get("PCI-12.5.2-CDE-SCOPE-DRIFT dataset:" + ns + ":logs/auth_dump"));
        assertEquals("FAIL", findings.get("HIPAA-514b2-SAFE-HARBOR-IDENTIFIERS dataset:" + ns + ":research/cohort"));
        assertEquals("FAIL", findings.get("SOX-404-KEY-REPORT-SOR-TRACE dataset:" + ns + ":finance.revenue_report"));
        assertEquals("UNKNOWN", findings.get("GDPR-A44-THIRD-COUNTRY-TRANSFER dataset:" + ns + ":marketing/audiences"),
                "where the hashed audience lives is not recorded");
        assertTrue(findings.keySet().stream().noneMatch(k -> k.contains("analytics/payments") && k.startsWith("PCI-3.5.1-PAN-CLEARTEXT")),
                "tokenised cards are not a cleartext PAN: " + findings);
    }

    @Test
    void protectionsFollowTheTransformations() {
        assertEquals("CLEAR", protection("us-bucket/customers", "email", "PII.contact.email"));
        assertEquals("HASHED_UNKEYED", protection("marketing/audiences", "email_sha256", "PII.contact.email"));
        assertEquals("TOKENISED", protection("analytics/payments", "card_token", "PCI.PAN"));
        assertEquals("HASHED_UNKEYED", protection("research/cohort", "patient_key", "PHI.id.mrn"));
    }

    @Test
    void impactOfDroppingTheCustomerEmailColumn() {
        JsonNode impact = server.getJson("/api/v1/impact?change=drop&nodeId=" + TestServer.enc("datasetField:" + ns + ":crm.customers:email"));
        String text = impact.toString();
        assertTrue(text.contains("datasetField:" + ns + ":us-bucket/customers:email"), text);
        assertTrue(text.contains("datasetField:" + ns + ":marketing/audiences:email_sha256"), text);
        assertTrue(text.contains("job:" + ns + ":hash_emails"), text);
        assertTrue(text.contains("growth-team") && text.contains("GDPR"), text);
    }
}
