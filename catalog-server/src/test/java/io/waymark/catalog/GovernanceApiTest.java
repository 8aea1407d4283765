package io.waymark.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Annotations (merge patch, validation, history) and steward classifications, through the HTTP API. */
class GovernanceApiTest {
    private final TestServer server = TestServer.get();

    private String datasetWithSchema() {
        String ns = Events.ns();
        ObjectNode event = Events.complete(ns, "load_customers", new String[] {}, new String[] {}, "2025-01-01T00:00:00Z");
        ObjectNode out = Events.dataset(ns, "customers");
        ArrayNode fields = out.putObject("facets").putObject("schema").putArray("fields");
        fields.addObject().put("name", "email").put("type", "STRING");
        ObjectNode address = fields.addObject().put("name", "address").put("type", "STRUCT");
        address.putArray("fields").addObject().put("name", "zip").put("type", "STRING");
        ((ArrayNode) event.get("outputs")).add(out);
        assertEquals(201, server.postJson("/api/v1/lineage", event.toString()).statusCode());
        server.awaitProjection();
        return ns;
    }

    private HttpResponse<String> put(String path, String body, String... headers) {
        String[] all = new String[headers.length + 2];
        all[0] = "Content-Type";
        all[1] = "application/merge-patch+json";
        System.arraycopy(headers, 0, all, 2, headers.length);
        return server.send(HttpRequest.newBuilder(java.net.URI.create(server.url(path)))
                .PUT(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).headers(all).build());
    }

    @Test
    void annotationsAreMergePatchedValidatedAndJournaled() {
        String ns = datasetWithSchema();
        String path = "/api/v1/namespaces/" + ns + "/datasets/customers/annotations";
        HttpResponse<String> first = put(path + "?reason=" + TestServer.enc("RoPA entry 17"),
                "{\"owner\":\"crm-team\",\"environment\":\"prod\",\"country\":\"DE\",\"region\":\"eu-central-1\",\"retentionDays\":365,"
                        + "\"purposes\":[\"billing\"],\"encryptedAtRest\":true,\"pciScope\":\"OUT\"}", "Authorization", "Bearer " + server.token("dpo@example.com", "steward"));
        assertEquals(200, first.statusCode(), first.body());
        HttpResponse<String> second = put(path, "{\"retentionDays\":30,\"owner\":null}", "Authorization", "Bearer " + server.token("steward@example.com", "steward"));
        JsonNode annotations = TestServer.parse(second.body()).path("annotations");
        assertEquals(30, annotations.path("retentionDays").asInt());
        assertFalse(annotations.has("owner"), "null removes a key");
        assertEquals("DE", annotations.path("country").asText());
        assertEquals("billing", annotations.path("purposes").get(0).asText());

        JsonNode history = server.getJson(path).path("history");
        assertEquals(2, history.size());
        assertEquals("steward@example.com", history.get(0).path("actor").asText());
        assertEquals("RoPA entry 17", history.get(1).path("reason").asText());
        assertEquals("prod", server.getJson("/api/v1/namespaces/" + ns + "/datasets/customers").path("annotations").path("environment").asText());

        for (String[] bad : new String[][] {{"{\"country\":\"Germany\"}", "country"}, {"{\"environment\":\"production\"}", "environment"},
                {"{\"retentionDays\":-1}", "retentionDays"}, {"{\"colour\":\"red\"}", "colour"}, {"{\"role\":\"tokenizer\"}", "role"},
                {"[1]", null}}) {
            HttpResponse<String> refused = put(path, bad[0]);
            assertEquals(400, refused.statusCode(), bad[0]);
            assertEquals(bad[1], TestServer.parse(refused.body()).path("field").isNull() ? null : TestServer.parse(refused.body()).path("field").asText());
        }
        assertEquals(2, server.getJson(path).path("history").size(), "refused patches leave nothing behind");
        assertEquals(404, put("/api/v1/namespaces/" + ns + "/datasets/nope/annotations", "{\"owner\":\"x\"}").statusCode());
    }

    @Test
    void jobsTakeARole() {
        String ns = datasetWithSchema();
        HttpResponse<String> response = put("/api/v1/namespaces/" + ns + "/jobs/load_customers/annotations", "{\"role\":\"tokenizer\"}");
        assertEquals(200, response.statusCode(), response.body());
        assertEquals("tokenizer", server.getJson("/api/v1/namespaces/" + ns + "/jobs/load_customers").path("annotations").path("role").asText());
    }

    @Test
    void stewardsLabelAndSuppressFieldClassifications() {
        String ns = datasetWithSchema();
        String base = "/api/v1/namespaces/" + ns + "/datasets/customers/fields/";
        HttpResponse<String> labelled = put(base + "email/classifications/PII.contact.email", "{\"reason\":\"checked the samples\"}",
                "Authorization", "Bearer " + server.token("steward@example.com", "steward"));
        assertEquals(200, labelled.statusCode(), labelled.body());
        JsonNode email = TestServer.parse(labelled.body()).path("fields").get(0);
        JsonNode steward = null;
        for (JsonNode l : email.path("classifications")) {
            steward = l.path("source").asText().equals("STEWARD") ? l : steward;
        }
        assertEquals("PII.contact.email", steward.path("code").asText(), email.toString());
        assertEquals("CLEAR", steward.path("protection").asText());

        assertEquals(200, put(base + "address.zip/classifications/PHI.geo.zip", "").statusCode());
        JsonNode zip = server.getJson("/api/v1/namespaces/" + ns + "/datasets/customers").path("fields").get(1).path("fields").get(0);
        assertEquals("PHI.geo.zip", zip.path("classifications").get(0).path("code").asText(), "nested fields by dotted path");

        HttpResponse<String> removed = server.send(HttpRequest.newBuilder(java.net.URI.create(server.url(base + "email/classifications/PII.contact.email")))
                .method("DELETE", HttpRequest.BodyPublishers.ofString("{\"reason\":\"hashed upstream\"}")).header("Content-Type", "application/json").build());
        assertEquals(200, removed.statusCode(), removed.body());
        JsonNode after = TestServer.parse(removed.body()).path("fields").get(0);
        assertTrue(after.path("classifications").isEmpty());
        assertTrue(after.path("suppressedClassifications").toString().contains("\"reason\":\"hashed upstream\""), after.toString());

        assertEquals(400, put(base + "email/classifications/PII.not.a.code", "").statusCode());
        assertEquals(404, put(base + "nofield/classifications/PII.contact.email", "").statusCode());
    }

    @Test
    void detectorsLabelColumnsAndStewardsDecideOnProposals() {
        String ns = datasetWithSchema();
        String body = "{\"namespace\":\"" + ns + "\",\"name\":\"customers\",\"fields\":{"
                + "\"email\":[\"jane@example.com\",\"bob@example.com\",\"n/a\",\"jim@example.com\",\"x\"],"
                + "\"card_number\":[\"4111111111111111\",\"5555555555554444\"],"
                + "\"fiscal_year\":[\"2024\",\"2025\"]}}";
        HttpResponse<String> response = server.postJson("/api/v1/classify", body);
        assertEquals(200, response.statusCode(), response.body());
        JsonNode columns = TestServer.parse(response.body()).path("columns");
        assertEquals("PROPOSED", columns.path("email").get(0).path("status").asText());
        assertEquals("PCI.PAN", columns.path("card_number").get(0).path("code").asText());
        assertTrue(columns.path("fiscal_year").isEmpty());
        assertFalse(response.body().contains("4111111111111111"), "samples are never echoed or stored");

        JsonNode dataset = server.getJson("/api/v1/namespaces/" + ns + "/datasets/customers");
        JsonNode email = dataset.path("fields").get(0);
        assertEquals("DETECTED", email.path("classifications").get(0).path("source").asText());
        assertEquals("PROPOSED", email.path("classifications").get(0).path("status").asText());

        String label = "/api/v1/namespaces/" + ns + "/datasets/customers/fields/email/classifications/PII.contact.email";
        server.send(HttpRequest.newBuilder(java.net.URI.create(server.url(label))).method("DELETE", HttpRequest.BodyPublishers.noBody()).build());
        JsonNode rejected = server.getJson("/api/v1/namespaces/" + ns + "/datasets/customers").path("fields").get(0);
        assertTrue(rejected.path("classifications").isEmpty(), "a rejected proposal is suppressed: " + rejected);
        // The detector's label, the one classified on arrival by name, and the steward's rejection.
        assertEquals(3, rejected.path("suppressedClassifications").size(), rejected.toString());

        assertEquals(400, server.postJson("/api/v1/classify", "{\"namespace\":\"" + ns + "\",\"name\":\"customers\"}").statusCode());
        assertEquals(404, server.postJson("/api/v1/classify", "{\"namespace\":\"" + ns + "\",\"name\":\"nope\",\"fields\":{\"a\":[]}}").statusCode());
    }

    private void copy(String ns, String job, String from, String to, String fromField, String toField, boolean masking) {
        ObjectNode event = Events.complete(ns, job, new String[] {from}, new String[] {}, "2025-01-02T00:00:00Z");
        ObjectNode out = Events.dataset(ns, to);
        ObjectNode t = out.putObject("facets").putObject("columnLineage").putObject("fields").putObject(toField).putArray("inputFields")
                .addObject().put("namespace", ns).put("name", from).put("field", fromField)
                .putArray("transformations").addObject().put("type", "DIRECT").put("subtype", masking ? "TRANSFORMATION" : "IDENTITY").put("masking", masking);
        ((ArrayNode) event.get("outputs")).add(out);
        assertEquals(201, server.postJson("/api/v1/lineage", event.toString()).statusCode());
    }

    private JsonNode label(String ns, String dataset, String field) {
        for (JsonNode f : server.getJson("/api/v1/namespaces/" + ns + "/datasets/" + dataset).path("fields")) {
            if (f.path("name").asText().equals(field)) {
                for (JsonNode l : f.path("classifications")) {
                    if (l.path("source").asText().equals("PROPAGATED")) {
                        return l;
                    }
                }
            }
        }
        return null;
    }

    @Test
    void labelsPropagateAlongColumnLineageWithProtectionOriginAndPath() {
        String ns = datasetWithSchema();
        copy(ns, "export", "customers", "export", "email", "email", false);
        copy(ns, "pseudonymise", "export", "hashed", "email", "email_hash", true);
        copy(ns, "vault", "customers", "tokens", "email", "email_token", false);
        server.awaitProjection();
        put("/api/v1/namespaces/" + ns + "/jobs/vault/annotations", "{\"role\":\"tokenizer\"}");
        put("/api/v1/namespaces/" + ns + "/datasets/customers/fields/email/classifications/PII.contact.email", "");

        JsonNode exported = label(ns, "export", "email");
        assertEquals("PII.contact.email", exported.path("code").asText());
        assertEquals("CLEAR", exported.path("protection").asText());
        assertEquals("datasetField:" + ns + ":customers:email", exported.path("origin").asText());
        JsonNode hashed = label(ns, "hashed", "email_hash");
        assertEquals("HASHED_UNKEYED", hashed.path("protection").asText(), "masking changes the protection, never drops the label");
        assertEquals(3, hashed.path("path").size());
        assertEquals("TOKENISED", label(ns, "tokens", "email_token").path("protection").asText());

        server.send(HttpRequest.newBuilder(java.net.URI.create(server.url("/api/v1/namespaces/" + ns
                + "/datasets/customers/fields/email/classifications/PII.contact.email"))).method("DELETE", HttpRequest.BodyPublishers.noBody()).build());
        assertEquals(null, label(ns, "export", "email"), "no seed left, nothing propagated");
    }

    /** The walk reads column lineage from memory; lineage that arrives after the label must still carry it. */
    @Test
    void columnLineageArrivingAfterALabelCarriesItToo() throws InterruptedException {
        String ns = datasetWithSchema();
        assertEquals(200, put("/api/v1/namespaces/" + ns + "/datasets/customers/fields/email/classifications/PII.contact.email", "").statusCode());
        copy(ns, "export", "customers", "export", "email", "email", false);
        server.awaitProjection();
        assertEquals("CLEAR", awaitLabel(ns, "export", "email").path("protection").asText());
        copy(ns, "pseudonymise", "export", "hashed", "email", "email_hash", true);
        server.awaitProjection();
        JsonNode hashed = awaitLabel(ns, "hashed", "email_hash");
        assertEquals("HASHED_UNKEYED", hashed.path("protection").asText());
        assertEquals("datasetField:" + ns + ":customers:email", hashed.path("origin").asText());
    }

    private JsonNode awaitLabel(String ns, String dataset, String field) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 15_000;
        JsonNode label;
        while ((label = label(ns, dataset, field)) == null && System.currentTimeMillis() < deadline) {
            Thread.sleep(100);
        }
        assertTrue(label != null, "no propagated label on " + dataset + "." + field);
        return label;
    }

    @Test
    void writesWithoutColumnLineageAreSuspectedAndBlocksStopLabelsWithAReason() {
        String ns = datasetWithSchema();
        String t = "2025-01-02T00:00:00Z";
        assertEquals(201, server.postJson("/api/v1/lineage", Events.complete(ns, "dump", new String[] {"customers"}, new String[] {"dump"}, t).toString()).statusCode());
        assertEquals(201, server.postJson("/api/v1/lineage", Events.complete(ns, "archive", new String[] {"dump"}, new String[] {"archive"}, t).toString()).statusCode());
        copy(ns, "export", "customers", "export", "email", "email", false);
        server.awaitProjection();
        put("/api/v1/namespaces/" + ns + "/datasets/customers/fields/email/classifications/PII.contact.email", "");
        server.awaitProjection();

        JsonNode dump = server.getJson("/api/v1/namespaces/" + ns + "/datasets/dump").path("suspectedClassifications");
        assertEquals(1, dump.size(), dump.toString());
        assertEquals("PII.contact.email", dump.get(0).path("code").asText());
        assertEquals("dataset:" + ns + ":customers", dump.get(0).path("origin").asText());
        assertEquals("job:" + ns + ":dump", dump.get(0).path("job").asText());
        JsonNode archive = server.getJson("/api/v1/namespaces/" + ns + "/datasets/archive").path("suspectedClassifications");
        assertEquals(3, archive.get(0).path("path").size(), "suspicion travels on: customers > dump > archive");
        assertEquals(0, server.getJson("/api/v1/namespaces/" + ns + "/datasets/export").path("suspectedClassifications").size(),
                "column lineage says where the data went: no suspicion");

        String blocks = "/api/v1/namespaces/" + ns + "/jobs/dump/annotations";
        assertEquals(400, put(blocks, "{\"propagationBlocks\":[\"PII.contact.email\"]}").statusCode(), "a block needs a reason");
        assertEquals(400, put(blocks + "?reason=x", "{\"propagationBlocks\":[\"PII.nope\"]}").statusCode(), "and real codes");
        assertEquals(200, put(blocks + "?reason=" + TestServer.enc("dump drops every contact column (ticket DQ-7)"),
                "{\"propagationBlocks\":[\"PII.contact.email\"]}", "Authorization", "Bearer " + server.token("steward@example.com", "steward")).statusCode());
        server.awaitProjection();
        assertEquals(0, server.getJson("/api/v1/namespaces/" + ns + "/datasets/dump").path("suspectedClassifications").size());
        assertEquals(0, server.getJson("/api/v1/namespaces/" + ns + "/datasets/archive").path("suspectedClassifications").size());
        String history = server.getJson(blocks).toString();
        assertTrue(history.contains("steward@example.com") && history.contains("ticket DQ-7"), "the block is audited: " + history);

        assertEquals(200, put("/api/v1/namespaces/" + ns + "/jobs/export/annotations?reason=synthetic", "{\"propagationBlocks\":[\"*\"]}").statusCode());
        server.awaitProjection();
        assertEquals(null, label(ns, "export", "email"), "a block stops column-level propagation too");
        assertEquals(200, put("/api/v1/namespaces/" + ns + "/jobs/export/annotations?reason=undo", "{\"propagationBlocks\":null}").statusCode());
        server.awaitProjection();
        assertEquals("PII.contact.email", label(ns, "export", "email").path("code").asText(), "removing the block brings the label back");
    }

    @Test
    void aListFilteredOnADiagnosisRevealsHealthData() {
        String ns = datasetWithSchema();
        ObjectNode event = Events.complete(ns, "diabetics_campaign", new String[] {"customers", "diagnoses"}, new String[] {}, "2025-01-02T00:00:00Z");
        ObjectNode out = Events.dataset(ns, "campaign");
        ObjectNode email = out.putObject("facets").putObject("columnLineage").putObject("fields").putObject("email");
        ArrayNode inputs = email.putArray("inputFields");
        inputs.addObject().put("namespace", ns).put("name", "customers").put("field", "email")
                .putArray("transformations").addObject().put("type", "DIRECT").put("subtype", "IDENTITY");
        inputs.addObject().put("namespace", ns).put("name", "diagnoses").put("field", "icd10")
                .putArray("transformations").addObject().put("type", "INDIRECT").put("subtype", "FILTER");
        ((ArrayNode) event.get("outputs")).add(out);
        assertEquals(201, server.postJson("/api/v1/lineage", event.toString()).statusCode());
        server.awaitProjection();
        put("/api/v1/namespaces/" + ns + "/datasets/customers/fields/email/classifications/PII.contact.email", "");
        put("/api/v1/namespaces/" + ns + "/datasets/diagnoses/fields/icd10/classifications/PHI.clinical.diagnosis", "");
        server.awaitProjection();

        JsonNode labels = null;
        for (JsonNode f : server.getJson("/api/v1/namespaces/" + ns + "/datasets/campaign").path("fields")) {
            if (f.path("name").asText().equals("email")) {
                labels = f.path("classifications");
            }
        }
        assertTrue(labels != null && labels.toString().contains("PII.contact.email"), String.valueOf(labels));
        assertTrue(labels.toString().contains("PII.SPECIAL.health.inferred"), "the e-mails of diabetics reveal health data: " + labels);
        assertTrue(labels.toString().contains("datasetField:" + ns + ":diagnoses:icd10"), "with the diagnosis column as origin");
        assertFalse(labels.toString().contains("PHI.clinical.diagnosis"), "an INDIRECT dependency copies no value");
    }

    @Test
    void columnTagsThatAreTaxonomyCodesAreDeclaredLabels() {
        String ns = Events.ns();
        ObjectNode event = Events.complete(ns, "dbt_model", new String[] {}, new String[] {}, "2025-01-01T00:00:00Z");
        ObjectNode out = Events.dataset(ns, "patients");
        ArrayNode tags = out.putObject("facets").putObject("tags").putArray("tags");
        tags.addObject().put("key", "classification").put("value", "PHI.id.mrn").put("field", "mrn").put("source", "dbt");
        tags.addObject().put("key", "tier").put("value", "gold");
        ((ArrayNode) event.get("outputs")).add(out);
        assertEquals(201, server.postJson("/api/v1/lineage", event.toString()).statusCode());
        copy(ns, "extract", "patients", "extract", "mrn", "patient_mrn", false);
        server.awaitProjection();
        JsonNode mrn = server.getJson("/api/v1/namespaces/" + ns + "/datasets/patients").path("fields").get(0);
        assertEquals("mrn", mrn.path("name").asText());
        assertEquals("DECLARED", mrn.path("classifications").get(0).path("source").asText());
        assertEquals("PHI.id.mrn", mrn.path("classifications").get(0).path("code").asText());
        assertEquals("PHI.id.mrn", label(ns, "extract", "patient_mrn").path("code").asText(), "declared labels propagate");
    }

    @Test
    void impactNamesWhatBreaksWhoOwnsItAndTheRegulationsTouched() {
        String ns = datasetWithSchema();
        copy(ns, "export", "customers", "export", "email", "email", false);
        copy(ns, "report", "export", "report", "email", "contact", false);
        server.awaitProjection();
        put("/api/v1/namespaces/" + ns + "/datasets/customers/fields/email/classifications/PII.contact.email", "");
        put("/api/v1/namespaces/" + ns + "/datasets/report/annotations", "{\"owner\":\"bi-team\"}");

        JsonNode columns = server.getJson("/api/v1/impact?change=drop&nodeId=" + TestServer.enc("datasetField:" + ns + ":customers:email"));
        JsonNode contact = null;
        for (JsonNode a : columns.path("affected")) {
            if (a.path("nodeId").asText().equals("datasetField:" + ns + ":report:contact")) {
                contact = a;
            }
        }
        assertTrue(contact != null, columns.toString());
        assertEquals(2, contact.path("distance").asInt());
        assertEquals("bi-team", contact.path("owners").get(0).asText());
        assertEquals("GDPR", contact.path("regulations").get(0).asText());
        assertEquals("PII.contact.email", contact.path("classifications").get(0).asText());
        assertEquals(5, contact.path("path").size(), "field > job > field > job > field");

        JsonNode datasets = server.getJson("/api/v1/impact?change=delay&nodeId=" + TestServer.enc("dataset:" + ns + ":customers"));
        assertTrue(datasets.toString().contains("dataset:" + ns + ":report"));
        assertTrue(datasets.toString().contains("\"effect\":\"late\""));
        HttpResponse<String> csv = server.get("/api/v1/impact?format=csv&change=rename&nodeId=" + TestServer.enc("dataset:" + ns + ":customers"));
        assertEquals(200, csv.statusCode());
        assertTrue(csv.body().startsWith("nodeId,type,distance,effect,path,owners,classifications,regulations,truncated\r\n"));
        assertTrue(csv.body().contains("job:" + ns + ":export,JOB,1,breaks: refers to the old name"), csv.body());
        assertEquals(400, server.get("/api/v1/impact?change=explode&nodeId=" + TestServer.enc("dataset:" + ns + ":customers")).statusCode());
        assertEquals(404, server.get("/api/v1/impact?change=drop&nodeId=" + TestServer.enc("dataset:" + ns + ":nope")).statusCode());
    }

    @Test
    void findingsFollowTheGraphWithoutAnEvaluationRequest() throws InterruptedException {
        String ns = datasetWithSchema();
        copy(ns, "export", "customers", "us-copy", "email", "email", false);
        server.awaitProjection();
        put("/api/v1/namespaces/" + ns + "/datasets/customers/fields/email/classifications/PII.contact.email", "");
        put("/api/v1/namespaces/" + ns + "/datasets/us-copy/annotations", "{\"country\":\"US\"}");
        var continuous = server.context.getBean(io.waymark.catalog.compliance.ContinuousCompliance.class);
        server.awaitProjection();
        continuous.awaitIdle();
        String a44 = "/api/v1/compliance/findings?outcome=FAIL&ruleId=GDPR-A44-THIRD-COUNTRY-TRANSFER&nodeId="
                + TestServer.enc("dataset:" + ns + ":us-copy");
        assertEquals(1, server.getJson(a44).path("findings").size(), "the label reached the copy and the copy is in the US");

        put("/api/v1/namespaces/" + ns + "/datasets/us-copy/annotations", "{\"transferMechanism\":\"scc\"}");
        server.awaitProjection();
        continuous.awaitIdle();
        assertEquals(0, server.getJson(a44).path("findings").size(), "fixed by an annotation: resolved without a full evaluation");
    }

    @Test
    void lineageFindingsFollowAnUpstreamRunOutcomeButARoutineRunStaysLocal() throws InterruptedException {
        String ns = Events.ns();
        var continuous = server.context.getBean(io.waymark.catalog.compliance.ContinuousCompliance.class);
        assertEquals(201, server.postJson("/api/v1/lineage", Events.complete(ns, "ingest", new String[] {"ledger"}, new String[] {"stage"},
                "2025-03-01T00:00:00Z").toString()).statusCode());
        assertEquals(201, server.postJson("/api/v1/lineage", Events.complete(ns, "enrich", new String[] {"stage"}, new String[] {"mart"},
                "2025-03-01T01:00:00Z").toString()).statusCode());
        assertEquals(201, server.postJson("/api/v1/lineage", Events.complete(ns, "build_report", new String[] {"mart"}, new String[] {"report"},
                "2025-03-01T02:00:00Z").toString()).statusCode());
        server.awaitProjection();
        put("/api/v1/namespaces/" + ns + "/datasets/report/annotations", "{\"soxKeyReport\":true}");
        server.awaitProjection();
        continuous.awaitIdle();
        String report = TestServer.enc("dataset:" + ns + ":report");
        String owners = "/api/v1/compliance/findings?outcome=FAIL&ruleId=SOX-ITGC-LINEAGE-OWNERSHIP&nodeId=" + report;
        String failed = "/api/v1/compliance/findings?outcome=FAIL&ruleId=SOX-ITGC-FAILED-UPSTREAM-RUN&nodeId=" + report;
        JsonNode unowned = server.getJson(owners).path("findings");
        assertEquals(1, unowned.size(), "nobody owns the steps feeding the key report");
        assertEquals(0, server.getJson(failed).path("findings").size());

        // A routine run three steps upstream (same inputs and outputs, same outcome) changes nothing
        // a lineage rule reads: the report (beyond the one hop local rules get) is not re-evaluated,
        // so its finding was last seen as before.
        assertEquals(201, server.postJson("/api/v1/lineage", Events.complete(ns, "ingest", new String[] {"ledger"}, new String[] {"stage"},
                "2025-03-02T00:00:00Z").toString()).statusCode());
        server.awaitProjection();
        continuous.awaitIdle();
        assertEquals(unowned.get(0).path("lastSeen"), server.getJson(owners).path("findings").get(0).path("lastSeen"));

        // The same job failing changes the report's upstream: found without an evaluation request …
        ObjectNode fail = Events.withIo(Events.run("FAIL", java.util.UUID.randomUUID().toString(), "2025-03-03T00:00:00Z", ns, "ingest"),
                new ObjectNode[] {Events.dataset(ns, "ledger")}, new ObjectNode[] {Events.dataset(ns, "stage")});
        assertEquals(201, server.postJson("/api/v1/lineage", fail.toString()).statusCode());
        server.awaitProjection();
        continuous.awaitIdle();
        JsonNode failing = server.getJson(failed).path("findings");
        assertEquals(1, failing.size(), "the upstream failure reaches the key report");
        assertEquals("dataset:" + ns + ":stage", failing.get(0).path("evidence").path("lineagePath").get(0).asText());

        // … and resolved when a later run of it completes.
        assertEquals(201, server.postJson("/api/v1/lineage", Events.complete(ns, "ingest", new String[] {"ledger"}, new String[] {"stage"},
                "2025-03-04T00:00:00Z").toString()).statusCode());
        server.awaitProjection();
        continuous.awaitIdle();
        assertEquals(0, server.getJson(failed).path("findings").size(), "a completed rerun resolves it");

        // A new input upstream is a lineage change too: an unowned dataset joins the report's upstream.
        put("/api/v1/namespaces/" + ns + "/datasets/ledger/annotations", "{\"owner\":\"finance\"}");
        assertEquals(201, server.postJson("/api/v1/lineage", Events.complete(ns, "ingest", new String[] {"ledger", "fx_rates"}, new String[] {"stage"},
                "2025-03-05T00:00:00Z").toString()).statusCode());
        server.awaitProjection();
        continuous.awaitIdle();
        JsonNode now = server.getJson(owners).path("findings").get(0).path("evidence");
        assertTrue(now.path("unownedDatasets").toString().contains("dataset:" + ns + ":fx_rates"), now.toString());
        assertFalse(now.path("unownedDatasets").toString().contains("dataset:" + ns + ":ledger\""), now.toString());
    }

    @Test
    void aRoutineRunReEvaluatesOnlyTheRulesThatReadRuns() throws InterruptedException {
        String ns = datasetWithSchema();
        var continuous = server.context.getBean(io.waymark.catalog.compliance.ContinuousCompliance.class);
        copy(ns, "export", "customers", "us-copy", "email", "email", false);
        server.awaitProjection();
        put("/api/v1/namespaces/" + ns + "/datasets/customers/fields/email/classifications/PII.contact.email", "");
        put("/api/v1/namespaces/" + ns + "/datasets/us-copy/annotations", "{\"country\":\"US\"}");
        put("/api/v1/namespaces/" + ns + "/datasets/customers/annotations", "{\"country\":\"DE\"}");
        server.awaitProjection();
        continuous.awaitIdle();
        String transfer = "/api/v1/compliance/findings?outcome=FAIL&ruleId=GDPR-A44-THIRD-COUNTRY-TRANSFER&nodeId="
                + TestServer.enc("dataset:" + ns + ":us-copy");
        JsonNode found = server.getJson(transfer).path("findings");
        assertEquals(1, found.size(), "personal data copied from DE to US");

        // The same copy again, with output statistics as real producers send: only run-level facts
        // changed, so the transfer rule (which reads no runs) is not evaluated and its finding keeps
        // its last-seen time.
        ObjectNode rerun = Events.complete(ns, "export", new String[] {"customers"}, new String[] {}, "2025-01-03T00:00:00Z");
        ObjectNode out = Events.dataset(ns, "us-copy");
        out.putObject("facets").putObject("columnLineage").putObject("fields").putObject("email").putArray("inputFields")
                .addObject().put("namespace", ns).put("name", "customers").put("field", "email")
                .putArray("transformations").addObject().put("type", "DIRECT").put("subtype", "IDENTITY").put("masking", false);
        out.putObject("outputFacets").putObject("outputStatistics").put("rowCount", 42);
        ((ArrayNode) rerun.get("outputs")).add(out);
        assertEquals(201, server.postJson("/api/v1/lineage", rerun.toString()).statusCode());
        server.awaitProjection();
        continuous.awaitIdle();
        assertEquals(found.get(0).path("lastSeen"), server.getJson(transfer).path("findings").get(0).path("lastSeen"));

        // A run that changes a graph fact (the job's description) re-evaluates every rule for what it touched.
        Thread.sleep(5);
        ObjectNode described = rerun.deepCopy();
        ((ObjectNode) described.get("run")).put("runId", java.util.UUID.randomUUID().toString());
        ((ObjectNode) described.get("job")).putObject("facets").putObject("documentation").put("description", "nightly export to the US office");
        assertEquals(201, server.postJson("/api/v1/lineage", described.toString()).statusCode());
        server.awaitProjection();
        continuous.awaitIdle();
        assertNotEquals(found.get(0).path("lastSeen"), server.getJson(transfer).path("findings").get(0).path("lastSeen"));
    }

    @Test
    void evaluationsRecordFindingsAndResolveThemWhenFixed() {
        String ns = datasetWithSchema();
        copy(ns, "export", "customers", "us-copy", "email", "email", false);
        server.awaitProjection();
        put("/api/v1/namespaces/" + ns + "/datasets/customers/fields/email/classifications/PII.contact.email", "");
        put("/api/v1/namespaces/" + ns + "/datasets/us-copy/annotations", "{\"country\":\"US\"}");
        put("/api/v1/namespaces/" + ns + "/datasets/customers/annotations", "{\"country\":\"DE\"}");
        assertTrue(server.getJson("/api/v1/compliance/rules").path("rules").size() >= 4);

        JsonNode summary = TestServer.parse(server.postJson("/api/v1/compliance/evaluations", "").body());
        assertTrue(summary.path("findings").asInt() >= 1, summary.toString());
        String node = TestServer.enc("dataset:" + ns + ":us-copy");
        JsonNode open = server.getJson("/api/v1/compliance/findings?regulation=GDPR&outcome=FAIL&ruleId=GDPR-A44-THIRD-COUNTRY-TRANSFER&nodeId=" + node)
                .path("findings");
        assertEquals(1, open.size());
        assertEquals("FAIL", open.get(0).path("outcome").asText());
        assertEquals("GDPR-A44-THIRD-COUNTRY-TRANSFER", open.get(0).path("ruleId").asText());
        assertEquals("US", open.get(0).path("evidence").path("country").asText());

        String exception = "{\"ruleId\":\"GDPR-A44-THIRD-COUNTRY-TRANSFER\",\"nodeId\":\"dataset:" + ns + ":us-copy\","
                + "\"justification\":\"SCCs being signed, legal ticket LEG-42\",\"approver\":\"dpo@example.com\","
                + "\"expiresAt\":\"" + java.time.OffsetDateTime.now().plusDays(30) + "\"}";
        HttpResponse<String> approved = server.postJson("/api/v1/compliance/exceptions", exception);
        assertEquals(201, approved.statusCode(), approved.body());
        JsonNode excepted = server.getJson("/api/v1/compliance/findings?outcome=EXCEPTED&nodeId=" + node).path("findings");
        // The exception takes effect at once (the subject is re-evaluated), not only at the next full evaluation.
        assertEquals(1, excepted.size(), "an exception turns FAIL into EXCEPTED and the finding stays listed");
        assertEquals("dpo@example.com", excepted.get(0).path("evidence").path("exception").path("approver").asText());
        assertEquals(400, server.postJson("/api/v1/compliance/exceptions", exception.replace("SCCs being signed, legal ticket LEG-42", "")).statusCode());
        String id = TestServer.parse(approved.body()).path("id").asText();
        assertEquals(200, server.delete("/api/v1/compliance/exceptions/" + id).statusCode());
        assertEquals(1, server.getJson("/api/v1/compliance/findings?outcome=FAIL&ruleId=GDPR-A44-THIRD-COUNTRY-TRANSFER&nodeId=" + node)
                .path("findings").size(), "revoked: FAIL again");

        put("/api/v1/namespaces/" + ns + "/datasets/us-copy/annotations", "{\"transferMechanism\":\"scc\"}");
        server.postJson("/api/v1/compliance/evaluations", "");
        String a44 = "&ruleId=GDPR-A44-THIRD-COUNTRY-TRANSFER&nodeId=" + node;
        assertEquals(0, server.getJson("/api/v1/compliance/findings?outcome=FAIL" + a44).path("findings").size());
        JsonNode history = server.getJson("/api/v1/compliance/findings?outcome=FAIL&includeResolved=true" + a44).path("findings");
        assertEquals(1, history.size());
        assertFalse(history.get(0).path("resolvedAt").isNull(), "kept, with when it was resolved");
        JsonNode unknown = server.getJson("/api/v1/compliance/findings?outcome=UNKNOWN&nodeId=" + node).path("findings");
        assertTrue(unknown.toString().contains("ann.environment"), "a missing fact is UNKNOWN, never a pass: " + unknown);
        assertEquals(400, server.get("/api/v1/compliance/findings?regulation=CCPA").statusCode());
    }
}
